// ARIA tabs: arrow keys move between tabs, Tab moves into the panel.
import { h } from "./dom.js";

export function tabs(id, entries) {
  const list = h("div", { role: "tablist", "aria-label": "Sections" });
  const panels = [];
  const buttons = entries.map(([label, content], index) => {
    const tabId = `${id}-tab-${index}`;
    const panelId = `${id}-panel-${index}`;
    panels.push(h("div", { role: "tabpanel", id: panelId, "aria-labelledby": tabId,
      tabindex: "0", hidden: index !== 0 }, content));
    return h("button", { type: "button", role: "tab", id: tabId, "aria-controls": panelId,
      "aria-selected": index === 0 ? "true" : "false", tabindex: index === 0 ? "0" : "-1",
      onclick: () => select(index) }, label);
  });
  function select(index, focus = false) {
    buttons.forEach((button, i) => {
      const chosen = i === index;
      button.setAttribute("aria-selected", chosen ? "true" : "false");
      button.tabIndex = chosen ? 0 : -1;
      panels[i].hidden = !chosen;
    });
    if (focus) buttons[index].focus();
  }
  list.addEventListener("keydown", (event) => {
    const current = buttons.indexOf(document.activeElement);
    if (current < 0) return;
    const moves = { ArrowRight: 1, ArrowLeft: -1, Home: -current, End: buttons.length - 1 - current };
    if (!(event.key in moves)) return;
    event.preventDefault();
    select((current + moves[event.key] + buttons.length) % buttons.length, true);
  });
  list.append(...buttons);
  return h("div", { class: "tabs" }, list, ...panels);
}
