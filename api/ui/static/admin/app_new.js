// "New Integration Application", as the article's steps: choose the type, (for AIQ Integrate
// and AIQ Connectors) choose the tile, fill in the form, then the confirmation with the OTP.
// Partner integrations (SPEC 12): the ecosystem's published listings as tiles with a search,
// an install form, then the OTP for the partner's developer.
import { PERMISSION_LABELS, categoryLabel, plural } from "../common/format.js";
import { h, replace } from "../common/dom.js";
import { checkbox, checkedValues, choiceGroup, field, fieldError, formAlert, onSubmit, select,
  showErrors, textArea, textInput } from "../common/forms.js";
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
  { value: "partner_integration", label: "Partner integrations",
    description: "Install an integration another AIQ customer built and listed in the " +
      "integration ecosystem." },
];

export async function showNewApp({ main }) {
  const { catalog, entities } = await reference();
  const view = h("div");
  const choice = { type: null, preset: null, acknowledge_charges: false, q: "", category: "" };
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
      else if (choice.type === "partner_integration") choosePartner();
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

  // The published listings of other groups, searched with the API's ?q= and ?category=.
  function choosePartner() {
    const results = h("div", { class: "partner-results" });
    const summary = h("p", { id: "partner-summary", role: "status" });
    const search = h("form", { class: "toolbar search-bar", role: "search",
      "aria-label": "Search the ecosystem", novalidate: true });
    search.append(
      formAlert(),
      field({ label: "Search partner integrations", name: "q",
        control: textInput("q", { type: "search", value: choice.q, maxlength: 100,
          autocomplete: "off" }) }),
      field({ label: "Category", name: "category",
        control: select("category", categoryOptions(catalog, { blank: "All categories" }),
          { value: choice.category, onchange: () => search.requestSubmit() }) }),
      h("button", { type: "submit", class: "secondary" }, "Search"));
    onSubmit(search, async (data) => {
      choice.q = String(data.get("q") || "").trim();
      choice.category = data.get("category") || "";
      await load();
    });

    let latest = 0;
    async function load() {
      const ticket = ++latest;
      const query = {};
      if (choice.q) query.q = choice.q;
      if (choice.category) query.category = choice.category;
      const params = new URLSearchParams(query).toString();
      results.setAttribute("aria-busy", "true");
      try {
        const { data: entries } = await api.get(`/ecosystem${params ? `?${params}` : ""}`);
        if (ticket !== latest) return;
        summary.textContent = plural(entries.length, "partner integration");
        replace(results, entries.length
          ? h("ul", { class: "app-tiles partner-tiles", "aria-describedby": "partner-summary" },
            entries.map(partnerTile))
          : h("p", { class: "empty card" }, params ? "No partner integrations match."
            : "No partner integrations are published in the ecosystem yet."));
      } catch (error) {
        if (ticket !== latest) return;
        if (error?.status === undefined) throw error;
        summary.textContent = "";
        replace(results);
        showErrors(search, error);
      } finally {
        if (ticket === latest) results.removeAttribute("aria-busy");
      }
    }

    step("Partner integrations",
      h("p", { class: "hint intro" }, "Integrations that other AIQ customers built and listed " +
        "in the ecosystem, reviewed by the AIQ team. Installing one gives the partner's " +
        "developer access to the entities you choose."),
      search, summary, results,
      h("div", { class: "actions" }, backButton(chooseType)));
    return load();
  }

  function partnerTile(entry) {
    const headingId = `listing-${entry.id}`;
    return h("li", { "aria-labelledby": headingId, dataset: { listingId: entry.id } },
      h("h2", { id: headingId }, entry.name),
      h("p", { class: "partner-by" }, "by ", h("strong", {}, entry.partner)),
      h("p", {}, entry.summary),
      h("p", { class: "hint" }, `Category: ${categoryLabel(entry.category)}`, h("br"),
        `API permissions: ${PERMISSION_LABELS[entry.api_permission] || entry.api_permission}`),
      h("div", { class: "actions" }, entry.installed
        ? h("span", { class: "badge status-active" }, "Installed")
        : h("button", { type: "button", "aria-label": `Install ${entry.name}`,
          onclick: () => showInstall(entry) }, "Install")));
  }

  function showInstall(entry) {
    const fact = (term, value) => [h("dt", {}, term), h("dd", {}, value)];
    const form = h("form", { class: "card", novalidate: true },
      formAlert(),
      field({ label: "Name", name: "name",
        hint: "Identifies the installation in your list, and in the partner developer's " +
          "Developer Portal. It must be unique across all clients and cannot be changed later.",
        control: textInput("name", { required: true, maxlength: 100, autocomplete: "off" }) }),
      choiceGroup({ legend: "Entities", name: "entity_ids",
        hint: "The entities the partner's integration can access through the API. You can " +
          "change them later, with immediate effect.", choices: entityChoices(entities) }),
      checkbox("acknowledge_data_access",
        `I understand that ${entry.partner}, the partner, will have access to our data ` +
        "through this integration."),
      h("div", { class: "actions" },
        backButton(choosePartner),
        h("button", { type: "submit" }, "Install")));
    onSubmit(form, async (data) => {
      const body = { name: data.get("name"), entity_ids: checkedValues(form, "entity_ids"),
        acknowledge_data_access: Boolean(data.get("acknowledge_data_access")) };
      const { data: installed } = await api.post(`/ecosystem/${entry.id}/install`, body);
      confirmation(installed);
    });
    step(`Install ${entry.name}`,
      h("dl", { class: "facts card listing-facts" },
        fact("Partner", entry.partner),
        fact("Summary", entry.summary),
        fact("Description", h("span", { class: "long-text" }, entry.description)),
        fact("Category", categoryLabel(entry.category)),
        fact("API permissions", PERMISSION_LABELS[entry.api_permission] || entry.api_permission),
        fact("Website", h("a", { href: entry.website, target: "_blank", rel: "noopener" },
          entry.website)),
        fact("Support", h("a", { href: `mailto:${entry.support_email}` }, entry.support_email))),
      form);
  }

  function confirmation(app) {
    const done = h("div", { class: "actions" },
      h("button", { type: "button", onclick: () => go("/apps") }, "Done"));
    if (app.type === "partner_integration") {
      step("Partner integration installed",
        showOneTimePassword({ app, otp: app.otp, intro:
          `${app.name} is installed. ${app.partner}'s developer, ${app.developer.email}, ` +
          "has been e-mailed that it is linked to them. Pass them this OTP so that they can " +
          "connect the integration to your data: until they verify it, it cannot get a " +
          "token." }),
        done);
    } else if (app.otp) {
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
