// Audit log (SPEC 15): the group's every event (applications, users, permissions, plan, the
// team's actions) downloaded as CSV or NDJSON, for a range of days and optionally one app.
// Practice admins, managers and auditors may export it. The download carries the session's
// bearer token, so it is fetched here and saved from memory, as Download Activity Log is.
import { flash, h } from "../common/dom.js";
import { choiceGroup, field, fieldError, formAlert, onSubmit, select,
  textInput } from "../common/forms.js";
import { pageOf, saveDownload } from "../common/http.js";
import { api } from "./session.js";

const FORMATS = {
  csv: { label: "CSV", accept: "text/csv",
    description: "One row per event, for spreadsheets; opens in Excel or Numbers." },
  ndjson: { label: "NDJSON", accept: "application/x-ndjson",
    description: "One JSON object per line and event, for scripts and log tools." },
};
const MAX_PAGES = 20; // 2,000 applications in the chooser: more than any group has

// Every application of the group for the chooser, by name. The list is gated by the plan
// (SPEC 11) where the export is not: without it, the export covers all of them.
async function allApps() {
  const apps = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const query = new URLSearchParams({ sort: "name", page, page_size: 100 });
    const { data, headers } = await api.get(`/integration-applications?${query}`);
    apps.push(...data);
    const { pages } = pageOf(headers, { page, pageSize: 100, shown: data.length });
    if (page >= pages) break;
  }
  return apps;
}

// The range as the API takes it: whole UTC days, from on or before to.
function range(data) {
  const from = data.get("from") || "";
  const to = data.get("to") || "";
  if (from && to && from > to) {
    throw fieldError("to", "The last day must be on or after the first day.");
  }
  return { from, to };
}

export async function showAuditLog({ main }) {
  let apps = [];
  let appsNote = null;
  try {
    apps = await allApps();
  } catch (error) {
    if (error?.status === undefined) throw error;
    appsNote = "The applications could not be listed, so the export covers all of them: " +
      `${error.message}`;
  }
  const dateInput = (name) => textInput(name, { type: "date" });
  const form = h("form", { class: "card narrow audit-form", novalidate: true },
  formAlert(),
  field({ label: "From", name: "from", hint: "The first UTC day. Empty: from the beginning.",
    control: dateInput("from") }),
  field({ label: "To", name: "to", hint: "The last UTC day, included. Empty: up to now.",
    control: dateInput("to") }),
  field({ label: "Application", name: "app_id",
    hint: appsNote || "One application's events only, or every event of the group.",
    control: select("app_id", [["", "All applications and the group's own events"],
      ...apps.map((app) => [app.id, app.name])]) }),
  choiceGroup({ legend: "Format", name: "format", type: "radio", checked: ["csv"],
    choices: Object.entries(FORMATS).map(([value, { label, description }]) =>
      ({ value, label, description })) }),
  h("div", { class: "actions" }, h("button", { type: "submit" }, "Download")));

  onSubmit(form, async (data) => {
    const { from, to } = range(data);
    const format = data.get("format") || "csv";
    const query = new URLSearchParams({ format });
    if (from) query.set("from", from);
    if (to) query.set("to", to);
    if (data.get("app_id")) query.set("app_id", data.get("app_id"));
    const response = await api.request("GET", `/audit-log?${query}`,
      { raw: true, headers: { Accept: FORMATS[format].accept } });
    const name = await saveDownload(response, `audit-log.${format}`);
    flash(`Downloaded ${name}.`);
  });

  main.append(
    h("p", { class: "breadcrumb" }, "Setup › Audit log"),
    h("h1", {}, "Audit log"),
    h("p", { class: "hint intro" }, "Download every event of your group, " +
      "in the order it happened: applications created, edited, verified, revoked; users and " +
      "their permissions; plan changes; and what the integrations team did. Each line has " +
      "its time (UTC), the application it is about (empty for the group's own events), the " +
      "event, who did it and the details."),
    form);
  return "Audit log";
}
