// Webhooks (SPEC 15): where the group's events are POSTed, signed (Standard Webhooks). The
// list of endpoints (URL, events, description, active or paused), Add webhook and Edit (URL,
// events, description, pause and resume), Rotate secret and Delete. The signing secret is in
// the answer to Add and to Rotate secret only, so it is shown once, with Copy, on the screen
// that asked for it. Managers change webhooks; auditors read them and their deliveries.
import { copyableCode, secretValue } from "../common/copy.js";
import { confirm } from "../common/dialog.js";
import { dateTime } from "../common/format.js";
import { flash, flashNext, h, replace } from "../common/dom.js";
import { checkbox, checkedValues, choiceGroup, field, fieldError, formAlert, onSubmit,
  textInput } from "../common/forms.js";
import { focusHeading, go } from "../common/router.js";
import { api, can } from "./session.js";

export const ALL_EVENTS = "*";
// The event types the API takes (domain/webhooks.py EVENT_TYPES), in its order, each with what
// it stands for.
export const EVENT_TYPES = [
  ["app.created", "An integration application is created."],
  ["app.updated", "An application is changed."],
  ["app.revoked", "An application is revoked."],
  ["app.suspended", "An application is suspended: the group left the AIQ3 plan."],
  ["app.restored", "A suspended application works again: the group is back on AIQ3."],
  ["developer.linked", "A developer is linked to an application."],
  ["developer.removed", "A developer's access to an application is revoked."],
  ["app.verified", "The developer verified an application with its OTP."],
  ["credentials.issued", "An application's client secret is issued."],
  ["credentials.ended", "An application's client secret is ended."],
  ["credentials.expiring", "An application's client secret expires soon."],
  ["token.issued", "An application gets an access token."],
  ["call.denied", "An API call of an application is refused."],
  ["user.created", "A user is added to the group."],
  ["group.plan_changed", "The group's plan changes."],
];
const MAX_DESCRIPTION = 500;

export function eventsText(events) {
  return events.includes(ALL_EVENTS) ? "All events" : events.join(", ");
}

export function activeBadge(webhook) {
  return h("span", { class: `badge webhook-${webhook.active ? "active" : "paused"}` },
    webhook.active ? "Active" : "Paused");
}

// A minimal receiver, for the how-to under the secret.
const VERIFY_EXAMPLE = `from standardwebhooks import Webhook, WebhookVerificationError

verifier = Webhook("whsec_...")  # the signing secret above

def handle(body: bytes, headers: dict) -> None:
    try:
        event = verifier.verify(body, headers)  # the signature, and the time (5 minutes)
    except WebhookVerificationError:
        ...  # answer 400: not from AIQ, or too old
    # answer 2xx; de-duplicate by headers["webhook-id"] (the same on every retry)
    print(event["type"], event["data"])`;

// The signing secret, shown once: Copy, "store it now", and how a receiver checks a delivery.
export function secretPanel({ webhook, secret, intro }) {
  return h("section", { class: "card once", "aria-labelledby": "webhook-secret-heading" },
    h("h2", { id: "webhook-secret-heading", tabindex: "-1" }, "Signing secret"),
    h("p", {}, intro),
    h("p", {}, "Webhook: ", h("span", { class: "webhook-url" }, webhook.url)),
    secretValue({ label: "Signing secret", value: secret, testid: "webhook-secret" }),
    h("p", { class: "notice notice-warn" },
      "Store it now, in your receiver's configuration: it is not shown again. If it is lost, " +
      "use Rotate secret on the Webhooks screen to get a new one."),
    h("h3", {}, "How to verify a delivery"),
    h("p", {}, "Each delivery is a POST of JSON ({type, timestamp, data}) signed the ",
      "Standard Webhooks way, with three headers:"),
    h("dl", { class: "facts" },
      h("dt", {}, h("code", {}, "webhook-id")),
      h("dd", {}, "The delivery's id, the same on every retry and redelivery: handle each " +
        "id once."),
      h("dt", {}, h("code", {}, "webhook-timestamp")),
      h("dd", {}, "When it was sent, in seconds since 1970 (UTC): refuse old ones."),
      h("dt", {}, h("code", {}, "webhook-signature")),
      h("dd", {}, h("code", {}, "v1,"), " then the base64 HMAC-SHA256 of ",
        h("code", {}, "webhook-id.webhook-timestamp.body"), ", keyed with the secret (the ",
        "base64 after ", h("code", {}, "whsec_"), ")."),
    ),
    h("p", {}, "A Standard Webhooks library checks all of it; in Python:"),
    copyableCode({ label: "Example: verify a delivery in Python", value: VERIFY_EXAMPLE,
      testid: "verify-example" }));
}

function showSecretIn(slot, options) {
  replace(slot, secretPanel(options));
  slot.querySelector("h2").focus();
}

// -- the list ---------------------------------------------------------------------------------

export async function showWebhooks({ main }) {
  const manage = can("manage_apps");
  const body = h("tbody");
  const once = h("div");

  async function load() {
    const { data: hooks } = await api.get("/webhooks");
    if (!hooks.length) {
      replace(body, h("tr", {}, h("td", { colspan: 6, class: "empty" },
        manage
          ? "No webhooks yet. Add one to have your group's events POSTed to your server."
          : "No webhooks yet.")));
      return;
    }
    replace(body, hooks.map((hook) => h("tr", { dataset: { webhookId: hook.id } },
      h("td", { "data-label": "URL" }, h("span", { class: "webhook-url" }, hook.url)),
      h("td", { "data-label": "Events" }, eventsText(hook.events)),
      h("td", { "data-label": "Description" }, hook.description || "—"),
      h("td", { "data-label": "Status" }, activeBadge(hook)),
      h("td", { "data-label": "Created" }, dateTime(hook.created_at)),
      h("td", { "data-label": "Actions" }, h("div", { class: "row-actions" },
        h("a", { href: `#/webhooks/${hook.id}/deliveries`, class: "button secondary",
          "aria-label": `Deliveries to ${hook.url}` }, "Deliveries"),
        manage ? h("a", { href: `#/webhooks/${hook.id}/edit`, class: "button secondary",
          "aria-label": `Edit ${hook.url}` }, "Edit") : null,
        manage ? h("button", { type: "button", class: "secondary",
          "aria-label": `Rotate secret of ${hook.url}`, onclick: () => rotate(hook) },
        "Rotate secret") : null,
        manage ? h("button", { type: "button", class: "danger",
          "aria-label": `Delete ${hook.url}`, onclick: () => remove(hook) }, "Delete") : null)),
    )));
  }

  async function rotate(hook) {
    const yes = await confirm({
      title: "Rotate the signing secret?",
      message: `A new secret is made for ${hook.url} and shown once. Deliveries are signed ` +
        "with it from now on, retries included: the current secret stops working at once, " +
        "so put the new one in your receiver straight away.",
      yes: "Rotate secret",
      no: "Cancel",
    });
    if (!yes) return;
    try {
      const { data } = await api.post(`/webhooks/${hook.id}/secret`);
      showSecretIn(once, { webhook: data, secret: data.secret,
        intro: "The new secret: deliveries are signed with it from now on, and the previous " +
          "one no longer works." });
    } catch (error) {
      flash(`The secret could not be rotated: ${error.message}`, "error");
    }
  }

  async function remove(hook) {
    const yes = await confirm({
      title: "Delete the webhook?",
      message: `No more events are sent to ${hook.url}; deliveries still waiting are dropped. ` +
        "This cannot be undone.",
      yes: "Delete",
      no: "Cancel",
      danger: true,
    });
    if (!yes) return;
    try {
      await api.delete(`/webhooks/${hook.id}`);
      replace(once);
      flash(`The webhook to ${hook.url} is deleted.`);
      await load();
    } catch (error) {
      flash(`The webhook could not be deleted: ${error.message}`, "error");
    }
  }

  main.append(
    h("p", { class: "breadcrumb" }, "Setup › Webhooks"),
    h("h1", {}, "Webhooks"),
    h("p", { class: "hint intro" }, "Your server gets your group's events as they happen " +
      "(applications created, revoked, verified; secrets issued or expiring; and more): each " +
      "one POSTed to the URLs below that subscribe to it, signed with the webhook's secret, " +
      "and retried for up to 24 hours until your server answers 2xx."),
    manage ? h("div", { class: "toolbar" },
      h("a", { href: "#/webhooks/new", class: "button" }, "Add webhook")) : null,
    once,
    h("div", { class: "table-wrap" }, h("table", { class: "cards webhooks" },
      h("caption", { class: "visually-hidden" }, "Webhooks of the group"),
      h("thead", {}, h("tr", {}, ["URL", "Events", "Description", "Status", "Created",
        "Actions"].map((c) => h("th", { scope: "col" }, c)))),
      body)));
  await load();
  return "Webhooks";
}

// -- add and edit -----------------------------------------------------------------------------

// The event checkboxes under one legend and one error slot; "All events" stands for every
// type (and those added later), so the single types are off while it is ticked.
function eventsGroup(selected) {
  const all = selected.includes(ALL_EVENTS);
  const group = choiceGroup({
    legend: "Events",
    name: "events",
    hint: "The events POSTed to the URL.",
    choices: [
      { value: ALL_EVENTS, label: "All events",
        description: "Every type below, and any added later." },
      ...EVENT_TYPES.map(([value, description]) => ({ value, label: value, description })),
    ],
    checked: all ? [ALL_EVENTS] : selected,
  });
  const [allBox, ...single] = group.querySelectorAll("input[name=events]");
  const sync = () => single.forEach((box) => { box.disabled = allBox.checked; });
  allBox.addEventListener("change", sync);
  sync();
  return group;
}

function chosenEvents(form) {
  const chosen = checkedValues(form, "events");
  if (chosen.includes(ALL_EVENTS)) return [ALL_EVENTS];
  if (!chosen.length) throw fieldError("events", "Choose at least one event, or All events.");
  return chosen;
}

function chosenUrl(data) {
  const url = String(data.get("url") || "").trim();
  if (!url) throw fieldError("url", "Enter the https:// URL to POST the events to.");
  return url;
}

function webhookForm(webhook, { submitLabel, cancelLabel = "Cancel" }) {
  return h("form", { class: "card webhook-form", novalidate: true },
    formAlert(),
    field({ label: "URL", name: "url",
      hint: "An https:// address of your server on the public internet; no user name or " +
        "password in it.",
      control: textInput("url", { type: "url", value: webhook?.url || "", required: true,
        autocomplete: "off", spellcheck: "false", placeholder: "https://" }) }),
    eventsGroup(webhook?.events || []),
    field({ label: "Description", name: "description",
      hint: `Optional: what receives these events, for your team. At most ${MAX_DESCRIPTION} ` +
        "characters.",
      control: textInput("description", { value: webhook?.description || "",
        maxlength: MAX_DESCRIPTION, autocomplete: "off" }) }),
    webhook ? checkbox("active", "Active", { checked: webhook.active,
      hint: "Untick to pause the webhook: no events are sent to it until it is ticked again." })
      : null,
    h("div", { class: "actions" },
      h("a", { href: "#/webhooks", class: "button secondary" }, cancelLabel),
      h("button", { type: "submit" }, submitLabel)));
}

export async function showNewWebhook({ main }) {
  const view = h("div");
  const form = webhookForm(null, { submitLabel: "Add webhook" });
  onSubmit(form, async (data) => {
    const { data: made } = await api.post("/webhooks", {
      url: chosenUrl(data),
      events: chosenEvents(form),
      description: String(data.get("description") || "").trim(),
    });
    replace(view,
      h("h1", {}, "Webhook added"),
      h("p", { class: "notice notice-success", role: "status" },
        `Your group's events (${eventsText(made.events)}) are now POSTed to ${made.url}.`),
      secretPanel({ webhook: made, secret: made.secret,
        intro: "Every delivery to the webhook is signed with this secret." }),
      h("div", { class: "actions" },
        h("a", { href: "#/webhooks", class: "button" }, "Done"),
        h("a", { href: `#/webhooks/${made.id}/deliveries`, class: "button secondary" },
          "See its deliveries")));
    document.title = document.title.replace(/^Add webhook/, "Webhook added");
    focusHeading(main);
  });
  replace(view,
    h("h1", {}, "Add webhook"),
    h("p", { class: "hint intro" }, "Events are POSTed to the URL as JSON, signed with a " +
      "secret shown once the webhook is added."),
    form);
  main.append(
    h("p", { class: "breadcrumb" }, h("a", { href: "#/webhooks" }, "Setup › Webhooks"),
      " › Add webhook"),
    view);
  return "Add webhook";
}

export async function showEditWebhook({ main, args: [webhookId] }) {
  const { data: hook } = await api.get(`/webhooks/${webhookId}`);
  const form = webhookForm(hook, { submitLabel: "Save changes" });
  onSubmit(form, async (data) => {
    const { data: saved } = await api.patch(`/webhooks/${hook.id}`, {
      url: chosenUrl(data),
      events: chosenEvents(form),
      description: String(data.get("description") || "").trim(),
      active: Boolean(data.get("active")),
    });
    flashNext(saved.active
      ? `The webhook to ${saved.url} is saved.`
      : `The webhook to ${saved.url} is saved, and paused: no events are sent to it.`);
    go("/webhooks");
  });
  main.append(
    h("p", { class: "breadcrumb" }, h("a", { href: "#/webhooks" }, "Setup › Webhooks"),
      " › Edit"),
    h("h1", {}, "Edit webhook"),
    h("dl", { class: "facts card webhook-facts" },
      h("dt", {}, "URL"), h("dd", {}, hook.url),
      h("dt", {}, "Status"), h("dd", {}, activeBadge(hook)),
      h("dt", {}, "Created"), h("dd", {}, dateTime(hook.created_at)),
      h("dt", {}, "Last changed"), h("dd", {}, dateTime(hook.updated_at)),
      h("dt", {}, "Deliveries"), h("dd", {},
        h("a", { href: `#/webhooks/${hook.id}/deliveries` }, "See its deliveries"))),
    form);
  return "Edit webhook";
}
