// Entities Assigned: the app's entities, searchable by code or name, paged.
import { h, replace } from "../common/dom.js";
import { pageOf } from "../common/http.js";
import { api } from "./session.js";

const PAGE_SIZE = 10;

export function entitiesPanel(app) {
  const state = { search: "", page: 1 };
  const body = h("tbody");
  const summary = h("p", { role: "status", id: "entities-summary" });
  const previous = h("button", { type: "button", class: "secondary",
    onclick: () => move(-1) }, "Previous page");
  const next = h("button", { type: "button", class: "secondary",
    onclick: () => move(1) }, "Next page");
  let typing = null;

  let latest = 0;
  async function load() {
    const query = new URLSearchParams({ page: state.page, page_size: PAGE_SIZE });
    if (state.search) query.set("search", state.search);
    const ticket = ++latest; // only the newest answer is shown
    try {
      const { data, headers } = await api.get(`/apps/${app.id}/entities?${query}`);
      if (ticket !== latest) return;
      const { total, first, last, pages } = pageOf(headers,
        { page: state.page, pageSize: PAGE_SIZE, shown: data.length });
      replace(body, data.length ? data.map((e) => h("tr", {},
        h("td", { "data-label": "Code" }, e.code), h("td", { "data-label": "Name" }, e.name)))
        : h("tr", {}, h("td", { colspan: 2, class: "empty" }, "No entities match.")));
      summary.textContent = total
        ? `Showing ${first} to ${last} of ${total} entities`
        : "No entities match";
      previous.disabled = state.page <= 1;
      next.disabled = state.page >= pages;
    } catch (error) {
      if (ticket === latest) summary.textContent = error.message;
    }
  }

  function move(by) {
    state.page += by;
    load();
  }

  const search = h("input", { type: "search", id: `entity-search-${app.id}`,
    oninput: (event) => {
      clearTimeout(typing);
      typing = setTimeout(() => {
        state.search = event.target.value.trim();
        state.page = 1;
        load();
      }, 250);
    } });
  const panel = h("div", {},
    h("div", { class: "toolbar" }, h("div", { class: "field" },
      h("label", { for: search.id }, "Search entities by code or name"), search)),
    h("div", { class: "table-wrap" }, h("table", { class: "cards",
      "aria-describedby": "entities-summary" },
    h("caption", { class: "visually-hidden" }, "Entities assigned to this application"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Code"), h("th", { scope: "col" }, "Name"))),
    body)),
    h("div", { class: "pager" }, summary, previous, next));
  load();
  return panel;
}
