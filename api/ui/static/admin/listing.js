// Ecosystem listing (SPEC 12), from a New Integration app's Actions menu: list the app in the
// integration ecosystem, where other AIQ groups find and install it once the AIQ team has
// approved it. The dialog shows where the listing stands (and why, when it was rejected or
// delisted), submits or changes it, and withdraws or delists it.
import { LISTING_STATUS_LABELS, dateTime, plural } from "../common/format.js";
import { openDialog } from "../common/dialog.js";
import { flash, h } from "../common/dom.js";
import { field, formAlert, onSubmit, showErrors, textArea, textInput } from "../common/forms.js";
import { api, can } from "./session.js";

const SUMMARY_LIMIT = 200;
const DESCRIPTION_LIMIT = 2000;

// What each status means for the owner, in a sentence.
function standing(listing) {
  if (!listing) {
    return "Once submitted, the AIQ team reviews the listing before other AIQ groups can " +
      "find and install it.";
  }
  switch (listing.status) {
    case "submitted":
      return "Waiting for review by the AIQ team. You can still change it, or withdraw it.";
    case "published":
      return `Published in the ecosystem: other AIQ groups can find and install it ` +
        `(${plural(listing.installations, "installation")}). To change it, delist it and ` +
        "submit it again.";
    case "rejected":
      return "Rejected by the AIQ team. Change it and submit it again.";
    case "withdrawn":
      return "Withdrawn: nobody can find it. Submit it again to have it reviewed.";
    case "delisted":
      return `Delisted: other groups no longer find it (${plural(listing.installations,
        "installation")}). Submit it again to have it reviewed.`;
    default:
      return listing.status;
  }
}

function statusPanel(listing) {
  const status = listing?.status;
  return h("div", { class: "listing-status", "data-testid": "listing-status" },
    h("p", {}, "Status: ",
      h("span", { class: `badge listing-${status || "none"}` },
        status ? LISTING_STATUS_LABELS[status] || status : "Not listed")),
    h("p", { class: "hint" }, standing(listing)),
    listing?.reason && ["rejected", "delisted"].includes(status)
      ? h("p", { class: "notice notice-warn listing-reason" },
        h("span", {}, h("strong", {}, "Reason: "), listing.reason)) : null,
    listing ? h("p", { class: "hint" }, `Last changed ${dateTime(listing.updated_at)}.`) : null);
}

async function currentListing(app) {
  try {
    const { data } = await api.get(`/integration-applications/${app.id}/listing`);
    return data;
  } catch (error) {
    if (error.status === 404) return null;
    throw error;
  }
}

export async function openListing(app, { onChanged } = {}) {
  let listing;
  try {
    listing = await currentListing(app);
  } catch (error) {
    flash(`The listing of ${app.name} could not be read: ${error.message}`, "error");
    return;
  }
  const path = `/integration-applications/${app.id}/listing`;
  const status = listing?.status;
  const manage = can("manage_apps") && app.status !== "revoked";
  // A published listing stays as reviewed: it changes only after a delist and a new review.
  const editable = manage && status !== "published";
  const value = (name) => listing?.[name] || "";
  const removable = manage && ["submitted", "published"].includes(status);
  const submitLabel = status === "submitted" ? "Save changes"
    : status ? "Submit again" : "Submit for review";

  const form = h("form", { novalidate: true },
    statusPanel(listing),
    formAlert(),
    field({ label: "Summary", name: "summary",
      hint: `One line on the tile other groups see; at most ${SUMMARY_LIMIT} characters.`,
      control: textInput("summary", { value: value("summary"), required: true,
        maxlength: SUMMARY_LIMIT, autocomplete: "off", disabled: !editable }) }),
    field({ label: "Description", name: "description",
      hint: `What the integration does and what it needs; at most ` +
        `${DESCRIPTION_LIMIT.toLocaleString("en")} characters.`,
      control: textArea("description", { value: value("description"), required: true,
        maxlength: DESCRIPTION_LIMIT, disabled: !editable }) }),
    field({ label: "Support e-mail", name: "support_email",
      hint: "Where the groups that install it ask for help.",
      control: textInput("support_email", { type: "email", value: value("support_email"),
        required: true, autocomplete: "off", disabled: !editable }) }),
    field({ label: "Website", name: "website", hint: "An https:// address.",
      control: textInput("website", { type: "url", value: value("website"), required: true,
        autocomplete: "off", placeholder: "https://", disabled: !editable }) }),
    h("div", { class: "actions" },
      editable ? h("button", { type: "submit" }, submitLabel) : null,
      removable ? h("button", { type: "button", class: "danger",
        onclick: (event) => remove(event.currentTarget) },
      status === "published" ? "Delist" : "Withdraw") : null,
      h("button", { type: "button", class: "secondary", onclick: () => dialog.close() },
        "Close")));
  const dialog = openDialog({ title: `Ecosystem listing of ${app.name}`, body: form });

  onSubmit(form, async (data) => {
    const body = {};
    for (const name of ["summary", "description", "support_email", "website"]) {
      body[name] = String(data.get(name) || "").trim();
    }
    const { data: saved } = await api.put(path, body);
    dialog.close();
    flash(saved.status === "submitted"
      ? `The listing of ${app.name} is submitted: the AIQ team reviews it before other ` +
        "groups can find it."
      : `The listing of ${app.name} is saved.`);
    onChanged?.();
  });

  async function remove(button) {
    button.disabled = true;
    try {
      const { data: removed } = await api.delete(path);
      dialog.close();
      flash(removed.status === "delisted"
        ? `${app.name} is delisted: other groups no longer find it. Installations go on.`
        : `The listing of ${app.name} is withdrawn.`);
      onChanged?.();
    } catch (error) {
      if (error?.status === undefined) throw error;
      showErrors(form, error);
    } finally {
      button.disabled = false;
    }
  }
}
