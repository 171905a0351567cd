// The admin's session (common/session.js) and what the signed-in user may do.
import { sessionStore } from "../common/session.js";

const store = sessionStore("integrations.admin.session", "/api/v1");

export const { api } = store;
export const currentSession = () => store.current();
export const saveSession = (session) => store.save(session);
export const logOut = () => store.logOut();

export function currentUser() {
  return currentSession()?.user || null;
}

// What the signed-in user may do, as the API worked it out (`can` of the session's user:
// manage_apps, read_apps, manage_users, read_users). The API still checks every call; the
// screens only hide dead ends.
export function can(what) {
  return Boolean(currentUser()?.can?.[what]);
}
