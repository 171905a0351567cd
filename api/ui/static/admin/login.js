// Login and logout.
import { flashNext, h } from "../common/dom.js";
import { field, formAlert, onSubmit, textInput } from "../common/forms.js";
import { go } from "../common/router.js";
import { api, forgetSession, saveSession } from "./session.js";

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
    const { data: session } = await api.post("/session", {
      email: data.get("email"), password: data.get("password"),
    });
    saveSession({ token: session.token, user: session.user });
    go("/apps");
  });
  main.append(
    h("h1", {}, "Log in"),
    params.get("expired")
      ? h("p", { class: "notice notice-info", role: "status" },
        "Your session ended. Log in again to continue.") : null,
    form,
    h("p", { class: "hint" }, "Developers: the Developer Portal is at ",
      h("a", { href: "/portal/" }, "/portal/"), "."));
  return "Log in";
}

export async function logOut() {
  try {
    await api.delete("/session");
  } catch {
    // The session may already be over; the browser forgets it either way.
  }
  forgetSession();
  flashNext("You are logged out.", "info");
  go("/login");
}
