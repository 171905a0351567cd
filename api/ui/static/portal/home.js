// Home: the developer's applications, with an "OTP verification needed" tile for each app
// still to verify, and the Verify dialog.
import { PERMISSION_LABELS } from "../common/format.js";
import { openDialog } from "../common/dialog.js";
import { h } from "../common/dom.js";
import { field, formAlert, onSubmit, textInput } from "../common/forms.js";
import { go } from "../common/router.js";
import { keepIssuedSecret } from "./issued.js";
import { api } from "./session.js";

const NEEDS_OTP = ["pending_verification", "otp_expired", "otp_locked"];

export async function showHome({ main }) {
  const { data: apps } = await api.get("/apps");
  main.append(h("h1", {}, "My applications"));
  if (!apps.length) {
    main.append(h("p", { class: "empty card" },
      "No applications are linked to you yet. When an admin links one, you get an e-mail."));
    return "My applications";
  }
  main.append(h("ul", { class: "app-tiles" }, apps.map(tile)));
  return "My applications";
}

function tile(app) {
  const needsOtp = NEEDS_OTP.includes(app.status);
  const headingId = `app-${app.id}`;
  return h("li", { class: needsOtp ? "needs-otp" : "", "aria-labelledby": headingId },
    h("h2", { id: headingId }, app.name),
    // A partner integration (SPEC 12): the customer group that installed it.
    app.customer ? h("p", { class: "customer" }, "Partner integration for ",
      h("strong", {}, app.customer)) : null,
    needsOtp ? h("p", {}, h("strong", { class: "badge status-otp_expired" },
      "OTP verification needed")) : h("p", {}, h("span", {
      class: `badge status-${app.status}` }, app.state)),
    h("p", {}, app.description),
    h("p", { class: "hint" }, `API permissions: ${PERMISSION_LABELS[app.api_permission]}; ` +
      `${app.entity_count} ${app.entity_count === 1 ? "entity" : "entities"}`),
    needsOtp && app.status !== "pending_verification" ? h("p", { class: "hint" }, app.state) : null,
    h("div", { class: "actions" },
      app.status === "pending_verification"
        ? h("button", { type: "button", "aria-label": `Verify ${app.name}`,
          onclick: () => verify(app) }, "Verify") : null,
      needsOtp ? null : h("a", { href: `#/apps/${app.id}`, class: "button secondary",
        "aria-label": `Open ${app.name}` }, "Open")));
}

function verify(app) {
  const form = h("form", { novalidate: true },
    h("p", {}, "Enter the 8-digit one-time password (OTP) your admin sent you by SMS, " +
      "message or phone."),
    formAlert(),
    field({ label: "OTP", name: "otp",
      control: textInput("otp", { required: true, inputmode: "numeric", maxlength: 8,
        autocomplete: "one-time-code" }) }),
    h("div", { class: "actions" },
      h("button", { type: "submit" }, "Verify"),
      h("button", { type: "button", class: "secondary", onclick: () => dialog.close() },
        "Cancel")));
  const dialog = openDialog({ title: `Verify ${app.name}`, body: form });
  onSubmit(form, async (data) => {
    const { data: credentials } = await api.post(`/apps/${app.id}/verify`,
      { otp: data.get("otp").trim() });
    keepIssuedSecret(credentials);
    dialog.close();
    go(`/apps/${app.id}`);
  });
}
