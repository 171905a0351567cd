// Portal login.
import { h } from "../common/dom.js";
import { loginScreen } from "../common/login.js";
import { go } from "../common/router.js";
import { logIn } from "./session.js";

export function showLogin({ main, params }) {
  return loginScreen({
    main,
    params,
    heading: "Log in to the Developer Portal",
    logIn: async (email, password) => {
      await logIn(email, password);
      go("/");
    },
    footer: h("p", { class: "hint" }, "New here? Open the sign-up link from your invite e-mail."),
  });
}
