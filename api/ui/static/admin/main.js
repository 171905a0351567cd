// The admin screens: the composition of routes, the header and the session guard.
import { h, replace } from "../common/dom.js";
import { router } from "../common/router.js";
import { showAppList } from "./apps_list.js";
import { showAuditLog } from "./audit_log.js";
import { showDeveloperAccess } from "./developer_access.js";
import { showEditApp } from "./app_edit.js";
import { showLogin } from "./login.js";
import { showNewApp } from "./app_new.js";
import { planGated } from "./plan_notice.js";
import { showSettings } from "./settings.js";
import { showUsers } from "./users.js";
import { showDeliveries } from "./webhook_deliveries.js";
import { showEditWebhook, showNewWebhook, showWebhooks } from "./webhooks.js";
import { api, can, currentSession, currentUser, logOut, saveSession } from "./session.js";

const main = document.getElementById("main");
const UUID = "([0-9a-fA-F-]{36})";

function renderHeader(path) {
  const header = document.getElementById("top");
  const user = currentUser();
  const link = (href, text, active) =>
    h("li", {}, h("a", { href, "aria-current": active ? "page" : false }, text));
  replace(header,
    h("span", { class: "product" }, "AIQ · Group settings"),
    user ? h("nav", { "aria-label": "Main" }, h("ul", {},
      can("read_apps")
        ? link("#/apps", "Setup › Integration Applications", path.startsWith("/apps")) : null,
      can("read_users") ? link("#/users", "Users", path.startsWith("/users")) : null,
      can("read_apps") ? link("#/audit", "Audit log", path === "/audit") : null,
      can("read_apps") ? link("#/webhooks", "Webhooks", path.startsWith("/webhooks")) : null,
      link("#/settings", "Security settings", path === "/settings"))) : null,
    user ? h("span", { class: "who" }, `Signed in as ${user.full_name} (${user.email})`) : null,
    user ? h("button", { type: "button", class: "link", onclick: logOut }, "Log out") : null,
  );
}

function showNoAccess({ main }) {
  main.append(h("h1", {}, "No access yet"),
    h("p", { class: "card" }, "Your user does not have the permission Manage Integration " +
      "Applications. A practice admin of your group can grant it under Users; if it was " +
      "just granted, reload this page."));
  return "No access";
}

const render = router({
  main,
  titleSuffix: "Integration Applications",
  fallback: "/apps",
  guard: (path) => {
    renderHeader(path);
    if (!currentSession()) return path === "/login" ? null : "/login";
    if (path === "/login") return "/apps";
    if (path.startsWith("/apps") && !can("read_apps")) return "/no-access";
    if (path === "/users" && !can("read_users")) return "/no-access";
    if (path === "/audit" && !can("read_apps")) return "/no-access";
    if (path.startsWith("/webhooks") && !can("read_apps")) return "/no-access";
    if (/^\/webhooks\/(new|.+\/edit)$/.test(path) && !can("manage_apps")) return "/webhooks";
    if (path === "/no-access" && can("read_apps")) return "/apps";
    return null;
  },
  routes: [
    [/^\/login$/, showLogin],
    [/^\/apps$/, showAppList],
    [/^\/apps\/new$/, planGated(showNewApp, { probe: true })],
    [new RegExp(`^/apps/${UUID}/edit$`), planGated(showEditApp)],
    [new RegExp(`^/apps/${UUID}/developer$`), planGated(showDeveloperAccess)],
    [/^\/users$/, showUsers],
    [/^\/audit$/, showAuditLog],
    [/^\/webhooks$/, showWebhooks],
    [/^\/webhooks\/new$/, showNewWebhook],
    [new RegExp(`^/webhooks/${UUID}/edit$`), showEditWebhook],
    [new RegExp(`^/webhooks/${UUID}/deliveries$`), showDeliveries],
    [/^\/settings$/, showSettings],
    [/^\/no-access$/, showNoAccess],
  ],
});

// Role and permissions may have changed since login (a practice admin granted one, say):
// re-read them once per page load, before the first screen decides what to show.
async function refreshUser() {
  if (!currentSession()) return;
  try {
    const { data: user } = await api.get("/session");
    saveSession({ ...currentSession(), user });
  } catch {
    // 401 already led to the login screen; anything else: keep what login said.
  }
}

refreshUser().then(render);
