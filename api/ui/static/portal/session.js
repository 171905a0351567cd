// The developer's portal session, kept for this browser tab only.
import { apiClient } from "../common/http.js";

const KEY = "integrations.portal.session";
const INVITE = "integrations.portal.invite";

export function currentSession() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || "null");
  } catch {
    return null;
  }
}

export function saveSession(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function forgetSession() {
  sessionStorage.removeItem(KEY);
}

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

export const api = apiClient("/portal/v1", {
  session: () => currentSession()?.token || null,
  onExpired: () => {
    forgetSession();
    location.hash = "#/login?expired=1";
  },
});

export async function logIn(email, password) {
  const { data } = await api.post("/session", { email, password });
  saveSession({ token: data.token, account: data.account });
  return data.account;
}
