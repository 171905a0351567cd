// SPEC 11: Integration Applications are part of the AIQ3 plan. For a group on another plan
// the API refuses every apps call with 403 plan_required and a message naming the plan and
// whom to ask; the screens show that message in place of the screen, not a generic error.
import { h, replace } from "../common/dom.js";
import { api } from "./session.js";

const ADDRESS = /[^\s<>()"';,]+@[^\s<>()"';,]+[^\s<>()"';,.]/;

export function isPlanRequired(error) {
  return error?.status === 403 && error.code === "plan_required";
}

// The API's message as is, its e-mail address a link to write to.
function message(text) {
  const match = ADDRESS.exec(text);
  if (!match) return text;
  const [address] = match;
  return [text.slice(0, match.index),
    h("a", { href: `mailto:${address}` }, address),
    text.slice(match.index + address.length)];
}

export function planRequiredNotice(error) {
  return h("section", { class: "card notice-plan", "aria-labelledby": "plan-heading",
    "data-testid": "plan-required" },
    h("h2", { id: "plan-heading" }, "Integration Applications need the AIQ3 plan"),
    h("p", {}, message(error.message)),
    h("p", { class: "hint" }, "Applications your group already has are kept, suspended: they " +
      "cannot get tokens or call the API. They work again as before once the group is on AIQ3."));
}

// The Integration Applications screen with the notice in place of the list.
export function showPlanRequired(main, error) {
  replace(main,
    h("p", { class: "breadcrumb" }, "Setup › Integration Applications"),
    h("h1", {}, "Integration Applications"),
    planRequiredNotice(error));
  return "Integration Applications";
}

// A screen of one app (or the New wizard) for a group off AIQ3: the notice instead. `probe`
// asks the API first where the screen itself would only find out at the end (New).
export function planGated(view, { probe = false } = {}) {
  return async (context) => {
    try {
      if (probe) await api.get("/integration-applications?page_size=1");
      return await view(context);
    } catch (error) {
      if (!isPlanRequired(error)) throw error;
      return showPlanRequired(context.main, error);
    }
  };
}
