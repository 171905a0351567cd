// The OTP of a developer the team just linked: shown once, with Copy and how to pass it on.
import { secretValue } from "../common/copy.js";
import { h } from "../common/dom.js";

export function oneTimePasswordPanel({ request, otp, onDone }) {
  return h("section", { class: "card once", "aria-labelledby": "otp-heading" },
    h("h2", { id: "otp-heading" }, `One-time password for ${request.name}`),
    h("p", {}, `${request.developer_email} is linked to ${request.name} (${request.group_name}) ` +
      "and has been e-mailed: an invite to the Developer Portal, or a notice if they already " +
      "have an account."),
    secretValue({ label: "OTP", value: otp, testid: "otp" }),
    h("ol", {},
      h("li", {}, "Click Copy."),
      h("li", {}, "Pass the OTP to the developer by a different channel than e-mail: an SMS, ",
        "a chat message or a phone call."),
      h("li", {}, "The developer verifies the app in the Developer Portal with it, within ",
        "3 days.")),
    h("p", { class: "notice notice-warn" },
      "This OTP is shown only once: it cannot be shown again, here or anywhere else. If it is " +
      "lost or expires, the group's admin can issue a new one with Reset OTP under Manage " +
      "Developer Portal Access."),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", onclick: onDone }, "Done")));
}
