// Requests: the managed apps (AIQ Integrate, AIQ Connectors) of every group, newest first,
// with who acknowledged the charges and data access, the developer and the team's progress.
// Per request: Link developer (the OTP is shown once, above the queue) and Progress.
import { STATUS_LABELS, TYPE_LABELS, dateTime } from "../common/format.js";
import { openDialog } from "../common/dialog.js";
import { flash, h, replace } from "../common/dom.js";
import { field, formAlert, onSubmit, select, textArea, textInput } from "../common/forms.js";
import { remember } from "../common/router.js";
import { oneTimePasswordPanel } from "./otp_panel.js";
import { api } from "./session.js";

const FILTERS = [
  ["", "All statuses"],
  ["requested,no_developer", "Needs a developer (Requested or No developer)"],
  ...Object.entries(STATUS_LABELS),
];
const PROGRESS = [["in_progress", "In progress"], ["done", "Done"]];
const PROGRESS_LABELS = Object.fromEntries(PROGRESS);
const COLUMNS = ["Application", "Group", "Type", "Acknowledged by", "Developer", "Status",
  "Progress", "Actions"];
const NOTE_LIMIT = 2000;

function progressCell(progress) {
  if (!progress?.state) return h("span", { class: "hint" }, "Not started");
  return [
    h("strong", {}, PROGRESS_LABELS[progress.state] || progress.state),
    progress.note ? h("p", { class: "progress-note" }, progress.note) : null,
    h("span", { class: "hint block" }, `${progress.by || "—"}, ${dateTime(progress.at)}`),
  ];
}

// The API names the e-mail `email` when the body is wrong, but `developer_email` when the
// address is not one: both land beside the one field.
function alsoNamed(wrapper, name) {
  const control = wrapper.querySelector("input");
  const slot = h("p", { class: "error", id: `${control.id}-error-${name}`,
    dataset: { errorFor: name }, hidden: true });
  wrapper.append(slot);
  control.setAttribute("aria-describedby",
    `${control.getAttribute("aria-describedby")} ${slot.id}`);
  return wrapper;
}

export async function showRequests({ main, params }) {
  const known = FILTERS.map(([value]) => value);
  let status = known.includes(params.get("status") || "") ? params.get("status") || "" : "";
  const once = h("div");
  const body = h("tbody");
  const summary = h("p", { id: "requests-summary", role: "status" });
  const alert = h("div", { class: "form-error", role: "alert", hidden: true });
  const table = h("table", { class: "cards", "aria-describedby": "requests-summary" });
  let latest = 0;

  async function load() {
    remember("/requests", status ? { status } : null);
    table.setAttribute("aria-busy", "true");
    const ticket = ++latest;
    try {
      const query = status ? `?${new URLSearchParams({ status })}` : "";
      const { data } = await api.get(`/requests${query}`);
      if (ticket !== latest) return;
      alert.hidden = true;
      renderRows(data);
      summary.textContent = data.length === 1 ? "1 request" : `${data.length} requests`;
    } catch (error) {
      if (ticket !== latest) return;
      alert.textContent = error.message;
      alert.hidden = false;
      replace(body);
      summary.textContent = "";
    } finally {
      if (ticket === latest) table.removeAttribute("aria-busy");
    }
  }

  function renderRows(requests) {
    if (!requests.length) {
      replace(body, h("tr", {}, h("td", { colspan: COLUMNS.length, class: "empty" },
        "No requests match.")));
      return;
    }
    replace(body, requests.map((request) => {
      const live = request.status !== "revoked";
      return h("tr", { dataset: { appId: request.app_id } },
        h("td", { "data-label": "Application" }, h("strong", {}, request.name)),
        h("td", { "data-label": "Group" }, request.group_name),
        h("td", { "data-label": "Type" }, TYPE_LABELS[request.type] || request.type,
          request.preset ? h("span", { class: "hint block" }, "Preset: ",
            h("code", {}, request.preset)) : null),
        h("td", { "data-label": "Acknowledged by" }, request.acknowledged_by,
          h("span", { class: "hint block" }, dateTime(request.acknowledged_at))),
        h("td", { "data-label": "Developer" }, request.developer_email || "none linked"),
        h("td", { "data-label": "Status" }, h("span", { class: `badge status-${request.status}` },
          STATUS_LABELS[request.status] || request.status)),
        h("td", { "data-label": "Progress" }, progressCell(request.progress)),
        h("td", { "data-label": "Actions" }, h("div", { class: "row-actions" },
          live && !request.developer_email
            ? h("button", { type: "button", "aria-label": `Link developer to ${request.name}`,
              onclick: () => linkDeveloper(request) }, "Link developer") : null,
          live ? h("button", { type: "button", class: "secondary",
            "aria-label": `Progress of ${request.name}`,
            onclick: () => noteProgress(request) }, "Progress") : null)));
    }));
  }

  function dialogForm(title, controls, submitLabel, action) {
    const form = h("form", { novalidate: true }, formAlert(), controls,
      h("div", { class: "actions" },
        h("button", { type: "submit" }, submitLabel),
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close() },
          "Cancel")));
    const dialog = openDialog({ title, body: form });
    onSubmit(form, async (data) => {
      const done = await action(data);
      dialog.close();
      await load();
      done?.();
    });
  }

  function showOtp(request, otp) {
    replace(once, oneTimePasswordPanel({ request, otp, onDone: () => {
      replace(once);
      main.querySelector("h1")?.focus();
    } }));
    const heading = once.querySelector("h2");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }

  function linkDeveloper(request) {
    dialogForm(`Link a developer to ${request.name}`, [
      h("p", {}, "The developer gets an invite to the Developer Portal by e-mail (or a notice, " +
        "if they have an account). You get a one-time password, shown once, to pass on by " +
        "another channel."),
      alsoNamed(field({ label: "Developer e-mail", name: "email",
        control: textInput("email", { type: "email", required: true, autocomplete: "off" }) }),
      "developer_email"),
    ], "Link developer", async (data) => {
      const { data: linked } = await api.put(`/requests/${request.app_id}/developer`,
        { email: data.get("email").trim() });
      flash(`${linked.developer_email} is linked to ${linked.name}.`);
      return () => showOtp(linked, linked.otp);
    });
  }

  function noteProgress(request) {
    dialogForm(`Progress of ${request.name}`, [
      field({ label: "State", name: "state",
        control: select("state", PROGRESS, { value: request.progress?.state || "in_progress" }) }),
      field({ label: "Note", name: "note",
        hint: `At most ${NOTE_LIMIT.toLocaleString("en")} characters. The group's admins see ` +
          "it in the app's activity log.",
        control: textArea("note", { value: request.progress?.note || "",
          maxlength: NOTE_LIMIT }) }),
    ], "Save progress", async (data) => {
      const { data: saved } = await api.post(`/requests/${request.app_id}/progress`,
        { state: data.get("state"), note: data.get("note") });
      flash(`Progress of ${saved.name}: ${PROGRESS_LABELS[saved.progress.state]}.`);
    });
  }

  const filter = select("status", FILTERS, { id: "filter-status", value: status,
    onchange: (event) => {
      status = event.target.value;
      load();
    } });
  table.append(
    h("caption", { class: "visually-hidden" }, "Requests for managed applications"),
    h("thead", {}, h("tr", {}, COLUMNS.map((c) => h("th", { scope: "col" }, c)))),
    body);
  main.append(
    h("h1", {}, "Requests"),
    h("p", { class: "hint intro" }, "AIQ Integrate and AIQ Connector applications of every " +
      "group, newest first. Link one of the team's developers, then note where the set-up " +
      "stands: the group's admins see both in the app's activity log."),
    once,
    h("div", { class: "toolbar" },
      h("div", { class: "field" }, h("label", { for: "filter-status" }, "Status"), filter)),
    alert,
    h("div", { class: "table-wrap" }, table),
    summary);
  await load();
  return "Requests";
}
