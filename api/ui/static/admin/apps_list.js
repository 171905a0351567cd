// Setup › Integration Applications: the list with the status filter, a search field per
// column, "Not used since", sorting, paging and the Actions dropdown of each row.
import { STATUS_LABELS, TYPE_LABELS, categoryLabel, dateTime, lastUsed,
  secretExpiry } from "../common/format.js";
import { h, replace } from "../common/dom.js";
import { pageOf } from "../common/http.js";
import { focusHeading, remember } from "../common/router.js";
import { actionsMenu } from "./app_actions.js";
import { categoryOptions, reference } from "./catalog.js";
import { isPlanRequired, showPlanRequired } from "./plan_notice.js";
import { api, can } from "./session.js";

const FILTERS = ["status", "type", "category", "name", "developer_email", "entity_id",
  "created_from", "created_to", "unused_since"];
const PAGE_SIZES = [10, 20, 50, 100];
const COLUMNS = [
  // [label, sort key or null, filter name or null]
  ["Name", "name", "name"],
  ["Type", "type", "type"],
  ["Category", "category", "category"],
  ["Developer", null, "developer_email"],
  ["Entities", null, "entity_id"],
  ["Status", "status", null],
  ["Created", "created_at", null],
];

// Under the status: when the app's client secret expires (SECRET_SOON days ahead, a warning).
const SECRET_SOON = 30;
function expiryNote(app) {
  const text = app.status === "revoked"
    ? null : secretExpiry(app.secret_expires_at, app.secret_expires_in_days);
  if (!text) return null;
  const soon = app.secret_expires_in_days <= SECRET_SOON;
  return h("span", { class: `expiry${soon ? " expiry-soon" : ""}`,
    title: `Client secret expires ${dateTime(app.secret_expires_at)}` }, text);
}

// Also under the status: when the app last got a token or had a SOAP call served (SPEC 15).
function lastUsedNote(app) {
  return h("span", { class: `last-used${app.last_used_at ? "" : " never"}`,
    title: app.last_used_at ? `Last used ${dateTime(app.last_used_at)}` : null },
  lastUsed(app.last_used_at));
}

function stateFrom(params) {
  const state = { sort: params.get("sort") || "-created_at" };
  for (const name of FILTERS) state[name] = params.get(name) || "";
  state.page = Math.max(1, Number.parseInt(params.get("page") || "1", 10) || 1);
  const size = Number.parseInt(params.get("page_size") || "20", 10);
  state.page_size = PAGE_SIZES.includes(size) ? size : 20;
  return state;
}

function query(state) {
  const out = {};
  for (const [key, value] of Object.entries(state)) if (value !== "" && value !== null) out[key] = value;
  return out;
}

export async function showAppList({ main, params }) {
  const state = stateFrom(params);
  const { catalog, entities } = await reference();
  const entityCode = Object.fromEntries(entities.map((e) => [e.id, e.code]));
  const body = h("tbody");
  const pager = h("div", { class: "pager" });
  const alert = h("div", { class: "form-error", role: "alert", hidden: true });
  const table = h("table", { class: "cards", "aria-describedby": "apps-summary" });
  let typing = null;

  let latest = 0;
  // The summary below the table is a status region: screen readers hear each new page.
  async function load() {
    remember("/apps", query(state));
    table.setAttribute("aria-busy", "true");
    // Filters can change faster than answers come back: only the newest answer is shown.
    const ticket = ++latest;
    try {
      const { data, headers } = await api.get(`/integration-applications?${new URLSearchParams(query(state))}`);
      if (ticket !== latest) return;
      alert.hidden = true;
      renderRows(data);
      renderPager(pageOf(headers, { page: state.page, pageSize: state.page_size,
        shown: data.length }));
    } catch (error) {
      if (ticket !== latest) return;
      // The group is not on AIQ3: the API's notice replaces the list and New.
      if (isPlanRequired(error)) {
        showPlanRequired(main, error);
        focusHeading(main);
        return;
      }
      alert.textContent = error.message;
      alert.hidden = false;
      replace(body);
      replace(pager);
    } finally {
      if (ticket === latest) table.removeAttribute("aria-busy");
    }
  }

  function changed(name, value, { debounce = false } = {}) {
    state[name] = value;
    state.page = 1;
    clearTimeout(typing);
    if (debounce) typing = setTimeout(load, 300);
    else load();
  }

  function renderRows(apps) {
    if (!apps.length) {
      replace(body, h("tr", {}, h("td", { colspan: COLUMNS.length + 1, class: "empty" },
        "No integration applications match.")));
      return;
    }
    replace(body, apps.map((app) => h("tr", { dataset: { appId: app.id } },
      h("td", { "data-label": "Name" }, h("strong", {}, app.name)),
      h("td", { "data-label": "Type" }, TYPE_LABELS[app.type] || app.type,
        app.partner ? h("span", { class: "hint block" }, `Partner: ${app.partner}`) : null),
      h("td", { "data-label": "Category" }, categoryLabel(app.category)),
      h("td", { "data-label": "Developer" }, app.developer?.email || "—"),
      h("td", { "data-label": "Entities" },
        app.entity_ids.map((id) => entityCode[id] || id).join(", ")),
      h("td", { "data-label": "Status" },
        h("span", { class: `badge status-${app.status}` }, STATUS_LABELS[app.status] || app.status),
        expiryNote(app), lastUsedNote(app)),
      h("td", { "data-label": "Created" }, dateTime(app.created_at)),
      h("td", { "data-label": "Actions" }, actionsMenu(app, { onChanged: load })),
    )));
  }

  function renderPager({ total, first, last, pages }) {
    const summary = total
      ? `Showing ${first} to ${last} of ${total} applications (page ${state.page} of ${pages})`
      : "No applications";
    const move = (to) => () => {
      state.page = to;
      load();
    };
    const size = h("select", { id: "page-size", onchange: (e) => changed("page_size", Number(e.target.value)) },
      PAGE_SIZES.map((n) => h("option", { value: n, selected: n === state.page_size }, n)));
    replace(pager,
      h("p", { id: "apps-summary", role: "status" }, summary),
      h("button", { type: "button", class: "secondary", disabled: state.page <= 1,
        onclick: move(state.page - 1) }, "Previous page"),
      h("button", { type: "button", class: "secondary", disabled: state.page >= pages,
        onclick: move(state.page + 1) }, "Next page"),
      h("label", { for: "page-size" }, "Per page"), size);
  }

  function sortButton(label, key) {
    const [current, descending] = [state.sort.replace(/^-/, ""), state.sort.startsWith("-")];
    const th = h("th", { scope: "col" });
    if (!key) return replace(th, label);
    if (current === key) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    const arrow = current !== key ? "↕" : descending ? "▼" : "▲";
    th.append(h("button", { type: "button", class: "sort",
      onclick: () => sortBy(current === key && !descending ? `-${key}` : key),
    }, label, h("span", { class: "arrow", "aria-hidden": "true" }, ` ${arrow}`)));
    return th;
  }

  function sortBy(sort) {
    state.sort = sort;
    state.page = 1;
    replace(headRow, COLUMNS.map(([l, k]) => sortButton(l, k)), h("th", { scope: "col" }, "Actions"));
    sortSelect.value = sort;
    load();
  }

  function filterCell(label, name) {
    if (!name) return h("td", {});
    const id = `filter-${name}`;
    let control;
    if (name === "type") {
      control = h("select", {}, h("option", { value: "" }, "All types"),
        Object.entries(TYPE_LABELS).map(([v, l]) => h("option", { value: v }, l)));
    } else if (name === "category") {
      control = h("select", {}, categoryOptions(catalog, { blank: "All categories" })
        .map(([v, l]) => h("option", { value: v }, l)));
    } else if (name === "entity_id") {
      control = h("select", {}, h("option", { value: "" }, "All entities"),
        entities.map((e) => h("option", { value: e.id }, e.code)));
    } else {
      control = h("input", { type: "search", placeholder: "Search" });
    }
    control.id = id;
    control.value = state[name];
    const isText = control.tagName === "INPUT";
    control.addEventListener(isText ? "input" : "change",
      (e) => changed(name, e.target.value.trim(), { debounce: isText }));
    return h("td", {}, h("label", { for: id, class: "visually-hidden" }, `Search ${label}`), control);
  }

  // Phones hide the column headers (rows become cards), so sorting is offered here too.
  const sortSelect = h("select", { id: "sort-by", onchange: (e) => sortBy(e.target.value) },
    COLUMNS.filter(([, key]) => key).flatMap(([label, key]) => [
      h("option", { value: key }, `${label}, ascending`),
      h("option", { value: `-${key}` }, `${label}, descending`)]));
  sortSelect.value = state.sort;
  const headRow = h("tr", {}, COLUMNS.map(([l, k]) => sortButton(l, k)), h("th", { scope: "col" }, "Actions"));
  table.append(
    h("caption", { class: "visually-hidden" }, "Integration applications"),
    h("thead", {}, headRow,
      h("tr", { class: "filters" }, COLUMNS.map(([l, , f]) => filterCell(l, f)), h("td", {}))),
    body);

  const status = h("select", { id: "filter-status", onchange: (e) => changed("status", e.target.value) },
    h("option", { value: "" }, "All statuses"),
    Object.entries(STATUS_LABELS).map(([v, l]) => h("option", { value: v }, l)));
  status.value = state.status;
  const dateFilter = (name, label) => h("div", { class: "field" },
    h("label", { for: `filter-${name}` }, label),
    h("input", { type: "date", id: `filter-${name}`, value: state[name],
      onchange: (e) => changed(name, e.target.value) }));

  main.append(
    h("p", { class: "breadcrumb" }, "Setup › Integration Applications"),
    h("h1", {}, "Integration Applications"),
    h("div", { class: "toolbar" },
      h("div", { class: "field" }, h("label", { for: "filter-status" }, "Status"), status),
      dateFilter("created_from", "Created from"),
      dateFilter("created_to", "Created to"),
      dateFilter("unused_since", "Not used since"),
      h("div", { class: "field phone-only" }, h("label", { for: "sort-by" }, "Sort by"), sortSelect),
      h("button", { type: "button", class: "secondary", onclick: () => {
        location.hash = "#/apps";
      } }, "Clear filters"),
      can("manage_apps")
        ? h("a", { href: "#/apps/new", class: "button spacer" }, "New Integration Application")
        : null),
    alert,
    h("div", { class: "table-wrap" }, table),
    pager);
  await load();
  return "Integration Applications";
}
