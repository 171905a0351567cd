// The Actions dropdown of one application: Edit, Manage Developer Portal Access, Ecosystem
// listing (New Integration apps), Download Activity Log, End client secret now (apps holding
// a secret), Revoke. A <details> disclosure: Enter/Space open it, Tab walks its items, Escape
// closes it and returns focus to the button.
import { confirm } from "../common/dialog.js";
import { flash, h } from "../common/dom.js";
import { saveDownload } from "../common/http.js";
import { openListing } from "./listing.js";
import { api, can } from "./session.js";

export function actionsMenu(app, { onChanged }) {
  const manage = can("manage_apps");
  const live = app.status !== "revoked";
  const hasSecret = (app.auth_methods || []).includes("client_secret");
  const menu = h("details", { class: "menu" });
  const close = () => {
    menu.open = false;
    menu.querySelector("summary").focus();
  };
  const item = (child) => h("li", {}, child);
  menu.append(
    h("summary", { "aria-label": `Actions for ${app.name}` }, "Actions"),
    h("ul", {},
      item(h("a", { href: `#/apps/${app.id}/edit` }, manage && live ? "Edit" : "View details")),
      item(h("a", { href: `#/apps/${app.id}/developer` }, "Manage Developer Portal Access")),
      app.type === "new_integration"
        ? item(h("button", { type: "button", onclick: () => {
          close(); // the dialog gives focus back to Actions
          openListing(app, { onChanged });
        } }, "Ecosystem listing"))
        : null,
      item(h("button", { type: "button", onclick: () => download(app).finally(close) },
        "Download Activity Log")),
      manage && live && hasSecret
        ? item(h("button", { type: "button", onclick: () => endSecret(app, onChanged) },
          "End client secret now"))
        : null,
      manage && live
        ? item(h("button", { type: "button", onclick: () => revoke(app, onChanged) }, "Revoke"))
        : null));
  menu.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && menu.open) {
      event.stopPropagation();
      close();
    }
  });
  return menu;
}

// Only one dropdown open at a time, and a click elsewhere closes it.
document.addEventListener("click", (event) => {
  for (const open of document.querySelectorAll("details.menu[open]")) {
    if (!open.contains(event.target)) open.open = false;
  }
});

async function download(app) {
  try {
    const response = await api.request("GET", `/integration-applications/${app.id}/activity-log.csv`,
      { raw: true, headers: { Accept: "text/csv" } });
    const name = await saveDownload(response, `activity-log-${app.id}.csv`);
    flash(`Downloaded ${name}.`);
  } catch (error) {
    flash(`The activity log could not be downloaded: ${error.message}`, "error");
  }
}

async function revoke(app, onChanged) {
  const yes = await confirm({
    title: `Revoke ${app.name}?`,
    message: "Selecting Yes will stop all API integrations linked to this application from " +
      "running. This cannot be undone.",
    danger: true,
  });
  if (!yes) return;
  try {
    await api.post(`/integration-applications/${app.id}/revoke`, { confirm: true });
    flash(`${app.name} is revoked: its integrations no longer run.`);
    onChanged();
  } catch (error) {
    flash(`${app.name} could not be revoked: ${error.message}`, "error");
  }
}

async function endSecret(app, onChanged) {
  const yes = await confirm({
    title: `End the client secret of ${app.name}?`,
    message: "Selecting Yes stops the app's client secret at once, with no grace period, and " +
      "every access token obtained with it. Integrations using the secret stop until the " +
      "developer, who is e-mailed, generates a new one in the Developer Portal.",
    danger: true,
  });
  if (!yes) return;
  try {
    await api.post(`/integration-applications/${app.id}/revoke-secret`, { confirm: true });
    flash(`The client secret of ${app.name} is ended: it and its tokens no longer work.`);
    onChanged();
  } catch (error) {
    flash(`The client secret of ${app.name} could not be ended: ${error.message}`, "error");
  }
}
