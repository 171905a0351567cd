// The staff member's team-console session (common/session.js), kept for this browser tab
// only, under a key of its own: it is neither the admin's nor the portal's session.
import { sessionStore } from "../common/session.js";

const store = sessionStore("integrations.team.session", "/team/v1");

export const { api } = store;
export const currentSession = () => store.current();
export const logOut = () => store.logOut();

export function currentStaff() {
  return currentSession()?.staff || null;
}

export async function logIn(email, password) {
  const { data } = await api.post("/session", { email, password });
  store.save({ token: data.token, staff: data.staff });
  return data.staff;
}
