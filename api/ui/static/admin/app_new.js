// "New Integration Application", as the article's steps: choose the type, (for AIQ Integrate
// and AIQ Connectors) choose the tile, fill in the form, then the confirmation with the OTP.
import { h, replace } from "../common/dom.js";
import { checkbox, checkedValues, choiceGroup, field, fieldError, formAlert, onSubmit, select,
  textArea, textInput } from "../common/forms.js";
import { focusHeading, go } from "../common/router.js";
import { categoryOptions, entityChoices, presetLabel, reference } from "./catalog.js";
import { showOneTimePassword } from "./otp_panel.js";
import { api } from "./session.js";

const TYPES = [
  { value: "new_integration", label: "New Integration",
    description: "Create a new integration or build a partner integration that can be made " +
      "available to other AIQ customers." },
  { value: "aiq_integrate", label: "AIQ Integrate",
    description: "Charged integrations managed by our team." },
  { value: "aiq_connector", label: "AIQ Connectors",
    description: "An out-of-the-box option, no coding required." },
];

export async function showNewApp({ main }) {
  const { catalog, entities } = await reference();
  const view = h("div");
  const choice = { type: null, preset: null, acknowledge_charges: false };
  main.append(h("p", { class: "breadcrumb" }, "Setup › Integration Applications › New"), view);

  function step(title, ...content) {
    replace(view, h("h1", {}, title), ...content);
    focusHeading(main);
  }

  function backButton(to) {
    return h("button", { type: "button", class: "secondary", onclick: to }, "Back");
  }

  function chooseType() {
    const form = h("form", { class: "card", novalidate: true },
      formAlert(),
      h("div", { class: "tiles" }, choiceGroup({ legend: "Integration type", name: "type",
        type: "radio", choices: TYPES, checked: [choice.type || "new_integration"] })),
      h("div", { class: "actions" },
        h("a", { href: "#/apps", class: "button secondary" }, "Cancel"),
        h("button", { type: "submit" }, "Next")));
    onSubmit(form, async (data) => {
      choice.type = data.get("type");
      if (choice.type === "new_integration") showForm();
      else choosePreset();
    });
    step("New Integration Application", form);
  }

  function choosePreset() {
    const integrate = choice.type === "aiq_integrate";
    const presets = integrate ? catalog.presets : catalog.connectors;
    const form = h("form", { class: "card", novalidate: true },
      formAlert(),
      h("div", { class: "tiles" }, choiceGroup({
        legend: integrate ? "Choose the application" : "Choose the connector",
        name: "preset", type: "radio",
        choices: presets.map((p) => ({ value: p.preset, label: p.label, description: p.summary })),
        checked: [choice.preset || presets[0].preset] })),
      integrate ? checkbox("acknowledge_charges",
        "I understand that this application type is chargeable.",
        { checked: choice.acknowledge_charges }) : null,
      h("div", { class: "actions" }, backButton(chooseType),
        h("button", { type: "submit" }, "Continue")));
    onSubmit(form, async (data) => {
      if (integrate && !data.get("acknowledge_charges")) {
        throw fieldError("acknowledge_charges", "Acknowledge the charges to continue.");
      }
      choice.preset = data.get("preset");
      choice.acknowledge_charges = Boolean(data.get("acknowledge_charges"));
      showForm();
    });
    step(integrate ? "AIQ Integrate" : "AIQ Connectors", form);
  }

  function showForm() {
    const { type, preset } = choice;
    const managed = type !== "new_integration";
    const hasCategory = type === "new_integration" || (type === "aiq_integrate" && preset === "custom");
    const hasDeveloper = type !== "aiq_integrate";
    const form = h("form", { class: "card", novalidate: true },
      formAlert(),
      managed ? h("p", {}, "Application: ", h("strong", {}, presetLabel(catalog, type, preset))) : null,
      field({ label: "Name", name: "name",
        hint: "Identifies the app in the list and in the Developer Portal. It must be unique " +
          "across all clients and cannot be changed later.",
        control: textInput("name", { required: true, maxlength: 100, autocomplete: "off" }) }),
      field({ label: "Description", name: "description",
        hint: "A longer description of the app and its use, shown in the Developer Portal.",
        control: textArea("description", { required: true, maxlength: 2000 }) }),
      hasCategory ? field({ label: "Category", name: "category",
        control: select("category", categoryOptions(catalog, { blank: "Choose a category" }),
          { required: true }) }) : null,
      hasDeveloper ? field({ label: "Developer e-mail", name: "developer_email",
        hint: "Receives the invite to the Developer Portal, where the credentials are.",
        control: textInput("developer_email", { type: "email", required: true,
          autocomplete: "off" }) }) : null,
      type === "new_integration" ? choiceGroup({ legend: "API permissions",
        name: "api_permission", type: "radio",
        hint: "Read, or Read & Write. This cannot be changed later.",
        choices: [{ value: "read", label: "Read" }, { value: "read_write", label: "Read & Write" }],
        checked: ["read"] }) : null,
      choiceGroup({ legend: "Entities", name: "entity_ids",
        hint: "The entities this app can access through the API. You can change them later, " +
          "with immediate effect.", choices: entityChoices(entities) }),
      managed ? checkbox("acknowledge_data_access",
        "I understand that the AIQ team will have access to our data.") : null,
      h("div", { class: "actions" },
        backButton(managed ? choosePreset : chooseType),
        h("button", { type: "submit" }, "Create")));
    onSubmit(form, async (data) => {
      const body = { type, name: data.get("name"), description: data.get("description"),
        entity_ids: checkedValues(form, "entity_ids") };
      if (managed) body.preset = preset;
      if (hasCategory) body.category = data.get("category") || null;
      if (hasDeveloper) body.developer_email = data.get("developer_email");
      if (type === "new_integration") body.api_permission = data.get("api_permission");
      if (type === "aiq_integrate") body.acknowledge_charges = choice.acknowledge_charges;
      if (managed) body.acknowledge_data_access = Boolean(data.get("acknowledge_data_access"));
      const { data: created } = await api.post("/integration-applications", body);
      confirmation(created);
    });
    step(managed ? `New ${presetLabel(catalog, type, preset)}` : "New Integration", form);
  }

  function confirmation(app) {
    const done = h("div", { class: "actions" },
      h("button", { type: "button", onclick: () => go("/apps") }, "Done"));
    if (app.otp) {
      step("Integration application created",
        showOneTimePassword({ app, otp: app.otp, intro:
          `${app.name} is created and ${app.developer.email} has been invited to the ` +
          "Developer Portal." }),
        done);
    } else {
      step("Integration application requested",
        h("div", { class: "card", role: "status" },
          h("p", {}, `${app.name} is created with the status Requested. Our team has been ` +
            "notified and will set it up; a developer can be linked later through Manage " +
            "Developer Portal Access.")),
        done);
    }
  }

  chooseType();
  return "New Integration Application";
}
