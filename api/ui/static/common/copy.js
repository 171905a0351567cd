// A one-time secret (OTP, client secret) shown once, with a Copy button; and code to copy.
import { h, uniqueId } from "./dom.js";

async function copyText(text, source) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission: select the text so the user can press Ctrl+C themselves.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return false;
  }
}

// `showLabel: false` where a surrounding label (a <dt>, say) already names the value.
export function secretValue({ label, value, testid, showLabel = true }) {
  const id = uniqueId("secret");
  const output = h("code", { id, class: "secret", "data-testid": testid }, value);
  const status = h("span", { class: "copy-status", role: "status" });
  const button = h("button", {
    type: "button",
    class: "secondary",
    "aria-label": `Copy ${label}`,
    onclick: async () => {
      const copied = await copyText(value, output);
      // A status region: screen readers hear it without focus moving.
      status.textContent = copied ? "Copied" : "Selected: press Ctrl+C to copy";
    },
  }, "Copy");
  return h("div", { class: "secret-row" },
    h("span", { class: showLabel ? "secret-label" : "visually-hidden" }, label),
    output, button, status);
}

// A block of code (an example to paste into a program), with a Copy button under it.
export function copyableCode({ label, value, testid }) {
  const output = h("code", { "data-testid": testid }, value);
  const status = h("span", { class: "copy-status", role: "status" });
  const button = h("button", {
    type: "button",
    class: "secondary",
    "aria-label": `Copy ${label}`,
    onclick: async () => {
      const copied = await copyText(value, output);
      status.textContent = copied ? "Copied" : "Selected: press Ctrl+C to copy";
    },
  }, "Copy");
  // The block scrolls sideways on a phone; tabindex lets keyboard users scroll it too.
  return h("div", { class: "code-block" },
    h("pre", { tabindex: "0", role: "group", "aria-label": label }, output),
    h("div", { class: "secret-row" }, button, status));
}
