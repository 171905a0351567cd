// The developer's portal session, kept for this browser tab only.
import { sessionStore } from "../common/session.js";

const INVITE = "integrations.portal.invite";
const store = sessionStore("integrations.portal.session", "/portal/v1");

export const { api } = store;
export const currentSession = () => store.current();
export const logOut = () => store.logOut();

// The invite token arrives in the link's fragment (#invite=...), which browsers never send to
// a server. It is moved out of the address bar at once, so it is not left in the history.
export function takeInviteFromUrl() {
  const match = /^#invite=([^&]+)/.exec(location.hash);
  if (!match) return;
  sessionStorage.setItem(INVITE, decodeURIComponent(match[1]));
  history.replaceState(null, "", `${location.pathname}#/signup`);
}

export function inviteToken() {
  return sessionStorage.getItem(INVITE);
}

export function forgetInvite() {
  sessionStorage.removeItem(INVITE);
}

export async function logIn(email, password) {
  const { data } = await api.post("/session", { email, password });
  store.save({ token: data.token, account: data.account });
  return data.account;
}
