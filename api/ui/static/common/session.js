// A signed-in session (bearer token and who it is), kept for this browser tab only:
// sessionStorage is forgotten when the tab closes and no other site can read it.
import { flashNext } from "./dom.js";
import { apiClient } from "./http.js";
import { go } from "./router.js";

export function sessionStore(key, apiPrefix) {
  const store = {
    current() {
      try {
        return JSON.parse(sessionStorage.getItem(key) || "null");
      } catch {
        return null;
      }
    },
    save(session) {
      sessionStorage.setItem(key, JSON.stringify(session));
    },
    forget() {
      sessionStorage.removeItem(key);
    },
    async logOut() {
      try {
        await store.api.delete("/session");
      } catch {
        // The session may already be over; the browser forgets it either way.
      }
      store.forget();
      flashNext("You are logged out.", "info");
      go("/login");
    },
  };
  store.api = apiClient(apiPrefix, {
    session: () => store.current()?.token || null,
    onExpired: () => {
      store.forget();
      location.hash = "#/login?expired=1";
    },
  });
  return store;
}
