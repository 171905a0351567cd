// One application: the Details tab (client id, token and WSDL URLs, docs links with the API
// Wiki and Docs at /portal/docs, the secret shown once, its expiry, Rotate secret and End
// secret now, the signing keys for private_key_jwt and how to use them), the Entities
// Assigned tab (search and paging) and the Usage tab (the last 30 days, SPEC 15).
// Above the tabs, a banner when the secret expires within 30 days.
import { PERMISSION_LABELS, STATUS_LABELS, dateTime, secretExpiry } from "../common/format.js";
import { confirm } from "../common/dialog.js";
import { add, flash, h, replace } from "../common/dom.js";
import { secretValue } from "../common/copy.js";
import { tabs } from "../common/tabs.js";
import { usageSection } from "../common/usage_chart.js";
import { entitiesPanel } from "./entities.js";
import { takeIssuedSecret } from "./issued.js";
import { howToSection, keysSection } from "./keys.js";
import { api } from "./session.js";

export async function showApp({ main, args: [appId] }) {
  const { data: app } = await api.get(`/apps/${appId}`);
  const view = { banner: h("div"), panel: h("div") };
  add(main,
    h("p", { class: "breadcrumb" }, h("a", { href: "#/" }, "My applications"), ` › ${app.name}`),
    h("h1", {}, app.name),
    app.customer ? h("p", { class: "customer" }, "Partner integration for ",
      h("strong", {}, app.customer)) : null,
    view.banner,
    tabs("app-tabs", [
      ["Details", view.panel],
      ["Entities Assigned", entitiesPanel(app)],
      ["Usage", usageSection({ load: async () => (await api.get(`/apps/${app.id}/usage`)).data })],
    ]));
  renderDetails(view, app, takeIssuedSecret(app.id));
  return app.name;
}

const hasSecret = (app) => (app.auth_methods || []).includes("client_secret");

function renderDetails(view, app, issued) {
  const { panel } = view;
  const fact = (term, value) => [h("dt", {}, term), h("dd", {}, value)];
  replace(view.banner, app.secret_expiry_warning && hasSecret(app)
    ? h("p", { class: "notice notice-warn", role: "status", "data-testid": "expiry-banner" },
      h("span", {}, app.secret_expiry_warning, " Use Rotate secret under Details."))
    : null);
  const active = app.status === "active";
  replace(panel,
    issued ? secretPanel(view, app, issued) : null,
    h("p", {}, app.description),
    h("dl", { class: "facts card" },
      fact("Status", STATUS_LABELS[app.status] || app.status),
      app.customer ? fact("Customer", app.customer) : null,
      fact("API permissions", PERMISSION_LABELS[app.api_permission]),
      fact("Client id", app.client_id
        ? secretValue({ label: "Client id", value: app.client_id, testid: "client-id",
          showLabel: false })
        : "shown once the app is verified"),
      fact("Token URL", h("code", { "data-testid": "token-url" }, app.token_url)),
      fact("WSDL URL", h("code", { "data-testid": "wsdl-url" }, app.wsdl_url)),
      fact("Grant type", "OAuth 2.0 client credentials, with the client secret " +
        "(client_secret_basic or client_secret_post) or a signed assertion (private_key_jwt)"),
      fact("Documentation", h("ul", {},
        // The portal's own API Wiki and Docs (tokens, every SOAP operation, error codes).
        h("li", {}, h("a", { href: "/portal/docs", "data-testid": "api-docs-link" },
          "API Wiki and Docs")),
        app.docs.map((doc) =>
          h("li", {}, h("a", { href: doc.url, target: "_blank", rel: "noopener" }, doc.title)))))),
    active ? secretSection(view, app) : null,
    active ? keysSection(app, { onChanged: (updated) => {
      renderDetails(view, updated, null);
      panel.querySelector("#keys-heading")?.focus();
    } }) : null,
    active ? howToSection(app) : null);
}

function secretSection(view, app) {
  const secret = hasSecret(app);
  const left = secretExpiry(app.secret_expires_at, app.secret_expires_in_days);
  const expiry = app.secret_expires_at
    ? [dateTime(app.secret_expires_at), left ? h("span", { class: "hint" }, ` (${left})`) : null]
    : "never";
  return h("section", { class: "card", "aria-labelledby": "rotate-heading" },
    h("h2", { id: "rotate-heading", tabindex: "-1" }, "Client secret"),
    secret
      ? h("dl", { class: "facts" },
        h("dt", {}, "Expires"), h("dd", { "data-testid": "secret-expires" }, expiry))
      : h("p", { class: "notice notice-info", "data-testid": "no-secret" },
        "There is no client secret: it was ended. Generate a new one to get tokens with a " +
        "secret again."),
    secret
      ? h("p", {}, "The secret was shown once, when it was issued. Before it expires, or if it " +
        "is lost, rotate it: you get a new secret, and the previous one keeps working for a " +
        "grace period so your integration can move over without downtime. If it leaked, end " +
        "it now: it and every token obtained with it stop at once.")
      : null,
    h("div", { class: "actions" },
      h("button", { type: "button", onclick: () => rotate(view, app) },
        secret ? "Rotate secret" : "Generate a new secret"),
      secret ? h("button", { type: "button", class: "danger",
        onclick: () => endSecretNow(view, app) }, "End secret now") : null));
}

function secretPanel(view, app, issued) {
  return h("section", { class: "card once", "aria-labelledby": "secret-heading",
    "data-testid": "issued-secret" },
  h("h2", { id: "secret-heading", tabindex: "-1" }, "Your client secret"),
  h("p", {}, "Copy it now and keep it safe: it is shown only this once and cannot be " +
    "retrieved later."),
  secretValue({ label: "Client id", value: issued.client_id, testid: "issued-client-id" }),
  secretValue({ label: "Client secret", value: issued.client_secret, testid: "client-secret" }),
  issued.previous_secret_valid_until ? h("p", { class: "notice notice-info" },
    `The previous secret keeps working until ${dateTime(issued.previous_secret_valid_until)}.`,
    h("button", { type: "button", class: "link", onclick: () => retirePrevious(view, app) },
      "End the previous secret now")) : null);
}

async function rotate(view, app) {
  const secret = hasSecret(app);
  const yes = await confirm({
    title: secret ? "Rotate the client secret?" : "Generate a new client secret?",
    yes: secret ? "Rotate" : "Generate", no: "Cancel",
    message: secret
      ? "A new secret is issued and shown once. The current secret keeps working for the " +
        "grace period, then stops."
      : "A new secret is issued and shown once." });
  if (!yes) return;
  try {
    const { data } = await api.post(`/apps/${app.id}/secret`);
    renderDetails(view, data, data); // the new secret, shown here once
    view.panel.querySelector("#secret-heading").focus();
  } catch (error) {
    flash(error.message, "error");
  }
}

async function endSecretNow(view, app) {
  const yes = await confirm({ title: "End the client secret now?", danger: true,
    yes: "End secret now", no: "Cancel",
    message: "The secret stops working at once, with no grace period, and so does every " +
      "access token obtained with it: integrations using it stop. Your group's admins are " +
      "e-mailed. You can generate a new secret afterwards." });
  if (!yes) return;
  try {
    const { data } = await api.post(`/apps/${app.id}/secret/revoke-now`);
    renderDetails(view, data, null);
    view.panel.querySelector("#rotate-heading")?.focus();
    flash("The client secret is ended: it and every token obtained with it no longer work.");
  } catch (error) {
    flash(error.message, "error");
  }
}

async function retirePrevious(view, app) {
  const yes = await confirm({ title: "End the previous secret now?", danger: true,
    message: "Integrations still using the previous secret will stop getting tokens at once." });
  if (!yes) return;
  try {
    await api.delete(`/apps/${app.id}/secret/previous`);
    flash("The previous secret no longer works.");
    view.panel.querySelector("[data-testid=issued-secret] .notice-info")?.remove();
  } catch (error) {
    flash(error.message, "error");
  }
}
