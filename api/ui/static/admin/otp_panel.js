// The OTP, shown once, with Copy and the instructions to pass it on by another channel.
import { secretValue } from "../common/copy.js";
import { dateTime } from "../common/format.js";
import { h } from "../common/dom.js";

export function showOneTimePassword({ app, otp, intro }) {
  return h("section", { class: "card once", "aria-labelledby": "otp-heading" },
    h("h2", { id: "otp-heading" }, "One-time password for the developer"),
    intro ? h("p", {}, intro) : null,
    secretValue({ label: "OTP", value: otp, testid: "otp" }),
    h("ol", {},
      h("li", {}, "Click Copy."),
      h("li", {}, "Send the OTP to the developer by a different channel than e-mail: an SMS, ",
        "a WhatsApp message or a phone call."),
      h("li", {}, "The developer verifies the app in the Developer Portal with it. It is valid ",
        `until ${dateTime(app.developer?.otp_expires_at)} (3 days).`)),
    h("p", { class: "notice notice-warn" },
      "This OTP is shown only now. If it is lost or expires, use Reset OTP under Manage " +
      "Developer Portal Access."));
}
