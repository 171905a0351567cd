// The team console (SPEC 11, 12): routes, header and session guard.
import { h, replace } from "../common/dom.js";
import { router } from "../common/router.js";
import { showGroups } from "./groups.js";
import { showListings } from "./listings.js";
import { showLogin } from "./login.js";
import { showRequests } from "./requests.js";
import { currentSession, currentStaff, logOut } from "./session.js";

const main = document.getElementById("main");

function renderHeader(path) {
  const staff = currentStaff();
  const link = (href, text, active) =>
    h("li", {}, h("a", { href, "aria-current": active ? "page" : false }, text));
  replace(document.getElementById("top"),
    h("span", { class: "product" }, "AIQ · Integrations team"),
    staff ? h("nav", { "aria-label": "Main" }, h("ul", {},
      link("#/requests", "Requests", path === "/requests"),
      link("#/listings", "Listings", path === "/listings"),
      link("#/groups", "Groups", path === "/groups"))) : null,
    staff ? h("span", { class: "who" }, `Signed in as ${staff.full_name} (${staff.email})`) : null,
    staff ? h("button", { type: "button", class: "link", onclick: logOut }, "Log out") : null);
}

const render = router({
  main,
  titleSuffix: "Team console",
  fallback: "/requests",
  guard: (path) => {
    renderHeader(path);
    if (!currentSession()) return path === "/login" ? null : "/login";
    return path === "/login" ? "/requests" : null;
  },
  routes: [
    [/^\/login$/, showLogin],
    [/^\/requests$/, showRequests],
    [/^\/listings$/, showListings],
    [/^\/groups$/, showGroups],
  ],
});
render();
