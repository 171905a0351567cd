// The admin's session (common/session.js) and what the signed-in user may do.
import { sessionStore } from "../common/session.js";

const MANAGE_APPS = "manage_integration_applications";
const store = sessionStore("integrations.admin.session", "/api/v1");

export const { api } = store;
export const currentSession = () => store.current();
export const saveSession = (session) => store.save(session);
export const logOut = () => store.logOut();

export function currentUser() {
  return currentSession()?.user || null;
}

// What the signed-in user may do; the API enforces it, the screens only hide dead ends.
export function can(what) {
  const user = currentUser();
  if (!user) return false;
  const isAdmin = user.role === "practice_admin";
  switch (what) {
    case "manage_apps":
      return isAdmin || (user.role === "user" && user.permissions.includes(MANAGE_APPS));
    case "read_apps":
      return isAdmin || user.role === "auditor" || user.permissions.includes(MANAGE_APPS);
    case "manage_users":
      return isAdmin;
    case "read_users":
      return isAdmin || user.role === "auditor";
    default:
      return false;
  }
}
