// Labelled form controls and the one place API errors are put next to the field they name.
import { h, uniqueId } from "./dom.js";
import { ApiError } from "./http.js";

// A labelled control with a hint and an error slot; the control is described by both, so a
// screen reader reads the label, then the hint, then (once set) the error.
export function field({ label, control, hint, name }) {
  const id = control.id || uniqueId(name || "field");
  control.id = id;
  if (name) control.name = name;
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  control.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  return h("div", { class: "field" },
    h("label", { for: id }, label),
    control,
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    h("p", { class: "error", id: errorId, dataset: { errorFor: name || id }, hidden: true }),
  );
}

export function textInput(name, { type = "text", value = "", required = false, ...rest } = {}) {
  return h("input", { type, name, value, required, ...rest });
}

export function textArea(name, { value = "", required = false, ...rest } = {}) {
  const area = h("textarea", { name, required, rows: 4, ...rest });
  area.value = value;
  return area;
}

export function select(name, options, { value = "", ...rest } = {}) {
  const control = h("select", { name, ...rest },
    options.map(([optionValue, text]) => h("option", { value: optionValue }, text)));
  control.value = value;
  return control;
}

export function checkbox(name, label, { checked = false, value = "on", hint, ...rest } = {}) {
  const id = uniqueId(name);
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const input = h("input", { type: "checkbox", id, name, value, checked, ...rest });
  input.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  return h("div", { class: "field checkbox" },
    h("div", { class: "check" }, input, h("label", { for: id }, label)),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    h("p", { class: "error", id: errorId, dataset: { errorFor: name }, hidden: true }),
  );
}

// A group of checkboxes or radios under a legend, with one error slot for the whole group.
export function choiceGroup({ legend, name, type = "checkbox", choices, checked = [], hint }) {
  const errorId = uniqueId(`${name}-error`);
  const fieldset = h("fieldset", { class: "field choices", "aria-describedby": errorId },
    h("legend", {}, legend),
    hint ? h("p", { class: "hint" }, hint) : null,
    h("div", { class: "choice-list" },
      choices.map(({ value, label, description }) => {
        const id = uniqueId(name);
        return h("div", { class: "check" },
          h("input", { type, id, name, value, checked: checked.includes(value) }),
          h("label", { for: id }, label,
            description ? h("span", { class: "choice-description" }, description) : null));
      })),
    h("p", { class: "error", id: errorId, dataset: { errorFor: name }, hidden: true }),
  );
  return fieldset;
}

export function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

// A check made in the page itself, reported the way the API reports one (beside the field).
export function fieldError(name, message) {
  return new ApiError(422, { code: "validation_failed", message, errors: { [name]: [message] } });
}

export function formAlert() {
  return h("div", { class: "form-error", role: "alert", hidden: true });
}

function text(messages) {
  if (typeof messages === "string") return messages;
  if (Array.isArray(messages)) return messages.map(text).join(" ");
  if (messages && typeof messages === "object") return Object.values(messages).map(text).join(" ");
  return String(messages);
}

export function clearErrors(form) {
  for (const slot of form.querySelectorAll("[data-error-for]")) {
    slot.hidden = true;
    slot.textContent = "";
  }
  for (const control of form.querySelectorAll("[aria-invalid]")) {
    control.removeAttribute("aria-invalid");
  }
  const alert = form.querySelector(".form-error");
  if (alert) {
    alert.hidden = true;
    alert.textContent = "";
  }
}

// Shows an ApiError: each field it names gets its message beside that field; what names no
// field of this form (or no field at all) goes in the form's alert. Focus moves to the first
// problem so keyboard and screen-reader users land on it.
export function showErrors(form, error) {
  clearErrors(form);
  const leftover = [];
  let first = null;
  for (const [name, messages] of Object.entries(error.errors || {})) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    if (!slot) {
      leftover.push(`${name.replace(/_/g, " ")}: ${text(messages)}`);
      continue;
    }
    slot.textContent = text(messages);
    slot.hidden = false;
    const owner = slot.closest(".field");
    const control = owner?.querySelector("input, select, textarea");
    if (control) control.setAttribute("aria-invalid", "true");
    if (!first) first = control || owner;
  }
  const placed = Object.keys(error.errors || {}).length - leftover.length;
  const alert = form.querySelector(".form-error");
  if (alert && (placed === 0 || leftover.length)) {
    alert.textContent = [placed === 0 ? error.message : null, ...leftover]
      .filter(Boolean).join(" ");
    alert.hidden = false;
    if (!first) first = alert;
  }
  if (first) {
    if (first === alert) alert.setAttribute("tabindex", "-1");
    first.focus();
  }
}

// Runs `action` for a submitted form: the submit button is disabled meanwhile (no double
// creates), errors land beside their fields, and the form is never left half-busy.
export function onSubmit(form, action) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const buttons = form.querySelectorAll("button[type=submit]");
    buttons.forEach((b) => { b.disabled = true; });
    form.setAttribute("aria-busy", "true");
    clearErrors(form);
    try {
      await action(new FormData(form));
    } catch (error) {
      if (error?.status === undefined) throw error;
      showErrors(form, error);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
      form.removeAttribute("aria-busy");
    }
  });
  return form;
}
