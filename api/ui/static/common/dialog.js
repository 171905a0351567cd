// Modal dialogs on the native <dialog>: it traps focus, closes on Escape and gives focus back
// to what opened it, in Chromium and Firefox alike.
import { h, uniqueId } from "./dom.js";

export function openDialog({ title, body, onClose }) {
  const titleId = uniqueId("dialog-title");
  const opener = document.activeElement;
  const dialog = h("dialog", { "aria-labelledby": titleId, class: "dialog" },
    h("h2", { id: titleId }, title), body);
  dialog.addEventListener("close", () => {
    dialog.remove();
    onClose?.(dialog.returnValue);
    if (opener && document.contains(opener)) opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

// Yes / No. Resolves true only for Yes; Escape and No resolve false.
export function confirm({ title, message, yes = "Yes", no = "No", danger = false }) {
  return new Promise((resolve) => {
    const form = h("form", { method: "dialog" },
      h("p", {}, message),
      h("div", { class: "actions" },
        h("button", { value: "yes", class: danger ? "danger" : "primary" }, yes),
        h("button", { value: "no", class: "secondary", autofocus: true }, no)));
    openDialog({ title, body: form, onClose: (value) => resolve(value === "yes") });
  });
}
