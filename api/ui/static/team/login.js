// Team console login: the vendor's staff only, with their own accounts.
import { h } from "../common/dom.js";
import { loginScreen } from "../common/login.js";
import { go } from "../common/router.js";
import { logIn } from "./session.js";

export function showLogin({ main, params }) {
  return loginScreen({
    main,
    params,
    heading: "Log in to the team console",
    logIn: async (email, password) => {
      await logIn(email, password);
      go("/requests");
    },
    footer: h("p", { class: "hint" }, "For the AIQ integrations team. Group admins log in at ",
      h("a", { href: "/" }, "/"), "; developers at the ", h("a", { href: "/portal/" },
        "Developer Portal"), "."),
  });
}
