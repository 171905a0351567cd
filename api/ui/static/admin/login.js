// Admin login.
import { h } from "../common/dom.js";
import { loginScreen } from "../common/login.js";
import { go } from "../common/router.js";
import { api, saveSession } from "./session.js";

export function showLogin({ main, params }) {
  return loginScreen({
    main,
    params,
    heading: "Log in",
    logIn: async (email, password) => {
      const { data: session } = await api.post("/session", { email, password });
      saveSession({ token: session.token, user: session.user });
      go("/apps");
    },
    footer: h("p", { class: "hint" }, "Developers: the Developer Portal is at ",
      h("a", { href: "/portal/" }, "/portal/"), "."),
  });
}
