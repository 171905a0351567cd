// Edit: description, entities, allowed IP addresses, the quota of calls per minute and (where
// the article allows) category can change with immediate effect; name, type, preset and API
// permissions are shown greyed out. Under the app's facts, its usage over the last 30 days.
import { AUTH_METHOD_LABELS, PERMISSION_LABELS, STATUS_LABELS, TYPE_LABELS, dateTime,
  secretExpiry } from "../common/format.js";
import { flashNext, h } from "../common/dom.js";
import { checkedValues, choiceGroup, field, fieldError, formAlert, onSubmit, select, textArea,
  textInput } from "../common/forms.js";
import { go } from "../common/router.js";
import { usageSection } from "../common/usage_chart.js";
import { categoryEditable, categoryOptions, entityChoices, presetLabel,
  reference } from "./catalog.js";
import { api, can } from "./session.js";

// One CIDR a line, blank lines ignored; the API checks each and names allowed_ips.
function addressLines(text) {
  return text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
}

const MAX_QUOTA = 100000;
const QUOTA_HINT = `SOAP calls a minute for this application, across all its integrations: a ` +
  `whole number from 1 to ${MAX_QUOTA}. Calls over it are refused with RATE_LIMITED until ` +
  "the minute has passed. Leave empty for the default quota.";

// The quota as PATCH takes it: a number (the API checks the range and names the field), null
// for the default when emptied, or undefined when left as it was (so saving other changes
// never pins the default as the app's own quota).
function quotaChange(control, initial) {
  if (control.validity.badInput) {
    throw fieldError("rate_limit_per_minute",
      `Enter a whole number of calls from 1 to ${MAX_QUOTA}, or leave it empty for the default.`);
  }
  const text = control.value.trim();
  if (text === initial) return undefined;
  return text === "" ? null : Number(text);
}

function secretFact(app) {
  if (!app.secret_expires_at) return "none";
  return `${secretExpiry(app.secret_expires_at, app.secret_expires_in_days)} ` +
    `(${dateTime(app.secret_expires_at)})`;
}

function fixed(label, value, name) {
  return field({ label, name, hint: "Cannot be changed.",
    control: textInput(name, { value, disabled: true }) });
}

export async function showEditApp({ main, args: [appId] }) {
  const [{ catalog, entities }, { data: app, headers }] = await Promise.all([
    reference(), api.get(`/integration-applications/${appId}`)]);
  const etag = headers.get("ETag");
  const editable = can("manage_apps") && app.status !== "revoked";
  const category = app.category || "";
  const initialQuota = app.rate_limit_per_minute == null ? "" : String(app.rate_limit_per_minute);
  const quota = textInput("rate_limit_per_minute", { type: "number", value: initialQuota,
    min: 1, max: MAX_QUOTA, step: 1, inputmode: "numeric", disabled: !editable });
  const form = h("form", { class: "card", novalidate: true },
    formAlert(),
    fixed("Name", app.name, "name"),
    fixed("Type", TYPE_LABELS[app.type] || app.type, "type"),
    app.partner ? fixed("Partner", app.partner, "partner") : null,
    app.preset ? fixed("Application", presetLabel(catalog, app.type, app.preset), "preset") : null,
    fixed("API permissions", PERMISSION_LABELS[app.api_permission], "api_permission"),
    field({ label: "Description", name: "description",
      control: textArea("description", { value: app.description, required: true,
        maxlength: 2000, disabled: !editable }) }),
    field({ label: "Category", name: "category",
      hint: categoryEditable(catalog, app) ? null : "Cannot be changed for this type of application.",
      control: select("category", categoryOptions(catalog, { blank: "No category" }),
        { value: category, disabled: !editable || !categoryEditable(catalog, app) }) }),
    choiceGroup({ legend: "Entities", name: "entity_ids",
      hint: "Changes take effect immediately for the integrations running with this app.",
      choices: entityChoices(entities), checked: app.entity_ids }),
    field({ label: "Allowed IP addresses", name: "allowed_ips",
      hint: "One IPv4 or IPv6 address or network (CIDR) a line, such as 203.0.113.0/24 or " +
        "2001:db8::/32; at most 50. Tokens and API calls from any other address are refused, " +
        "with immediate effect. Leave empty to allow any address.",
      control: textArea("allowed_ips", { value: (app.allowed_ips || []).join("\n"),
        disabled: !editable, spellcheck: "false", autocomplete: "off" }) }),
    field({ label: "Calls per minute (quota)", name: "rate_limit_per_minute", hint: QUOTA_HINT,
      control: quota }),
    h("div", { class: "actions" },
      h("a", { href: "#/apps", class: "button secondary" }, editable ? "Cancel" : "Back"),
      editable ? h("button", { type: "submit" }, "Save changes") : null));
  if (!editable) {
    for (const box of form.querySelectorAll("input[name=entity_ids]")) box.disabled = true;
  }
  onSubmit(form, async (data) => {
    const changes = { description: data.get("description"),
      entity_ids: checkedValues(form, "entity_ids"),
      allowed_ips: addressLines(data.get("allowed_ips")) };
    if (categoryEditable(catalog, app)) changes.category = data.get("category");
    const limit = quotaChange(quota, initialQuota);
    if (limit !== undefined) changes.rate_limit_per_minute = limit;
    await api.patch(`/integration-applications/${app.id}`, changes,
      { headers: etag ? { "If-Match": etag } : {} });
    flashNext(`${app.name} is saved.`);
    go("/apps");
  });
  main.append(
    h("p", { class: "breadcrumb" }, "Setup › Integration Applications › Edit"),
    h("h1", {}, editable ? `Edit ${app.name}` : app.name),
    h("dl", { class: "facts card" },
      h("dt", {}, "Status"), h("dd", {}, STATUS_LABELS[app.status] || app.status),
      h("dt", {}, "Client id"), h("dd", {}, h("code", {}, app.client_id)),
      h("dt", {}, "Developer"), h("dd", {}, app.developer?.email || "none linked"),
      h("dt", {}, "Client secret"), h("dd", {}, secretFact(app)),
      h("dt", {}, "Gets tokens with"), h("dd", {}, (app.auth_methods || []).length
        ? app.auth_methods.map((m) => AUTH_METHOD_LABELS[m] || m).join(", ") : "nothing yet"),
      h("dt", {}, "Created"), h("dd", {}, dateTime(app.created_at)),
      h("dt", {}, "Last changed"), h("dd", {}, dateTime(app.updated_at))),
    usageSection({ load: async () =>
      (await api.get(`/integration-applications/${app.id}/usage`)).data }),
    form);
  return editable ? `Edit ${app.name}` : app.name;
}
