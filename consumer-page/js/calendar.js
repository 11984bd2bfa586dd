// The ledger calendar of one sync: a month grid of the sync's calendar dates.
import { api } from "./api.js";
import { h, replace } from "./dom.js";
import * as dates from "./dates.js";

// Colour is never alone: every status has a symbol and words too.
const STATUS = {
  IMPORTED: { symbol: "✓", words: "imported" },
  MISSING: { symbol: "○", words: "missing" },
  FAILED: { symbol: "✕", words: "failed" },
  IMPORTING: { symbol: "↻", words: "importing" },
};
const WEEKDAYS = [["Mon", "Monday"], ["Tue", "Tuesday"], ["Wed", "Wednesday"], ["Thu", "Thursday"],
  ["Fri", "Friday"], ["Sat", "Saturday"], ["Sun", "Sunday"]];

/**
 * options.onDay(date, button): a click (or Enter, Space) on one of the sync's dates; the dates are
 * then buttons, one tab stop for the month, arrow keys moving between them.
 */
export function createCalendar(sync, clientId, { onDay } = {}) {
  // The sync's today comes from the server, in the sync's zone: never the browser's clock.
  let today = sync.today;
  let month = dates.monthOf(today || sync.firstDate);
  let loadSeq = 0;
  let current = null; // the date button that takes the focus when the grid is tabbed into

  const caption = h("caption", { class: "calendar-caption", "aria-live": "polite" });
  const body = h("tbody");
  const table = h("table", { class: "calendar-grid" }, caption,
    h("thead", {}, h("tr", {}, WEEKDAYS.map(([short, long]) =>
      h("th", { scope: "col" }, h("abbr", { title: long }, short))))),
    body);
  const prev = h("button", { type: "button", class: "icon-button", "aria-label": "Previous month",
    "data-testid": `calendar-prev-${sync.syncId}`, onclick: () => show(dates.addMonths(month, -1)) }, "‹");
  const next = h("button", { type: "button", class: "icon-button", "aria-label": "Next month",
    "data-testid": `calendar-next-${sync.syncId}`, onclick: () => show(dates.addMonths(month, 1)) }, "›");
  const title = h("span", { class: "calendar-title" });
  const message = h("p", { class: "calendar-message", role: "status" });
  const legend = h("ul", { class: "legend", "aria-label": "Legend" },
    Object.entries(STATUS).map(([status, s]) =>
      h("li", { class: `legend-${status.toLowerCase()}` }, h("span", { class: "legend-swatch", "aria-hidden": "true" }, s.symbol), s.words)));

  const el = h("section", { class: "calendar", "data-testid": `calendar-${sync.syncId}`,
    "aria-label": `Import calendar of ${sync.name}` },
    h("div", { class: "calendar-nav" }, prev, title, next),
    table, message, legend);

  function firstMonth() { return dates.min(dates.monthOf(sync.firstDate), dates.monthOf(today)); }
  function lastMonth() { return dates.monthOf(today || sync.firstDate); }

  async function show(newMonth) {
    month = dates.max(firstMonth(), dates.min(lastMonth(), newMonth));
    const from = `${month}-01`;
    const to = dates.addDays(dates.addMonths(month, 1) + "-01", -1);
    const seq = ++loadSeq;
    title.textContent = dates.formatMonth(month);
    el.dataset.month = month;
    caption.textContent = `${dates.formatMonth(month)}, dates in ${sync.timezone}`;
    prev.disabled = month <= firstMonth();
    next.disabled = month >= lastMonth();
    el.setAttribute("aria-busy", "true");
    try {
      const ledger = await api.ledger(clientId, sync.syncId, from, to);
      if (seq !== loadSeq) return; // a newer month was asked for meanwhile
      if (ledger.today) today = ledger.today;
      message.textContent = "";
      render(from, to, new Map(ledger.entries.map((e) => [e.date, e])));
    } catch (e) {
      if (seq !== loadSeq) return;
      message.textContent = `The calendar could not be loaded: ${e.message}`;
      render(from, to, new Map());
    } finally {
      if (seq === loadSeq) el.removeAttribute("aria-busy");
    }
  }

  function render(from, to, entries) {
    const rows = [];
    let row = [];
    for (let i = 0; i < dates.weekdayMon0(from); i++) row.push(h("td", { class: "day-blank" }));
    for (let day = from; day <= to; day = dates.addDays(day, 1)) {
      row.push(dayCell(day, entries.get(day)));
      if (row.length === 7) { rows.push(h("tr", {}, row)); row = []; }
    }
    if (row.length) {
      while (row.length < 7) row.push(h("td", { class: "day-blank" }));
      rows.push(h("tr", {}, row));
    }
    // A refresh (every few seconds while a run goes) keeps the focus on the date that had it.
    const focused = body.contains(document.activeElement) ? document.activeElement.dataset.date : null;
    replace(body, rows);
    if (focused && body.querySelector(`button.day-button[data-date="${focused}"]`)) current = focused;
    if (onDay) rove(!!focused);
  }

  /** One tab stop: the date last chosen if shown, else the month's last date that can be imported. */
  function rove(focus = false) {
    const buttons = [...body.querySelectorAll("button.day-button")];
    if (!buttons.length) return;
    const target = buttons.find((b) => b.dataset.date === current) || buttons[buttons.length - 1];
    for (const b of buttons) b.tabIndex = b === target ? 0 : -1;
    if (focus) target.focus();
  }

  body.addEventListener("keydown", (event) => {
    const button = event.target.closest && event.target.closest("button.day-button");
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[event.key];
    if (!button || !step) return;
    const target = dates.addDays(button.dataset.date, step);
    const next = body.querySelector(`button.day-button[data-date="${target}"]`);
    event.preventDefault();
    if (next) {
      current = target;
      rove(true);
    } else if (target >= sync.firstDate && target <= sync.lastCompleteDate) {
      current = target; // in another month: bring it on screen, then focus it
      show(dates.monthOf(target));
    }
  });

  function dayCell(day, entry) {
    const status = entry ? entry.status : "MISSING";
    const count = entry ? entry.importCount : 0;
    const s = STATUS[status] || STATUS.MISSING;
    // Dates before the first date or not yet complete cannot be imported: shown muted.
    const outside = day < sync.firstDate || day > sync.lastCompleteDate;
    let words = outside ? (day < sync.firstDate ? "before the sync's first date" : "not complete yet") : s.words;
    if (count > 0) words += count === 1 ? ", imported once" : `, imported ${count} times`;
    if (entry && entry.records) words += `, ${entry.records} records`;
    if (entry && entry.lastError && status === "FAILED") words += `: ${entry.lastError}`;
    const content = [
      h("span", { class: "day-number", "aria-hidden": "true" }, String(dates.parts(day).d)),
      h("span", { class: "day-mark", "aria-hidden": "true" }, outside ? "" : s.symbol, count > 0 ? h("span", { class: "day-count" }, `×${count}`) : ""),
      h("span", { class: "visually-hidden" }, `${dates.formatLong(day)} (${day}): ${words}`)];
    const chosen = onDay && !outside ? h("button", { type: "button", class: "day-button", "data-date": day,
      "data-testid": `day-button-${day}`, "aria-haspopup": "dialog",
      onclick: (event) => { current = day; rove(); onDay(day, event.currentTarget); } }, content) : null;
    const isToday = day === today;
    if (isToday) words += ", today";
    return h("td", {
      class: `day day-${status.toLowerCase()}${outside ? " day-outside" : ""}${isToday ? " day-today" : ""}`,
      "aria-current": isToday ? "date" : null,
      "data-testid": `day-${day}`, "data-status": status, "data-import-count": String(count),
      title: `${day}: ${words}${chosen ? " (choose it to see its history)" : ""}`,
    }, chosen || content);
  }

  return {
    el,
    refresh: () => show(month),
    update(newSync) {
      const dayChanged = newSync.today !== today;
      sync = newSync;
      today = newSync.today;
      return dayChanged ? show(dates.monthOf(today)) : show(month);
    },
  };
}
