// Users: practice admins create users and grant "Manage Integration Applications"
// (Edit from the user's Actions, tick the permission, Process); auditors read.
import { openDialog } from "../common/dialog.js";
import { add, flash, h, replace } from "../common/dom.js";
import { checkbox, field, formAlert, onSubmit, select, textInput } from "../common/forms.js";
import { api, can, currentUser } from "./session.js";

const MANAGE_APPS = "manage_integration_applications";
const ROLES = [["user", "User"], ["practice_admin", "Practice admin"], ["auditor", "Auditor"]];
const roleLabel = (role) => ROLES.find(([r]) => r === role)?.[1] || role;

function permissionText(user) {
  if (user.role === "practice_admin") return "Yes (practice admins have it by default)";
  return user.permissions.includes(MANAGE_APPS) ? "Yes" : "No";
}

function permissionBox(user) {
  return checkbox("manage_apps", "Manage Integration Applications", {
    checked: user?.role === "practice_admin" || user?.permissions.includes(MANAGE_APPS),
    hint: "Practice admins have this permission by default; auditors read only.",
  });
}

function permissionsFrom(data) {
  return data.get("manage_apps") && data.get("role") === "user" ? [MANAGE_APPS] : [];
}

export async function showUsers({ main }) {
  const body = h("tbody");
  const manage = can("manage_users");

  async function load() {
    const { data: users } = await api.get("/users");
    replace(body, users.map((user) => h("tr", {},
      h("td", { "data-label": "Name" }, user.full_name),
      h("td", { "data-label": "E-mail" }, user.email),
      h("td", { "data-label": "Role" }, roleLabel(user.role)),
      h("td", { "data-label": "Manage Integration Applications" }, permissionText(user)),
      h("td", { "data-label": "Actions" }, manage && user.id !== currentUser().id
        ? h("button", { type: "button", class: "secondary", "aria-label": `Edit ${user.full_name}`,
          onclick: () => editUser(user) }, "Edit")
        : null))));
  }

  function dialogForm(title, controls, submitLabel, action) {
    const form = h("form", { novalidate: true }, formAlert(), controls,
      h("div", { class: "actions" },
        h("button", { type: "submit" }, submitLabel),
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close() },
          "Cancel")));
    const dialog = openDialog({ title, body: form });
    onSubmit(form, async (data) => {
      await action(data);
      dialog.close();
      await load();
    });
  }

  function editUser(user) {
    dialogForm(`Edit ${user.full_name}`, [
      field({ label: "Full name", name: "full_name",
        control: textInput("full_name", { value: user.full_name, required: true }) }),
      field({ label: "Role", name: "role", control: select("role", ROLES, { value: user.role }) }),
      permissionBox(user),
    ], "Process", async (data) => {
      await api.patch(`/users/${user.id}`, { full_name: data.get("full_name"),
        role: data.get("role"), permissions: permissionsFrom(data) });
      flash(`${data.get("full_name")} is updated.`);
    });
  }

  function newUser() {
    dialogForm("New User", [
      field({ label: "E-mail", name: "email",
        control: textInput("email", { type: "email", required: true, autocomplete: "off" }) }),
      field({ label: "Full name", name: "full_name",
        control: textInput("full_name", { required: true }) }),
      field({ label: "Role", name: "role", control: select("role", ROLES, { value: "user" }) }),
      field({ label: "Password", name: "password", hint: "At least 12 characters.",
        control: textInput("password", { type: "password", required: true,
          autocomplete: "new-password" }) }),
      permissionBox(null),
    ], "Create user", async (data) => {
      await api.post("/users", { email: data.get("email"), full_name: data.get("full_name"),
        role: data.get("role"), password: data.get("password"),
        permissions: permissionsFrom(data) });
      flash(`${data.get("email")} can now log in.`);
    });
  }

  add(main,
    h("h1", {}, "Users"),
    manage ? h("div", { class: "toolbar" },
      h("button", { type: "button", onclick: newUser }, "New User")) : null,
    h("div", { class: "table-wrap" }, h("table", { class: "cards" },
      h("caption", { class: "visually-hidden" }, "Users of the group"),
      h("thead", {}, h("tr", {}, ["Name", "E-mail", "Role", "Manage Integration Applications",
        "Actions"].map((c) => h("th", { scope: "col" }, c)))),
      body)));
  await load();
  return "Users";
}
