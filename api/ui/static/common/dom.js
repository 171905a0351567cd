// Builds elements from data without ever parsing HTML: user-supplied text (app names,
// descriptions, e-mails) always lands in text nodes, so it cannot inject markup.

export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") element.className = value;
    else if (key === "text") element.textContent = value;
    else if (key === "dataset") Object.assign(element.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key in element && typeof value !== "string") element[key] = value;
    else element.setAttribute(key, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Appends as h() does: null, undefined and false are skipped, where the DOM's own append
// would write them out as the text "null" (a screen with an optional part would show it).
export function add(element, ...children) {
  append(element, children);
  return element;
}

export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

let counter = 0;
export function uniqueId(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

// A short message above the page content (success or failure), announced as it appears.
export function flash(message, kind = "success") {
  const area = document.getElementById("flash");
  if (!area) return;
  replace(
    area,
    h("div", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" },
      h("span", {}, message),
      h("button", { type: "button", class: "link", onclick: () => area.replaceChildren() },
        "Dismiss")),
  );
}

export function clearFlash() {
  document.getElementById("flash")?.replaceChildren();
}

const PENDING = "integrations.flash";

// A message for the page the user is about to see (e.g. "Saved" before going back to a list).
export function flashNext(message, kind = "success") {
  sessionStorage.setItem(PENDING, JSON.stringify({ message, kind }));
}

export function showPendingFlash() {
  const pending = sessionStorage.getItem(PENDING);
  if (!pending) return;
  sessionStorage.removeItem(PENDING);
  const { message, kind } = JSON.parse(pending);
  flash(message, kind);
}
