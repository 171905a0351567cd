// The login screen both audiences share: e-mail, password, and a note when a session ended.
import { add, h } from "./dom.js";
import { field, formAlert, onSubmit, textInput } from "./forms.js";

export function loginScreen({ main, params, heading, logIn, footer }) {
  const form = h("form", { class: "card narrow", novalidate: true },
    formAlert(),
    field({ label: "E-mail", name: "email",
      control: textInput("email", { type: "email", required: true, autocomplete: "username" }) }),
    field({ label: "Password", name: "password",
      control: textInput("password", { type: "password", required: true,
        autocomplete: "current-password" }) }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Log in")));
  onSubmit(form, (data) => logIn(data.get("email"), data.get("password")));
  add(main,
    h("h1", {}, heading),
    params.get("expired")
      ? h("p", { class: "notice notice-info", role: "status" },
        "Your session ended. Log in again to continue.") : null,
    form,
    footer);
  return "Log in";
}
