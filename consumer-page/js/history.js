// What happened before: a sync's past runs (the run history under each sync) and what happened to
// one date (the date history, opened from a calendar day). Both show in a dialog of their own.
import { api } from "./api.js";
import { h, replace, plural } from "./dom.js";
import * as dates from "./dates.js";
import { STATUS_WORDS } from "./progress.js";

const RUNS_PAGE = 10;

/**
 * A page of a run's per-date outcomes: { outcomes, nextToken }. The first page comes with the
 * execution's GET (its first 31 dates); the rest from GET …/executions/{id}/outcomes?nextToken=.
 */
export async function readOutcomes(clientId, syncId, executionId, nextToken) {
  if (!nextToken) {
    // The execution carries the first page and the token of the next one.
    const execution = await api.execution(clientId, syncId, executionId);
    return { outcomes: execution.outcomes || [], nextToken: execution.outcomesNextToken || null };
  }
  const page = await api.outcomes(clientId, syncId, executionId, nextToken);
  return { outcomes: page.outcomes || [], nextToken: page.nextToken || null };
}

// ---------------------------------------------------------------- the dialog (in index.html)

const dialog = () => document.getElementById("history-dialog");
const heading = () => document.getElementById("history-dialog-title");
const content = () => document.getElementById("history-dialog-content");

// The button that opened the dialog, found again in its sync's card if it was redrawn meanwhile
// (a calendar or a run list refreshes while a run goes): { el, testId, card }.
let returnFocus = null;
let shown = 0; // which opening the dialog shows: an answer for an older one is dropped
let listening = false;

function onClose() {
  shown++;
  if (!returnFocus) return;
  const { el, testId, card } = returnFocus;
  const again = el.isConnected ? el : document.querySelector(`[data-testid="${card}"] [data-testid="${testId}"]`);
  if (again) again.focus();
}

/** Shows the dialog with a title and "Loading…"; returns a check that says whether this view is still the one shown. */
function show(title, opener) {
  if (!listening) {
    dialog().addEventListener("close", onClose);
    document.getElementById("history-dialog-close").addEventListener("click", () => dialog().close());
    listening = true;
  }
  if (opener) {
    const card = opener.closest("li.sync");
    returnFocus = { el: opener, testId: opener.getAttribute("data-testid"), card: card && card.getAttribute("data-testid") };
  }
  heading().textContent = title;
  replace(content(), h("p", { class: "muted", role: "status" }, "Loading…"));
  if (!dialog().open) dialog().showModal();
  heading().focus();
  const mine = ++shown;
  return () => mine === shown && dialog().open;
}

async function load(still, fetch, render) {
  let answer;
  try {
    answer = await fetch();
  } catch (e) {
    if (still()) replace(content(), h("p", { class: "error", role: "alert", "data-testid": "history-error" }, e.message));
    return;
  }
  if (still()) {
    replace(content(), render(answer));
    heading().focus();
  }
}

// ---------------------------------------------------------------- words

const when = (instant) => dates.formatInstant(instant);
const day = (instant) => (instant ? new Date(instant).toLocaleDateString(undefined, { day: "numeric", month: "short" }) : "");
const times = (n) => (n === 1 ? "once" : n === 2 ? "twice" : `${n} times`);

function duration(from, to) {
  if (!from || !to) return "";
  const s = Math.max(0, Math.round((new Date(to) - new Date(from)) / 1000));
  if (s < 1) return "under 1 s";
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min${s % 60 ? ` ${s % 60} s` : ""}`;
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ""}`;
}

function startedBy(trigger, requestedBy) {
  return trigger === "SCHEDULE" ? "the schedule" : requestedBy;
}

function modeWords(ex) {
  switch (ex.mode) {
    case "SINGLE_DATE": return "Single date (re-import)";
    case "DATE_RANGE": return ex.reimport ? "Date range, re-import all" : "Date range, missing only";
    default: return "Default";
  }
}

function datesWords(plan) {
  if (!plan || !plan.datesCount) return "none";
  const range = plan.from === plan.to ? plan.from : `${plan.from} to ${plan.to}`;
  return `${range} (${plural(plan.datesCount, "date")})`;
}

/** The dates of a run in a table cell: the range on one line, how many on the next. */
function datesCell(plan) {
  if (!plan || !plan.datesCount) return h("td", {}, "none");
  return h("td", {}, h("span", { class: "mono nowrap" }, plan.from === plan.to ? plan.from : `${plan.from} – ${plan.to}`),
    h("br"), plural(plan.datesCount, "date"));
}

function resultWords(p) {
  if (!p || !p.planned) return "nothing to import";
  const parts = ["imported", "failed", "skipped", "cancelled", "pending"].filter((k) => p[k] > 0).map((k) => `${p[k]} ${k}`);
  return parts.join(", ");
}

/** Who confirmed the re-import (or declined it, or let it expire). */
function confirmationWords(ex) {
  const c = ex.confirmation;
  if (c && c.decision === "CONFIRMED") return `Confirmed by ${c.by}`;
  if (c && c.decision === "DECLINED") return `Declined by ${c.by}`;
  if (ex.status === "EXPIRED") return "Expired: nobody confirmed";
  if (ex.status === "AWAITING_CONFIRMATION") return "Waiting for confirmation";
  return ex.plan && ex.plan.requiresConfirmation ? "—" : "Not needed";
}

function statusPill(status) {
  return h("span", { class: `status-pill status-${status.toLowerCase()}`, "data-status": status },
    STATUS_WORDS[status] || status);
}

// ---------------------------------------------------------------- date history

/** Opens what happened to one date of a sync: how often it was imported, by whom, who confirmed, what failed. */
export function openDateHistory(clientId, sync, date, opener) {
  const still = show(`${dates.formatLong(date)} · ${sync.name}`, opener);
  return load(still, () => api.dateHistory(clientId, sync.syncId, date), (body) => dateView(clientId, sync, body));
}

function dateView(clientId, sync, body) {
  const { entry, imports, failures, failedAttempts } = body;
  const oldestFirst = [...imports].reverse();
  const importWords = oldestFirst.map((i) => {
    const who = i.trigger === "SCHEDULE" ? "by the schedule" : `requested by ${i.requestedBy}`;
    return `${i.generation > 1 ? "re-import" : "first import"} on ${day(i.finishedAt)} ${who}`
      + (i.confirmedBy ? `, confirmed by ${i.confirmedBy}` : "");
  });
  const summary = [];
  summary.push(entry.importCount > 0
    ? `Imported ${times(entry.importCount)}: ${importWords.join("; ")}.` : "Never imported.");
  if (failedAttempts > 0) {
    summary.push(`Failed ${times(failedAttempts)}, last on ${day(failures[0] && failures[0].failedAt)}.`);
  }
  if (entry.status === "IMPORTED" && entry.records != null) summary.push(`Now in the client's tool: ${entry.records} records from the last import.`);
  if (entry.status === "FAILED" || entry.status === "MISSING") summary.push("The next default run imports it.");

  const events = [
    ...imports.map((i) => ({ at: i.finishedAt, el: importItem(clientId, sync, body.date, i, entry.importCount) })),
    ...failures.map((f) => ({ at: f.failedAt, el: failureItem(clientId, sync, body.date, f) })),
  ].sort((a, b) => String(b.at).localeCompare(String(a.at)));

  return h("div", { class: "date-history", "data-testid": "date-history" },
    h("p", { class: "muted" }, `Dates in ${body.timezone}. Status: `,
      h("strong", { "data-testid": "date-history-status" }, entry.status.toLowerCase())),
    h("p", { class: "lead", "data-testid": "date-history-summary" }, summary.join(" ")),
    events.length
      ? h("ol", { class: "timeline", "data-testid": "date-history-events", "aria-label": "Imports and failed attempts, newest first" },
        events.map((e) => e.el))
      : h("p", {}, "Nothing happened to this date yet: no run imported or tried it."),
    body.importsShown < entry.importCount
      ? h("p", { class: "hint" }, `Showing the latest ${body.importsShown} of ${entry.importCount} imports.`) : null,
    failedAttempts > failures.length
      ? h("p", { class: "hint" }, `Showing the last ${failures.length} of ${failedAttempts} failed attempts.`) : null);
}

function importItem(clientId, sync, date, i, count) {
  const title = i.generation === 1 ? "First import" : `Re-import (import ${i.generation} of ${count})`;
  return h("li", { class: "timeline-item timeline-import", "data-testid": `date-import-${i.generation}` },
    h("p", { class: "timeline-title" }, h("span", { class: "tag tag-ok" }, "imported"), " ", title),
    h("dl", { class: "facts" },
      fact("When", `${when(i.finishedAt)}${i.startedAt ? ` (took ${duration(i.startedAt, i.finishedAt)})` : ""}`),
      fact(i.trigger === "SCHEDULE" ? "Started by" : "Requested by", startedBy(i.trigger, i.requestedBy), "requested-by"),
      i.generation > 1 || i.confirmedBy
        ? fact("Confirmed by", i.confirmedBy ? `${i.confirmedBy}${i.confirmedAt ? `, ${when(i.confirmedAt)}` : ""}` : "—", "confirmed-by")
        : null,
      fact("Records", String(i.records))),
    runLink(clientId, sync, i.executionId, date));
}

function failureItem(clientId, sync, date, f) {
  return h("li", { class: "timeline-item timeline-failure", "data-testid": `date-failure-${f.attempt}` },
    h("p", { class: "timeline-title" }, h("span", { class: "tag tag-bad" }, "failed"), " ",
      f.importCount > 0 ? "Re-import failed: the earlier data is still there" : "Attempt failed: the date stayed missing"),
    h("dl", { class: "facts" },
      fact("When", when(f.failedAt)),
      fact(f.trigger === "SCHEDULE" ? "Started by" : "Requested by", startedBy(f.trigger, f.requestedBy)),
      f.confirmedBy ? fact("Confirmed by", f.confirmedBy) : null,
      fact("Error", f.error, "error")),
    runLink(clientId, sync, f.executionId, date));
}

function fact(term, value, testId) {
  return h("div", {}, h("dt", {}, term), h("dd", testId ? { "data-testid": testId } : {}, value));
}

function runLink(clientId, sync, executionId, date) {
  return h("button", { type: "button", class: "link-button", "data-testid": `open-run-${executionId}`,
    onclick: () => openRunDetails(clientId, sync, executionId, null,
      () => openDateHistory(clientId, sync, date, null)) }, "Show this run");
}

// ---------------------------------------------------------------- one run

/** Opens one past run: who started and confirmed it, its dates, counts, the overlap it confirmed, its per-date outcomes. */
export function openRunDetails(clientId, sync, executionId, opener, back) {
  const still = show(`Run of ${sync.name}`, opener);
  return load(still, () => api.execution(clientId, sync.syncId, executionId), (ex) => runView(clientId, sync, ex, back));
}

function runView(clientId, sync, ex, back) {
  const p = ex.progress || {};
  const plan = ex.plan || {};
  const list = h("ul", { class: "outcomes", "data-testid": "run-outcomes" });
  const more = h("button", { type: "button", class: "button", hidden: true, "data-testid": "run-outcomes-more" }, "Show more dates");
  const status = h("p", { class: "hint", role: "status" });
  let next = null;

  async function page() {
    more.disabled = true;
    status.textContent = "Loading dates…";
    try {
      const answer = await readOutcomes(clientId, sync.syncId, ex.executionId, next);
      list.append(...answer.outcomes.map(outcomeItem));
      next = answer.nextToken;
      status.textContent = next ? `${list.children.length} of ${plural(p.planned, "date")} shown.` : "";
    } catch (e) {
      status.textContent = `The dates could not be loaded: ${e.message}`;
    } finally {
      more.disabled = false;
      more.hidden = !next;
    }
  }
  more.addEventListener("click", () => {
    const last = list.lastElementChild;
    page().then(() => {
      // The focus stays in the list where the new dates begin, not lost with a hidden button.
      if (more.hidden) (last && last.nextElementSibling ? last.nextElementSibling : heading()).focus();
    });
  });
  page();

  const reimported = plan.reimportDates || [];
  return h("div", { class: "run-details", "data-testid": "run-details", "data-status": ex.status },
    back ? h("p", {}, h("button", { type: "button", class: "link-button", "data-testid": "history-back", onclick: back },
      "‹ Back to the date")) : null,
    h("p", { class: "status-line" }, statusPill(ex.status), " ",
      h("span", {}, ex.finishedAt ? `took ${duration(ex.createdAt, ex.finishedAt)}` : "still running")),
    h("dl", { class: "facts facts-wide" },
      fact("Started", when(ex.createdAt)),
      ex.finishedAt ? fact("Finished", when(ex.finishedAt)) : null,
      fact("Run", modeWords(ex)),
      fact(ex.trigger === "SCHEDULE" ? "Started by" : "Requested by", startedBy(ex.trigger, ex.requestedBy), "run-requested-by"),
      fact("Confirmation", confirmationWords(ex) + (ex.confirmation ? `, ${when(ex.confirmation.at)}` : ""), "run-confirmation"),
      fact("Dates", datesWords(plan)),
      fact("Result", resultWords(p), "run-result"),
      ex.cancellation ? fact("Cancelled by", `${ex.cancellation.by}, ${when(ex.cancellation.at)}`) : null),
    ex.error ? h("p", { class: "error" }, `Error: ${ex.error}`) : null,
    reimported.length ? h("section", { class: "alert overlap", "data-testid": "run-overlap", "aria-labelledby": "run-overlap-title" },
      h("h3", { id: "run-overlap-title", class: "alert-title" }, "The overlap this run re-imported"),
      h("p", {}, `${plural(reimported.length, "date")} ${reimported.length === 1 ? "was" : "were"} already imported; `
        + `about ${plan.duplicateRecordsEstimate} duplicate records. ${confirmationWords(ex)}.`),
      h("ul", { class: "reimport-list" }, reimported.map((r) =>
        h("li", {}, h("span", { class: "mono" }, r.date), ` — imported ${times(r.importCount)} before`,
          r.records != null ? `, ${r.records} records` : "")))) : null,
    h("h3", { class: "outcomes-title" }, "Dates of this run"),
    list, status, h("div", { class: "actions" }, more));
}

function outcomeItem(o) {
  return h("li", { class: `outcome-${o.outcome.toLowerCase()}`, "data-testid": `run-outcome-${o.date}`, "data-outcome": o.outcome,
    tabindex: "-1" },
  h("span", { class: "mono" }, o.date), " ", h("span", { class: "tag" }, o.outcome.toLowerCase()),
  o.records != null ? ` ${o.records} records` : "",
  o.error ? h("span", { class: "outcome-error" }, ` — ${o.error}`) : null);
}

// ---------------------------------------------------------------- run history

/**
 * A sync's past runs, newest first, behind a "Run history" button: filters (failed only, who
 * started them) asked of the server, and "Show more runs" following the list's nextToken.
 * refresh() reloads it when it is open (a run ended).
 */
export function createRunHistory(sync, clientId) {
  const id = `runs-${sync.syncId}`;
  const toggle = h("button", { type: "button", class: "button runs-toggle", "aria-expanded": "false", "aria-controls": `${id}-panel`,
    "data-testid": `runs-toggle-${sync.syncId}` }, "Run history");
  const failedOnly = h("input", { type: "checkbox", id: `${id}-failed`, "data-testid": `runs-failed-${sync.syncId}` });
  const trigger = h("select", { id: `${id}-trigger`, "data-testid": `runs-trigger-${sync.syncId}` },
    h("option", { value: "" }, "Anyone"), h("option", { value: "MANUAL" }, "An operator"),
    h("option", { value: "SCHEDULE" }, "The schedule"));
  const rows = h("tbody");
  const table = h("table", { class: "runs", "data-testid": `runs-table-${sync.syncId}` },
    h("caption", { class: "visually-hidden" }, `Runs of ${sync.name}, newest first`),
    h("thead", {}, h("tr", {}, ["Started", "Status", "Run", "Started by", "Confirmation", "Dates", "Result", "Duration", "Details"]
      .map((c) => h("th", { scope: "col" }, c)))),
    rows);
  const message = h("p", { class: "hint", role: "status", "data-testid": `runs-message-${sync.syncId}` });
  const more = h("button", { type: "button", class: "button", hidden: true, "data-testid": `runs-more-${sync.syncId}` }, "Show more runs");
  const panel = h("div", { id: `${id}-panel`, class: "runs-panel", hidden: true },
    h("div", { class: "runs-filters", role: "group", "aria-label": `Filter the runs of ${sync.name}` },
      h("div", { class: "choice" }, failedOnly, h("label", { for: `${id}-failed` }, "Failed runs only")),
      h("div", { class: "field inline" }, h("label", { for: `${id}-trigger` }, "Started by"), trigger)),
    h("div", { class: "table-scroll" }, table), message, h("div", { class: "actions" }, more));
  const el = h("section", { class: "run-history", "data-testid": id, "aria-label": `Run history of ${sync.name}` }, toggle, panel);

  let nextToken = null;
  let seq = 0;
  let loaded = false;

  async function load(reset) {
    const mine = ++seq;
    if (reset) nextToken = null;
    more.disabled = true;
    message.textContent = "Loading runs…";
    el.setAttribute("aria-busy", "true");
    try {
      const page = await api.runs(clientId, sync.syncId, { limit: RUNS_PAGE,
        nextToken, status: failedOnly.checked ? "FAILED,PARTIALLY_FAILED" : "", trigger: trigger.value });
      if (mine !== seq) return;
      if (reset) replace(rows);
      rows.append(...page.executions.map((ex) => runRow(ex)));
      nextToken = page.nextToken;
      const filtered = failedOnly.checked || trigger.value;
      const n = rows.children.length;
      if (n === 0 && !nextToken) message.textContent = filtered ? "No run matches these filters." : "No runs yet.";
      else if (page.executions.length === 0 && nextToken) {
        message.textContent = "No matching run among the runs looked at so far; Show more runs looks further back.";
      } else message.textContent = `${plural(n, filtered ? "matching run" : "run")} shown${nextToken ? "; older ones remain." : "."}`;
    } catch (e) {
      if (mine === seq) message.textContent = `The runs could not be loaded: ${e.message}`;
    } finally {
      if (mine === seq) {
        more.disabled = false;
        more.hidden = !nextToken;
        table.hidden = rows.children.length === 0;
        el.removeAttribute("aria-busy");
      }
    }
  }

  function runRow(ex) {
    const opener = h("button", { type: "button", class: "link-button", "data-testid": `run-open-${ex.executionId}`,
      "aria-label": `Details of the run started ${when(ex.createdAt)}`,
      onclick: (event) => openRunDetails(clientId, sync, ex.executionId, event.currentTarget) }, "Details");
    return h("tr", { "data-testid": `run-${ex.executionId}`, "data-status": ex.status, "data-trigger": ex.trigger },
      h("td", {}, when(ex.createdAt)),
      h("td", {}, statusPill(ex.status)),
      h("td", {}, modeWords(ex)),
      h("td", {}, startedBy(ex.trigger, ex.requestedBy)),
      h("td", {}, confirmationWords(ex)),
      datesCell(ex.plan),
      h("td", {}, resultWords(ex.progress)),
      h("td", {}, ex.finishedAt ? duration(ex.createdAt, ex.finishedAt) : "running"),
      h("td", {}, opener));
  }

  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    panel.hidden = !open;
    if (open && !loaded) {
      loaded = true;
      load(true);
    }
  });
  failedOnly.addEventListener("change", () => load(true));
  trigger.addEventListener("change", () => load(true));
  more.addEventListener("click", () => {
    const last = rows.lastElementChild;
    load(false).then(() => {
      // Keyboard users go on from the first new run; if the button went away, the focus is not lost.
      const first = last ? last.nextElementSibling : rows.firstElementChild;
      if (first && more.hidden) first.querySelector("button").focus();
    });
  });

  return {
    el,
    refresh() {
      if (loaded) load(true);
    },
  };
}
