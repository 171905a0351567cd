// A webhook's deliveries (SPEC 15): the latest 100, newest first, each with its status,
// event type, attempts, the receiver's last answer (HTTP status or error) and its times; the
// payload as JSON text under a disclosure; and Redeliver, which sends it again now with the
// same webhook-id (for a receiver that lost it). Refresh reads them again: the sender works
// in the background.
import { dateTime, plural } from "../common/format.js";
import { flash, h, replace } from "../common/dom.js";
import { api, can } from "./session.js";
import { activeBadge, eventsText } from "./webhooks.js";

const STATUS_LABELS = { pending: "Pending", delivered: "Delivered", failed: "Failed" };

function time(iso) {
  return iso ? h("time", { datetime: iso }, dateTime(iso)) : "—";
}

function lastAnswer(delivery) {
  const answer = delivery.last_status ? `HTTP ${delivery.last_status}`
    : delivery.attempts ? "No answer" : "Not sent yet";
  // One element a cell: on a phone each cell is a grid of its label and its content.
  return h("div", {}, h("span", { class: "block" }, answer),
    delivery.last_error ? h("span", { class: "hint block long-text" }, delivery.last_error)
      : null);
}

function times(delivery) {
  const line = (label, iso) => h("span", { class: "block" }, `${label}: `, time(iso));
  return h("div", {}, line("Created", delivery.created_at),
    delivery.status === "delivered" ? line("Delivered", delivery.delivered_at) : null,
    delivery.status === "pending" ? line("Next attempt", delivery.next_attempt_at) : null);
}

function payload(delivery) {
  return h("details", { class: "payload" },
    h("summary", {}, "Payload",
      h("span", { class: "visually-hidden" }, ` of ${delivery.id}`)),
    h("pre", { "data-testid": "payload" }, JSON.stringify(delivery.payload, null, 2)));
}

export async function showDeliveries({ main, args: [webhookId] }) {
  const { data: hook } = await api.get(`/webhooks/${webhookId}`);
  const manage = can("manage_apps");
  const body = h("tbody");
  const summary = h("p", { id: "deliveries-summary", role: "status" });
  const table = h("table", { class: "cards deliveries", "aria-describedby": "deliveries-summary" },
    h("caption", { class: "visually-hidden" }, `Deliveries to ${hook.url}, newest first`),
    h("thead", {}, h("tr", {},
      ["Status", "Event", "Attempts", "Last answer", "Times", "Payload",
        manage ? "Actions" : null].filter(Boolean).map((c) => h("th", { scope: "col" }, c)))),
    body);
  const refresh = h("button", { type: "button", class: "secondary", onclick: () => load() },
    "Refresh");

  async function load() {
    table.setAttribute("aria-busy", "true");
    refresh.disabled = true;
    try {
      const { data: deliveries } = await api.get(`/webhooks/${hook.id}/deliveries`);
      render(deliveries);
      summary.textContent = deliveries.length
        ? `${plural(deliveries.length, "delivery", "deliveries")}, newest first (at most the ` +
          "latest 100)."
        : "No deliveries yet.";
    } catch (error) {
      if (error?.status === undefined) throw error;
      summary.textContent = `The deliveries could not be read: ${error.message}`;
    } finally {
      table.removeAttribute("aria-busy");
      refresh.disabled = false;
    }
  }

  function render(deliveries) {
    if (!deliveries.length) {
      replace(body, h("tr", {}, h("td", { colspan: manage ? 7 : 6, class: "empty" },
        "No deliveries yet: each event the webhook subscribes to is listed here once it " +
        "happens.")));
      return;
    }
    replace(body, deliveries.map((delivery) => h("tr", { dataset: { deliveryId: delivery.id } },
      h("td", { "data-label": "Status" }, h("span",
        { class: `badge delivery-${delivery.status}` },
        STATUS_LABELS[delivery.status] || delivery.status)),
      h("td", { "data-label": "Event" }, h("div", {},
        h("span", { class: "block" }, delivery.event_type),
        h("code", { class: "hint block delivery-id", title: "webhook-id" }, delivery.id))),
      h("td", { "data-label": "Attempts" }, String(delivery.attempts)),
      h("td", { "data-label": "Last answer" }, lastAnswer(delivery)),
      h("td", { "data-label": "Times" }, times(delivery)),
      h("td", { "data-label": "Payload" }, payload(delivery)),
      manage ? h("td", { "data-label": "Actions" }, h("button", { type: "button",
        class: "secondary", "aria-label": `Redeliver ${delivery.event_type} ${delivery.id}`,
        onclick: (event) => redeliver(delivery, event.currentTarget) }, "Redeliver")) : null)));
  }

  async function redeliver(delivery, button) {
    button.disabled = true;
    try {
      await api.post(`/webhooks/${hook.id}/deliveries/${encodeURIComponent(delivery.id)}` +
        "/redeliver");
      flash(`${delivery.event_type} is sent again, with the same webhook-id ${delivery.id}.`);
      await load();
    } catch (error) {
      if (error?.status === undefined) throw error;
      flash(`It could not be sent again: ${error.message}`, "error");
      button.disabled = false;
    }
  }

  main.append(
    h("p", { class: "breadcrumb" }, h("a", { href: "#/webhooks" }, "Setup › Webhooks"),
      " › Deliveries"),
    h("h1", {}, "Deliveries"),
    h("p", { class: "hint intro" }, "A delivery is retried after 5 s, 10 s, 20 s and so on, " +
      "at most an hour apart, until your server answers 2xx, and marked failed after 24 " +
      "hours. Redeliver sends one again now, with the same webhook-id."),
    h("dl", { class: "facts card webhook-facts" },
      h("dt", {}, "URL"), h("dd", {}, hook.url),
      h("dt", {}, "Events"), h("dd", {}, eventsText(hook.events)),
      hook.description ? h("dt", {}, "Description") : null,
      hook.description ? h("dd", {}, hook.description) : null,
      h("dt", {}, "Status"), h("dd", {}, activeBadge(hook),
        hook.active ? null : h("span", { class: "hint block" },
          "Paused: no new events are sent to it."))),
    h("div", { class: "toolbar" }, refresh),
    h("div", { class: "table-wrap" }, table),
    summary);
  await load();
  return "Deliveries";
}
