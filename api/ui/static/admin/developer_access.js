// Manage Developer Portal Access: register a developer when none is linked; otherwise the
// developer's state and Resend Invite, Revoke Access and Reset OTP.
import { STATUS_LABELS, dateTime, yesNo } from "../common/format.js";
import { confirm } from "../common/dialog.js";
import { flash, h, replace } from "../common/dom.js";
import { field, formAlert, onSubmit, textInput } from "../common/forms.js";
import { showOneTimePassword } from "./otp_panel.js";
import { api, can } from "./session.js";

const MAIL_KINDS = {
  invite: "invite", app_linked: "notice of the linked app", signup_code: "sign-up code",
  otp_reset: "notice of the OTP reset", access_revoked: "notice of the revoked access",
};

export async function showDeveloperAccess({ main, args: [appId] }) {
  const view = h("div");
  const once = h("div");
  main.append(
    h("p", { class: "breadcrumb" },
      h("a", { href: "#/apps" }, "Setup › Integration Applications"),
      " › Manage Developer Portal Access"),
    view);

  async function act(action, success) {
    try {
      const result = await action();
      flash(success);
      await render();
      return result;
    } catch (error) {
      flash(error.message, "error");
      return null;
    }
  }

  function showOtp(app, otp, intro) {
    replace(once, showOneTimePassword({ app, otp, intro }));
    once.querySelector("h2").setAttribute("tabindex", "-1");
    once.querySelector("h2").focus();
  }

  async function render() {
    const { data: app } = await api.get(`/integration-applications/${appId}`);
    const manage = can("manage_apps") && app.status !== "revoked";
    if (app.developer) {
      // Only the developer resource says whether the last e-mail to them bounced.
      const { data: access } = await api.get(`/integration-applications/${appId}/developer`);
      app.developer = access;
    }
    replace(view,
      h("h1", {}, `Manage Developer Portal Access: ${app.name}`),
      h("p", {}, "Application status: ",
        h("span", { class: `badge status-${app.status}` }, STATUS_LABELS[app.status])),
      once,
      app.developer ? linked(app, manage) : unlinked(app, manage));
  }

  function linked(app, manage) {
    const dev = app.developer;
    const buttons = [];
    if (manage && !dev.signed_up) {
      buttons.push(h("button", { type: "button", class: "secondary", onclick: () => act(
        () => api.post(`/integration-applications/${app.id}/developer/resend-invite`),
        `A new invite is on its way to ${dev.email}; the previous link no longer works.`) },
      "Resend Invite"));
    }
    if (manage && !dev.otp_verified) {
      buttons.push(h("button", { type: "button", class: "secondary", onclick: async () => {
        const result = await act(
          () => api.post(`/integration-applications/${app.id}/developer/reset-otp`),
          `The OTP is reset; ${dev.email} has been notified by e-mail (without the OTP).`);
        if (result) showOtp(result.data, result.data.otp, "The previous OTP no longer works.");
      } }, "Reset OTP"));
    }
    if (manage) {
      buttons.push(h("button", { type: "button", class: "danger", onclick: async () => {
        const yes = await confirm({ title: `Revoke ${dev.email}'s access?`, danger: true,
          message: `${dev.email} will no longer see ${app.name} in the Developer Portal, ` +
            "starting now, and is notified by e-mail. The app's API credentials keep working." });
        if (yes) {
          replace(once);
          await act(() => api.delete(`/integration-applications/${app.id}/developer`),
            `${dev.email} no longer has access to ${app.name}.`);
        }
      } }, "Revoke Access"));
    }
    return h("section", { class: "card", "aria-labelledby": "dev-heading" },
      h("h2", { id: "dev-heading" }, "Linked developer"),
      dev.delivery_problem ? deliveryNotice(dev.delivery_problem, manage && !dev.signed_up) : null,
      h("dl", { class: "facts" },
        h("dt", {}, "E-mail"), h("dd", {}, dev.email),
        h("dt", {}, "Signed up to the portal"), h("dd", {}, yesNo(dev.signed_up)),
        dev.signed_up ? null : h("dt", {}, "Invite expires"),
        dev.signed_up ? null : h("dd", {}, dateTime(dev.invite_expires_at)),
        h("dt", {}, "OTP verified"), h("dd", {}, yesNo(dev.otp_verified)),
        dev.otp_verified ? null : h("dt", {}, "OTP expires"),
        dev.otp_verified ? null : h("dd", {}, dateTime(dev.otp_expires_at)),
        h("dt", {}, "Assigned to this app"), h("dd", {}, dateTime(dev.linked_at))),
      buttons.length ? h("div", { class: "actions" }, buttons) : null);
  }

  // The mail server refused the last e-mail, or it still failed after a day of retries.
  function deliveryNotice(problem, canResend) {
    const what = MAIL_KINDS[problem.kind] || "e-mail";
    const advice = canResend
      ? "check the address, or Resend Invite."
      : "check the address with the developer.";
    return h("p", { class: "notice notice-warn", role: "status" },
      `The last ${what} to ${problem.recipient} could not be delivered ` +
      `(${dateTime(problem.at)}): ${problem.reason} — ${advice}`);
  }

  function unlinked(app, manage) {
    const section = h("section", { class: "card", "aria-labelledby": "dev-heading" },
      h("h2", { id: "dev-heading" }, "No developer is linked"));
    if (!manage) return section;
    const form = h("form", { novalidate: true },
      h("p", {}, "Register a developer: they get an invite to the Developer Portal (or a " +
        "notification if they already have an account), and you get a new OTP to pass on."),
      formAlert(),
      field({ label: "Developer e-mail", name: "email",
        control: textInput("email", { type: "email", required: true, autocomplete: "off" }) }),
      h("div", { class: "actions" }, h("button", { type: "submit" }, "Register developer")));
    onSubmit(form, async (data) => {
      const { data: updated } = await api.put(`/integration-applications/${app.id}/developer`,
        { email: data.get("email") });
      await render();
      flash(`${updated.developer.email} is linked to ${app.name}.`);
      showOtp(updated, updated.otp, `${updated.developer.email} has been e-mailed.`);
    });
    section.append(form);
    return section;
  }

  await render();
  return "Manage Developer Portal Access";
}
