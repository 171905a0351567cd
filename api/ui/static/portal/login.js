// Portal login.
import { h } from "../common/dom.js";
import { field, formAlert, onSubmit, textInput } from "../common/forms.js";
import { go } from "../common/router.js";
import { logIn } from "./session.js";

export function showLogin({ main, params }) {
  const form = h("form", { class: "card narrow", novalidate: true },
    formAlert(),
    field({ label: "E-mail", name: "email",
      control: textInput("email", { type: "email", required: true, autocomplete: "username" }) }),
    field({ label: "Password", name: "password",
      control: textInput("password", { type: "password", required: true,
        autocomplete: "current-password" }) }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Log in")));
  onSubmit(form, async (data) => {
    await logIn(data.get("email"), data.get("password"));
    go("/");
  });
  main.append(
    h("h1", {}, "Log in to the Developer Portal"),
    params.get("expired")
      ? h("p", { class: "notice notice-info", role: "status" },
        "Your session ended. Log in again to continue.") : null,
    form,
    h("p", { class: "hint" }, "New here? Open the sign-up link from your invite e-mail."));
  return "Log in";
}
