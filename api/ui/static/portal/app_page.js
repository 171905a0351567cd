// One application: the Details tab (client id, token and WSDL URLs, docs links, the secret
// shown once, Rotate secret) and the Entities Assigned tab (search and paging).
import { PERMISSION_LABELS, STATUS_LABELS, dateTime } from "../common/format.js";
import { confirm } from "../common/dialog.js";
import { flash, h, replace } from "../common/dom.js";
import { secretValue } from "../common/copy.js";
import { tabs } from "../common/tabs.js";
import { entitiesPanel } from "./entities.js";
import { takeIssuedSecret } from "./issued.js";
import { api } from "./session.js";

export async function showApp({ main, args: [appId] }) {
  const { data: app } = await api.get(`/apps/${appId}`);
  const details = h("div");
  main.append(
    h("p", { class: "breadcrumb" }, h("a", { href: "#/" }, "My applications"), ` › ${app.name}`),
    h("h1", {}, app.name),
    tabs("app-tabs", [
      ["Details", details],
      ["Entities Assigned", entitiesPanel(app)],
    ]));
  renderDetails(details, app, takeIssuedSecret(app.id));
  return app.name;
}

function renderDetails(panel, app, issued) {
  const fact = (term, value) => [h("dt", {}, term), h("dd", {}, value)];
  replace(panel,
    issued ? secretPanel(panel, app, issued) : null,
    h("p", {}, app.description),
    h("dl", { class: "facts card" },
      fact("Status", STATUS_LABELS[app.status] || app.status),
      fact("API permissions", PERMISSION_LABELS[app.api_permission]),
      fact("Client id", app.client_id
        ? secretValue({ label: "Client id", value: app.client_id, testid: "client-id",
          showLabel: false })
        : "shown once the app is verified"),
      fact("Token URL", h("code", { "data-testid": "token-url" }, app.token_url)),
      fact("WSDL URL", h("code", { "data-testid": "wsdl-url" }, app.wsdl_url)),
      fact("Grant type", "OAuth 2.0 client credentials (client_secret_basic or client_secret_post)"),
      fact("Documentation", h("ul", {}, app.docs.map((doc) =>
        h("li", {}, h("a", { href: doc.url, target: "_blank", rel: "noopener" }, doc.title)))))),
    app.status === "active" ? h("section", { class: "card", "aria-labelledby": "rotate-heading" },
      h("h2", { id: "rotate-heading" }, "Client secret"),
      h("p", {}, "The secret was shown once, when it was issued. If it is lost or leaked, " +
        "rotate it: you get a new secret, and the previous one keeps working for a grace " +
        "period so your integration can move over without downtime."),
      h("div", { class: "actions" },
        h("button", { type: "button", onclick: () => rotate(panel, app) }, "Rotate secret"))) : null);
}

function secretPanel(panel, app, issued) {
  return h("section", { class: "card once", "aria-labelledby": "secret-heading",
    "data-testid": "issued-secret" },
  h("h2", { id: "secret-heading", tabindex: "-1" }, "Your client secret"),
  h("p", {}, "Copy it now and keep it safe: it is shown only this once and cannot be " +
    "retrieved later."),
  secretValue({ label: "Client id", value: issued.client_id, testid: "issued-client-id" }),
  secretValue({ label: "Client secret", value: issued.client_secret, testid: "client-secret" }),
  issued.previous_secret_valid_until ? h("p", { class: "notice notice-info" },
    `The previous secret keeps working until ${dateTime(issued.previous_secret_valid_until)}.`,
    h("button", { type: "button", class: "link", onclick: () => retirePrevious(panel, app) },
      "End the previous secret now")) : null);
}

async function rotate(panel, app) {
  const yes = await confirm({ title: "Rotate the client secret?", yes: "Rotate", no: "Cancel",
    message: "A new secret is issued and shown once. The current secret keeps working for " +
      "the grace period, then stops." });
  if (!yes) return;
  try {
    const { data } = await api.post(`/apps/${app.id}/secret`);
    renderDetails(panel, data, data); // the new secret, shown here once
    panel.querySelector("#secret-heading").focus();
  } catch (error) {
    flash(error.message, "error");
  }
}

async function retirePrevious(panel, app) {
  const yes = await confirm({ title: "End the previous secret now?", danger: true,
    message: "Integrations still using the previous secret will stop getting tokens at once." });
  if (!yes) return;
  try {
    await api.delete(`/apps/${app.id}/secret/previous`);
    flash("The previous secret no longer works.");
    panel.querySelector(".notice-info")?.remove();
  } catch (error) {
    flash(error.message, "error");
  }
}
