// An app's usage (SPEC 15), for the admin's app screen and the developer's portal alike: SOAP
// calls per UTC day as a bar chart drawn in inline SVG (no library), refused calls stacked on
// top and tokens issued as a line; the same numbers in a real table under "Show the numbers";
// and when the app was last used. Colours come from classes in style.css (CSP: no inline
// styles); sizes and positions are SVG attributes set here, which CSP allows.
import { h, replace, uniqueId } from "./dom.js";
import { dateTime, plural } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 16, right: 16, bottom: 48, left: 60 };
const TICKS = 4;

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) element.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

const count = (n) => Number(n || 0).toLocaleString();
const refused = (day) => Object.values(day.denied || {}).reduce((sum, n) => sum + n, 0);

// A UTC day ("2025-06-03") as people read it, in the browser's language, never shifted by
// the local time zone.
function dayLabel(day, options) {
  const moment = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(moment.getTime())) return day;
  return moment.toLocaleDateString(undefined, { timeZone: "UTC", ...options });
}
const shortDay = (day) => dayLabel(day, { day: "numeric", month: "short" });
const longDay = (day) => dayLabel(day, { weekday: "short", day: "numeric", month: "short",
  year: "numeric" });
// The table's days: all within a few weeks, so no year (the <time> element has the date); the
// weekday is left out on a phone, where the table must fit.
const tableDay = (day) => [
  h("span", { class: "weekday" }, `${dayLabel(day, { weekday: "short" })} `),
  dayLabel(day, { day: "numeric", month: "short" })];

// The axis' top: 1, 2 or 5 times a power of ten per tick, so every tick is a whole number.
function niceStep(max) {
  const rough = Math.max(1, max / TICKS);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough);
  return Math.max(1, Math.ceil(step));
}

function totals(days) {
  return days.reduce((sum, day) => ({
    calls: sum.calls + day.calls,
    refused: sum.refused + refused(day),
    tokens: sum.tokens + day.tokens,
    writes: sum.writes + day.writes,
  }), { calls: 0, refused: 0, tokens: 0, writes: 0 });
}

// What the chart shows, in one sentence: the chart's accessible name.
function summary(days) {
  if (!days.length) return "No usage to show.";
  const all = totals(days);
  const busiest = days.reduce((best, day) => (day.calls > best.calls ? day : best), days[0]);
  const range = `${longDay(days[0].day)} to ${longDay(days[days.length - 1].day)} (UTC)`;
  const most = busiest.calls ? `, most on ${longDay(busiest.day)} (${count(busiest.calls)})` : "";
  return `SOAP calls per day, ${range}: ${plural(all.calls, "call")} served${most}; ` +
    `${plural(all.refused, "call")} refused; ${plural(all.tokens, "token")} issued.`;
}

function chart(days, titleText) {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const highest = Math.max(0, ...days.map((d) => Math.max(d.calls + refused(d), d.tokens)));
  const step = niceStep(highest);
  const top = step * TICKS;
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(2, Math.min(24, slot * 0.62));
  const x = (index) => MARGIN.left + slot * index + slot / 2;
  const y = (value) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const base = y(0);

  const titleId = uniqueId("usage-title");
  const descId = uniqueId("usage-desc");
  const grid = [];
  for (let tick = 0; tick <= TICKS; tick += 1) {
    const value = tick * step;
    grid.push(
      svg("line", { class: tick ? "grid" : "axis", x1: MARGIN.left, x2: WIDTH - MARGIN.right,
        y1: y(value), y2: y(value) }),
      svg("text", { class: "tick", x: MARGIN.left - 8, y: y(value) + 4, "text-anchor": "end" },
        count(value)));
  }
  // A label under every seventh day, counted back from the newest so today is labelled.
  const labels = days.map((day, index) => ((days.length - 1 - index) % 7 === 0
    ? svg("text", { class: "tick", x: x(index), y: base + 18, "text-anchor": "middle" },
      shortDay(day.day))
    : null));
  const bars = days.map((day, index) => {
    const served = day.calls;
    const denied = refused(day);
    const left = x(index) - barWidth / 2;
    return svg("g", { class: "day", "data-day": day.day },
      // The whole column is the hover target: its tooltip gives the day's numbers.
      svg("rect", { class: "hit", x: x(index) - slot / 2, y: MARGIN.top, width: slot,
        height: plotHeight },
      svg("title", {}, `${longDay(day.day)}: ${plural(served, "call")} served, ` +
        `${plural(denied, "call")} refused, ${plural(day.tokens, "token")} issued`)),
      served ? svg("rect", { class: "bar-calls", x: left, y: y(served), width: barWidth,
        height: base - y(served) }) : null,
      denied ? svg("rect", { class: "bar-refused", x: left, y: y(served + denied),
        width: barWidth, height: y(served) - y(served + denied) }) : null);
  });
  const tokenPoints = days.map((day, index) => `${x(index)},${y(day.tokens)}`).join(" ");
  const tokens = svg("g", { class: "tokens" },
    svg("polyline", { class: "line-tokens", points: tokenPoints }),
    days.map((day, index) => svg("circle", { class: "dot-tokens", cx: x(index), cy: y(day.tokens),
      r: 3 })));

  return svg("svg", {
    class: "usage-svg",
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-label": summary(days),
    "aria-describedby": descId,
  },
  svg("title", { id: titleId }, titleText),
  svg("desc", { id: descId }, "Bars: SOAP calls served each UTC day, with the calls refused " +
    "stacked on top. Line: access tokens issued each day. The same numbers are in the table " +
    "under Show the numbers."),
  grid,
  svg("text", { class: "axis-title", x: 0, y: 0, "text-anchor": "middle",
    transform: `translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)` }, "Per day"),
  svg("text", { class: "axis-title", x: MARGIN.left + plotWidth / 2, y: HEIGHT - 6,
    "text-anchor": "middle" }, "Day (UTC)"),
  labels,
  bars,
  tokens);
}

function legend() {
  const item = (kind, text) => h("li", {},
    h("span", { class: `swatch swatch-${kind}`, "aria-hidden": "true" }), text);
  return h("ul", { class: "usage-legend", "aria-label": "Legend" },
    item("calls", "SOAP calls served"),
    item("refused", "Calls refused"),
    item("tokens", "Tokens issued"));
}

// READ_ONLY may break after its underscores on a narrow screen, not anywhere.
function breakable(code) {
  return code.split("_").flatMap((part, index) => (index ? ["_", h("wbr"), part] : [part]));
}

function refusedText(day) {
  const codes = Object.entries(day.denied || {}).filter(([, n]) => n);
  const total = refused(day);
  if (!codes.length) return count(total);
  return [count(total), h("span", { class: "hint block" },
    codes.map(([code, n], index) => [index ? ", " : "", breakable(code), `: ${count(n)}`]))];
}

// The chart's numbers, newest day first, with the totals in the footer.
function numbersTable(days) {
  const all = totals(days);
  const numeric = { class: "number" };
  return h("table", { class: "usage-numbers" },
    h("caption", {}, "Usage per UTC day, newest first"),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Day"),
      h("th", { scope: "col", ...numeric }, "SOAP calls"),
      h("th", { scope: "col", ...numeric }, "Writes"),
      h("th", { scope: "col", ...numeric }, "Refused"),
      h("th", { scope: "col", ...numeric }, "Tokens"))),
    h("tbody", {}, [...days].reverse().map((day) => h("tr", { dataset: { day: day.day } },
      h("th", { scope: "row", class: "day" },
        h("time", { datetime: day.day }, tableDay(day.day))),
      h("td", numeric, count(day.calls)),
      h("td", numeric, count(day.writes)),
      h("td", numeric, refusedText(day)),
      h("td", numeric, count(day.tokens))))),
    h("tfoot", {}, h("tr", {},
      h("th", { scope: "row" }, "Total"),
      h("td", numeric, count(all.calls)),
      h("td", numeric, count(all.writes)),
      h("td", numeric, count(all.refused)),
      h("td", numeric, count(all.tokens)))));
}

// The "Usage (last 30 days)" section. `load` gives the API's usage report
// ({last_used_at, days: [{day, tokens, calls, writes, denied: {CODE: n}}]}); the section is
// returned at once and filled in when the report arrives.
export function usageSection({ load, heading = "Usage (last 30 days)" }) {
  const headingId = uniqueId("usage-heading");
  const body = h("div", { class: "usage-body", "aria-busy": "true" },
    h("p", { class: "hint" }, "Loading usage…"));
  const section = h("section", { class: "card usage", "aria-labelledby": headingId,
    "data-testid": "usage" },
  h("h2", { id: headingId }, heading),
  body);

  async function show() {
    body.setAttribute("aria-busy", "true");
    try {
      const report = await load();
      const days = report.days || [];
      replace(body,
        h("p", { class: "last-used-line", "data-testid": "last-used" },
          report.last_used_at
            ? ["Last used: ", h("time", { datetime: report.last_used_at },
              dateTime(report.last_used_at))]
            : "Never used"),
        h("p", { class: "hint" }, "Counted per UTC day and added every second, so the very " +
          "latest calls may take a moment to show. Refused calls are those the API turned " +
          "down (read-only, over the quota, not allowed and so on)."),
        // On a phone the chart keeps a readable size and scrolls sideways in its own box;
        // tabindex lets keyboard users scroll it too.
        h("div", { class: "usage-chart", tabindex: "0", role: "group",
          "aria-label": "Usage chart" }, chart(days, heading)),
        legend(),
        h("details", { class: "usage-details" },
          h("summary", {}, "Show the numbers"),
          h("div", { class: "table-wrap" }, numbersTable(days))));
    } catch (error) {
      if (error?.status === undefined) throw error;
      replace(body, h("p", { class: "notice notice-error", role: "alert" },
        `Usage could not be loaded: ${error.message}`));
    } finally {
      body.removeAttribute("aria-busy");
    }
  }

  show();
  return section;
}
