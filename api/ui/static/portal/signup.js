// Sign-up from the invite link: ask for an e-mailed code, then give the code, your full name
// and a password. The account is then logged in and lands on its applications.
import { h, replace } from "../common/dom.js";
import { field, fieldError, formAlert, onSubmit, textInput } from "../common/forms.js";
import { focusHeading, go } from "../common/router.js";
import { api, forgetInvite, inviteToken, logIn } from "./session.js";

const MIN_PASSWORD = 12;

export function showSignup({ main }) {
  const token = inviteToken();
  main.append(h("h1", {}, "Sign up to the Developer Portal"));
  if (!token) {
    main.append(h("p", { class: "notice notice-info" },
      "Open the sign-up link from your invite e-mail to create your account. Already signed up? ",
      h("a", { href: "#/login" }, "Log in"), "."));
    return "Sign up";
  }
  const view = h("div");
  main.append(view);

  function requestCode() {
    const form = h("form", { class: "card narrow", novalidate: true },
      h("p", {}, "You have been invited to the Developer Portal. First we confirm your e-mail " +
        "address: we send a 6-digit verification code to the address the invite went to."),
      inviteProblemSlot(),
      formAlert(),
      h("div", { class: "actions" }, h("button", { type: "submit" }, "Send me a code")));
    onSubmit(form, async () => {
      const { data } = await api.post("/signup/start", { invite_token: token });
      enterCode(data);
    });
    replace(view, form);
  }

  function enterCode(sent) {
    const minutes = Math.round(sent.expires_in / 60);
    const form = h("form", { class: "card narrow", novalidate: true },
      h("p", { role: "status" }, `We sent a 6-digit code to ${sent.email}. It is valid for ` +
        `${minutes} minutes.`),
      inviteProblemSlot(),
      formAlert(),
      field({ label: "Verification code", name: "code",
        control: textInput("code", { required: true, inputmode: "numeric",
          autocomplete: "one-time-code", maxlength: 6, pattern: "[0-9]{6}" }) }),
      field({ label: "Full name", name: "full_name",
        control: textInput("full_name", { required: true, autocomplete: "name" }) }),
      field({ label: "Password", name: "password",
        hint: `At least ${MIN_PASSWORD} characters. A phrase of several words is easy to ` +
          "remember and hard to guess.",
        control: textInput("password", { type: "password", required: true,
          autocomplete: "new-password", minlength: MIN_PASSWORD }) }),
      field({ label: "Repeat the password", name: "password_again",
        control: textInput("password_again", { type: "password", required: true,
          autocomplete: "new-password" }) }),
      h("div", { class: "actions" },
        h("button", { type: "submit" }, "Create my account"),
        h("button", { type: "button", class: "secondary", onclick: () => {
          requestCode();
          view.querySelector("button[type=submit]").focus();
        } }, "I need a new code")));
    onSubmit(form, async (data) => {
      if (data.get("password") !== data.get("password_again")) {
        throw fieldError("password_again", "This is not the same password.");
      }
      await api.post("/signup/complete", { invite_token: token, code: data.get("code"),
        full_name: data.get("full_name"), password: data.get("password") });
      forgetInvite();
      await logIn(sent.email, data.get("password"));
      go("/");
    });
    replace(view, form);
    focusHeading(main);
    form.querySelector("input").focus();
  }

  requestCode();
  return "Sign up";
}

// Where the API's complaints about the invite itself (expired, used, unknown) appear.
function inviteProblemSlot() {
  return h("p", { class: "form-error", role: "alert", hidden: true,
    dataset: { errorFor: "invite_token" } });
}
