// Routing on the URL fragment (#/apps/...): one HTML page per audience, back/forward work,
// and a page can be bookmarked. Each route renders into <main> and moves focus to its heading.
// A screen still loading when the user opens another must never show up on the new one: each
// navigation renders into a container of its own, in <main>, which the next navigation
// discards (a late screen appends to a container no longer on the page), and only the newest
// navigation sets the title, the flash and the focus.
import { clearFlash, h, replace, showPendingFlash } from "./dom.js";

export function parseHash(hash = location.hash) {
  const [path, query = ""] = hash.replace(/^#/, "").split("?");
  return { path: path || "/", params: new URLSearchParams(query) };
}

export function hashFor(path, params) {
  const query = params ? new URLSearchParams(params).toString() : "";
  return `#${path}${query ? `?${query}` : ""}`;
}

export function go(path, params) {
  const next = hashFor(path, params);
  if (location.hash === next) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = next;
}

// Changes the URL's query without re-rendering (filters typed into a list, for instance);
// only while the URL is still `path`'s: a screen left before it loaded keeps out of the way.
export function remember(path, params) {
  if (parseHash().path !== path) return;
  history.replaceState(null, "", hashFor(path, params));
}

export function router({ routes, main, guard, fallback, titleSuffix }) {
  let current = null; // the newest navigation's container
  async function render() {
    const screen = h("div", { class: "screen" });
    current = screen;
    const { path, params } = parseHash();
    const redirect = guard?.(path);
    if (redirect && redirect !== path) {
      go(redirect);
      return;
    }
    for (const [pattern, view] of routes) {
      const match = pattern.exec(path);
      if (!match) continue;
      replace(main, screen);
      let title;
      try {
        title = await view({ main: screen, params, args: match.slice(1) });
      } catch (error) {
        if (current !== screen) return; // left meanwhile: what failed is no longer shown
        if (error?.status === undefined) throw error;
        title = showFailure(screen, error);
      }
      if (current !== screen) return;
      document.title = title ? `${title} · ${titleSuffix}` : titleSuffix;
      showPendingFlash();
      focusHeading(screen);
      return;
    }
    go(fallback);
  }
  // "Skip to content" must not touch the fragment: here the fragment is the route.
  document.querySelector(".skip-link")?.addEventListener("click", (event) => {
    event.preventDefault();
    main.focus();
  });
  window.addEventListener("hashchange", () => {
    clearFlash();
    render();
  });
  return render;
}

export function focusHeading(main) {
  const heading = main.querySelector("h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: false });
  }
}

// A screen whose data the API refused (gone, not yours, server unreachable) says so in place
// of the screen, with a way back, instead of staying blank.
function showFailure(main, error) {
  const title = error.status === 404 ? "Not found" : "Something went wrong";
  replace(main,
    h("h1", {}, title),
    h("p", { class: "notice notice-error", role: "alert" }, error.message),
    h("p", {}, h("a", { href: "#/" }, "Back to the start")));
  return title;
}
