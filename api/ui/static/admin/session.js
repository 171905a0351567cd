// The admin's session: the bearer token and who they are, kept for this browser tab only
// (sessionStorage: closing the tab forgets it; another site cannot read it).
import { apiClient } from "../common/http.js";

const KEY = "integrations.admin.session";
const MANAGE_APPS = "manage_integration_applications";

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

export const api = apiClient("/api/v1", {
  session: () => currentSession()?.token || null,
  onExpired: () => {
    forgetSession();
    location.hash = "#/login?expired=1";
  },
});
