// Groups: every customer group and its product plan. Integration Applications need AIQ3, so
// moving a group off AIQ3 suspends all its apps at once (and back on AIQ3 restores them): the
// confirmation says so before anything changes.
import { confirm } from "../common/dialog.js";
import { flash, h, replace } from "../common/dom.js";
import { fieldError, formAlert, onSubmit, select } from "../common/forms.js";
import { api } from "./session.js";

export const PLAN_LABELS = { aiq1: "AIQ1", aiq2: "AIQ2", aiq3: "AIQ3" };
const INTEGRATIONS_PLAN = "aiq3";
const planLabel = (plan) => PLAN_LABELS[plan] || plan;

// What the change does, asked before it is made; null answers "no".
function confirmation(group, plan) {
  const from = planLabel(group.plan);
  const to = planLabel(plan);
  if (group.plan === INTEGRATIONS_PLAN) {
    return confirm({
      title: `Move ${group.name} off AIQ3?`,
      message: `${group.name} moves from ${from} to ${to}. Leaving AIQ3 suspends every ` +
        "Integration Application of the group at once: their tokens and API calls are " +
        "refused and the group's admins can no longer manage them, until the group is back " +
        "on AIQ3. Nothing is revoked or deleted.",
      yes: `Move to ${to}`, no: "Cancel", danger: true,
    });
  }
  if (plan === INTEGRATIONS_PLAN) {
    return confirm({
      title: `Move ${group.name} to AIQ3?`,
      message: `${group.name} moves from ${from} to ${to}. Its Integration Applications work ` +
        "again at once, as they were before they were suspended.",
      yes: `Move to ${to}`, no: "Cancel",
    });
  }
  return confirm({
    title: `Move ${group.name} to ${to}?`,
    message: `${group.name} moves from ${from} to ${to}. Its Integration Applications stay ` +
      "suspended: they need AIQ3.",
    yes: `Move to ${to}`, no: "Cancel",
  });
}

function changed(group) {
  if (group.plan === INTEGRATIONS_PLAN) {
    return `${group.name} is on AIQ3: its Integration Applications work again.`;
  }
  return `${group.name} is now on ${planLabel(group.plan)}: its Integration Applications ` +
    "are suspended.";
}

export async function showGroups({ main }) {
  const body = h("tbody");

  // A plan selector and Change, as a small form of its own: an error lands beside it.
  function planForm(group) {
    const id = `plan-${group.id}`;
    const errorId = `${id}-error`;
    const control = select("plan", Object.entries(PLAN_LABELS), { value: group.plan, id,
      "aria-describedby": errorId });
    const form = h("form", { class: "inline-form", novalidate: true },
      h("div", { class: "field" },
        h("label", { for: id, class: "visually-hidden" }, `Plan for ${group.name}`),
        control,
        h("p", { class: "error", id: errorId, dataset: { errorFor: "plan" }, hidden: true })),
      h("button", { type: "submit", class: "secondary",
        "aria-label": `Change the plan of ${group.name}` }, "Change"),
      formAlert());
    onSubmit(form, async (data) => {
      const plan = data.get("plan");
      if (plan === group.plan) {
        throw fieldError("plan", `${group.name} is on ${planLabel(plan)} already.`);
      }
      if (!(await confirmation(group, plan))) {
        control.focus();
        return;
      }
      const { data: saved } = await api.put(`/groups/${group.id}/plan`, { plan });
      flash(changed(saved));
      await load();
      document.getElementById(id)?.focus();
    });
    return form;
  }

  async function load() {
    const { data: groups } = await api.get("/groups");
    if (!groups.length) {
      replace(body, h("tr", {},
        h("td", { colspan: 4, class: "empty" }, "There are no groups yet.")));
      return;
    }
    replace(body, groups.map((group) => h("tr", { dataset: { groupId: group.id } },
      h("td", { "data-label": "Group" }, h("strong", {}, group.name)),
      h("td", { "data-label": "Plan" }, planLabel(group.plan)),
      h("td", { "data-label": "Integration Applications" }, group.plan === INTEGRATIONS_PLAN
        ? h("span", { class: "badge status-active" }, "Available")
        : h("span", { class: "badge status-suspended" }, "Suspended: needs AIQ3")),
      h("td", { "data-label": "Change plan" }, planForm(group)))));
  }

  main.append(
    h("h1", {}, "Groups"),
    h("p", { class: "hint intro" }, "Integration Applications are part of the AIQ3 plan. " +
      "Moving a group off AIQ3 suspends all its applications at once; moving it back " +
      "restores them."),
    h("div", { class: "table-wrap" }, h("table", { class: "cards" },
      h("caption", { class: "visually-hidden" }, "Customer groups and their plans"),
      h("thead", {}, h("tr", {}, ["Group", "Plan", "Integration Applications", "Change plan"]
        .map((c) => h("th", { scope: "col" }, c)))),
      body)));
  await load();
  return "Groups";
}
