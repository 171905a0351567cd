// Edit: description, entities and (where the article allows) category can change with
// immediate effect; name, type, preset and API permissions are shown greyed out.
import { PERMISSION_LABELS, STATUS_LABELS, TYPE_LABELS, dateTime } from "../common/format.js";
import { flashNext, h } from "../common/dom.js";
import { checkedValues, choiceGroup, field, formAlert, onSubmit, select, textArea,
  textInput } from "../common/forms.js";
import { go } from "../common/router.js";
import { categoryEditable, categoryOptions, entityChoices, presetLabel,
  reference } from "./catalog.js";
import { api, can } from "./session.js";

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
  const form = h("form", { class: "card", novalidate: true },
    formAlert(),
    fixed("Name", app.name, "name"),
    fixed("Type", TYPE_LABELS[app.type] || app.type, "type"),
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
    h("div", { class: "actions" },
      h("a", { href: "#/apps", class: "button secondary" }, editable ? "Cancel" : "Back"),
      editable ? h("button", { type: "submit" }, "Save changes") : null));
  if (!editable) {
    for (const box of form.querySelectorAll("input[name=entity_ids]")) box.disabled = true;
  }
  onSubmit(form, async (data) => {
    const changes = { description: data.get("description"),
      entity_ids: checkedValues(form, "entity_ids") };
    if (categoryEditable(catalog, app)) changes.category = data.get("category");
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
      h("dt", {}, "Created"), h("dd", {}, dateTime(app.created_at)),
      h("dt", {}, "Last changed"), h("dd", {}, dateTime(app.updated_at))),
    form);
  return editable ? `Edit ${app.name}` : app.name;
}
