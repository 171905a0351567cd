// Listings (SPEC 12): the partner integrations groups listed in the ecosystem, the oldest
// waiting first. The team approves a submitted listing (other groups then find it), rejects
// it with a reason, or delists a published one, with or without revoking every installation.
// The groups' admins are e-mailed each decision and its reason.
import { LISTING_STATUS_LABELS, PERMISSION_LABELS, categoryLabel, dateTime,
  plural } from "../common/format.js";
import { openDialog } from "../common/dialog.js";
import { flash, h, replace } from "../common/dom.js";
import { checkbox, field, formAlert, onSubmit, select, textArea } from "../common/forms.js";
import { remember } from "../common/router.js";
import { api } from "./session.js";

// The review queue by default; "all" asks the API for every status.
const DEFAULT_STATUS = "submitted";
const FILTERS = [
  ["submitted", "Waiting for review (Submitted)"],
  ...Object.entries(LISTING_STATUS_LABELS).filter(([value]) => value !== "submitted"),
  ["all", "All statuses"],
];
const COLUMNS = ["Listing", "Partner group", "Contact", "Status", "Actions"];
const REASON_LIMIT = 500;

function statusCell(listing) {
  return [
    h("span", { class: `badge listing-${listing.status}` },
      LISTING_STATUS_LABELS[listing.status] || listing.status),
    listing.reason ? h("p", { class: "progress-note" }, h("strong", {}, "Reason: "),
      listing.reason) : null,
    h("span", { class: "hint block" }, plural(listing.installations, "installation")),
    h("span", { class: "hint block" }, `Submitted ${dateTime(listing.submitted_at)}`),
    h("span", { class: "hint block" }, `Changed ${dateTime(listing.updated_at)}`),
  ];
}

export async function showListings({ main, params }) {
  const known = FILTERS.map(([value]) => value);
  let status = known.includes(params.get("status")) ? params.get("status") : DEFAULT_STATUS;
  const body = h("tbody");
  const summary = h("p", { id: "listings-summary", role: "status" });
  const alert = h("div", { class: "form-error", role: "alert", hidden: true });
  const table = h("table", { class: "cards", "aria-describedby": "listings-summary" });
  let latest = 0;

  async function load() {
    remember("/listings", status === DEFAULT_STATUS ? null : { status });
    table.setAttribute("aria-busy", "true");
    const ticket = ++latest;
    try {
      const query = status === "all" ? "" : `?${new URLSearchParams({ status })}`;
      const { data } = await api.get(`/listings${query}`);
      if (ticket !== latest) return;
      alert.hidden = true;
      renderRows(data);
      summary.textContent = plural(data.length, "listing");
    } catch (error) {
      if (ticket !== latest) return;
      alert.textContent = error.message;
      alert.hidden = false;
      replace(body);
      summary.textContent = "";
    } finally {
      if (ticket === latest) table.removeAttribute("aria-busy");
    }
  }

  function renderRows(listings) {
    if (!listings.length) {
      replace(body, h("tr", {}, h("td", { colspan: COLUMNS.length, class: "empty" },
        "No listings match.")));
      return;
    }
    replace(body, listings.map((listing) => h("tr", { dataset: { listingId: listing.id } },
      h("td", { "data-label": "Listing" },
        h("strong", {}, listing.name),
        h("p", { class: "listing-summary" }, listing.summary),
        h("p", { class: "progress-note" }, listing.description),
        h("span", { class: "hint block" }, `Category: ${categoryLabel(listing.category)}; ` +
          `API permissions: ${PERMISSION_LABELS[listing.api_permission] ||
            listing.api_permission}`)),
      h("td", { "data-label": "Partner group" }, listing.partner),
      h("td", { "data-label": "Contact" },
        h("a", { href: listing.website, target: "_blank", rel: "noopener",
          class: "block long-text" }, listing.website),
        h("a", { href: `mailto:${listing.support_email}`, class: "block long-text" },
          listing.support_email)),
      h("td", { "data-label": "Status" }, statusCell(listing)),
      h("td", { "data-label": "Actions" }, h("div", { class: "row-actions" },
        listing.status === "submitted" ? [
          h("button", { type: "button", "aria-label": `Approve ${listing.name}`,
            onclick: (event) => approve(listing, event.currentTarget) }, "Approve"),
          h("button", { type: "button", class: "secondary",
            "aria-label": `Reject ${listing.name}`, onclick: () => reject(listing) }, "Reject"),
        ] : null,
        listing.status === "published"
          ? h("button", { type: "button", class: "danger",
            "aria-label": `Delist ${listing.name}`, onclick: () => delist(listing) }, "Delist")
          : null)))));
  }

  function dialogForm(title, controls, submitLabel, action, { danger = false } = {}) {
    const form = h("form", { novalidate: true }, formAlert(), controls,
      h("div", { class: "actions" },
        h("button", { type: "submit", class: danger ? "danger" : null }, submitLabel),
        h("button", { type: "button", class: "secondary", onclick: () => dialog.close() },
          "Cancel")));
    const dialog = openDialog({ title, body: form });
    onSubmit(form, async (data) => {
      await action(data);
      dialog.close();
      await load();
    });
  }

  function reasonField(hint) {
    return field({ label: "Reason", name: "reason", hint,
      control: textArea("reason", { required: true, maxlength: REASON_LIMIT }) });
  }

  async function approve(listing, button) {
    button.disabled = true;
    try {
      const { data: approved } = await api.post(`/listings/${listing.id}/approve`);
      flash(`${approved.name} is published: every AIQ3 group can find and install it. ` +
        `The admins of ${approved.partner} are e-mailed.`);
      await load();
      main.querySelector("h1")?.focus();
    } catch (error) {
      flash(`${listing.name} could not be approved: ${error.message}`, "error");
      button.disabled = false;
    }
  }

  function reject(listing) {
    dialogForm(`Reject ${listing.name}`, [
      h("p", {}, `The listing is not published. The admins of ${listing.partner} are ` +
        "e-mailed the reason; they can change the listing and submit it again."),
      reasonField(`At most ${REASON_LIMIT} characters.`),
    ], "Reject listing", async (data) => {
      const { data: rejected } = await api.post(`/listings/${listing.id}/reject`,
        { reason: String(data.get("reason") || "").trim() });
      flash(`${rejected.name} is rejected; ${rejected.partner} is told why.`);
    });
  }

  function delist(listing) {
    dialogForm(`Delist ${listing.name}`, [
      h("p", {}, "Other groups no longer find it in the ecosystem. The admins of " +
        `${listing.partner} and of every group that installed it ` +
        `(${plural(listing.installations, "installation")}) are e-mailed the reason.`),
      reasonField(`At most ${REASON_LIMIT} characters.`),
      checkbox("revoke_installations", "Also revoke every installation",
        { hint: "Revoked installations stop at once: their tokens and API calls are refused. " +
          "This cannot be undone. Without it, the installations go on working." }),
    ], "Delist", async (data) => {
      const revoke = Boolean(data.get("revoke_installations"));
      const { data: delisted } = await api.post(`/listings/${listing.id}/delist`,
        { reason: String(data.get("reason") || "").trim(), revoke_installations: revoke });
      flash(revoke
        ? `${delisted.name} is delisted and its installations are revoked.`
        : `${delisted.name} is delisted; its installations go on.`);
    }, { danger: true });
  }

  const filter = select("status", FILTERS, { id: "filter-status", value: status,
    onchange: (event) => {
      status = event.target.value;
      load();
    } });
  table.append(
    h("caption", { class: "visually-hidden" }, "Partner listings in the ecosystem"),
    h("thead", {}, h("tr", {}, COLUMNS.map((c) => h("th", { scope: "col" }, c)))),
    body);
  main.append(
    h("h1", {}, "Listings"),
    h("p", { class: "hint intro" }, "Partner integrations that groups listed in the " +
      "ecosystem, the oldest waiting first. Approve a listing to publish it to every AIQ3 " +
      "group, or reject it saying why; delist a published one when it should no longer be " +
      "offered."),
    h("div", { class: "toolbar" },
      h("div", { class: "field" }, h("label", { for: "filter-status" }, "Status"), filter)),
    alert,
    h("div", { class: "table-wrap" }, table),
    summary);
  await load();
  return "Listings";
}
