// The Developer Portal: routes, header and session guard.
import { h, replace } from "../common/dom.js";
import { router } from "../common/router.js";
import { showApp } from "./app_page.js";
import { showHome } from "./home.js";
import { showLogin } from "./login.js";
import { showSignup } from "./signup.js";
import { currentSession, logOut, takeInviteFromUrl } from "./session.js";

const main = document.getElementById("main");
const PUBLIC = ["/login", "/signup"];

function renderHeader(path) {
  const account = currentSession()?.account;
  replace(document.getElementById("top"),
    h("span", { class: "product" }, "AIQ Developer Portal"),
    account ? h("nav", { "aria-label": "Main" }, h("ul", {},
      h("li", {}, h("a", { href: "#/", "aria-current": path === "/" ? "page" : false },
        "My applications")))) : null,
    account ? h("span", { class: "who" }, `Signed in as ${account.full_name}`) : null,
    account ? h("button", { type: "button", class: "link", onclick: logOut }, "Log out") : null);
}

takeInviteFromUrl();
const render = router({
  main,
  titleSuffix: "Developer Portal",
  fallback: "/",
  guard: (path) => {
    renderHeader(path);
    if (path === "/signup") return null;
    if (!currentSession()) return path === "/login" ? null : "/login";
    return PUBLIC.includes(path) ? "/" : null;
  },
  routes: [
    [/^\/$/, showHome],
    [/^\/login$/, showLogin],
    [/^\/signup$/, showSignup],
    [/^\/apps\/([0-9a-fA-F-]{36})$/, showApp],
  ],
});
window.addEventListener("hashchange", takeInviteFromUrl);
render();
