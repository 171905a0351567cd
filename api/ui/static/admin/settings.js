// Security settings of the group: how long client secrets issued from now on live.
// Practice admins change it; everyone else reads it.
import { flash, h } from "../common/dom.js";
import { field, fieldError, formAlert, onSubmit, textInput } from "../common/forms.js";
import { api, can } from "./session.js";

const MIN_DAYS = 30;
const MAX_DAYS = 730;

// A whole number of days, or an error beside the field (the API checks the range).
function days(value) {
  const text = String(value || "").trim();
  if (!/^\d{1,6}$/.test(text)) {
    throw fieldError("secret_lifetime_days",
      `Enter a whole number of days from ${MIN_DAYS} to ${MAX_DAYS}.`);
  }
  return Number.parseInt(text, 10);
}

export async function showSettings({ main }) {
  const { data: group } = await api.get("/group");
  const editable = can("manage_users");
  const lifetime = textInput("secret_lifetime_days", {
    type: "number", value: String(group.secret_lifetime_days), min: MIN_DAYS, max: MAX_DAYS,
    step: 1, inputmode: "numeric", required: true, disabled: !editable,
  });
  const form = h("form", { class: "card narrow", novalidate: true },
    h("h2", {}, "Client secrets"),
    formAlert(),
    field({ label: "Client secret lifetime (days)", name: "secret_lifetime_days",
      hint: `From ${MIN_DAYS} to ${MAX_DAYS} days. Applies to client secrets issued from now ` +
        "on; secrets already issued keep their expiry until they are rotated. Developers " +
        "and Integration Admins are warned 30, 7 and 1 days before a secret expires.",
      control: lifetime }),
    editable
      ? h("div", { class: "actions" }, h("button", { type: "submit" }, "Save"))
      : h("p", { class: "hint" }, "Only practice admins can change the group's settings."));
  onSubmit(form, async (data) => {
    const { data: saved } = await api.patch("/group",
      { secret_lifetime_days: days(data.get("secret_lifetime_days")) });
    lifetime.value = String(saved.secret_lifetime_days);
    flash(`New client secrets now live ${saved.secret_lifetime_days} days.`);
  });
  main.append(
    h("p", { class: "breadcrumb" }, `Setup › ${group.name} › Security settings`),
    h("h1", {}, "Security settings"),
    form);
  return "Security settings";
}
