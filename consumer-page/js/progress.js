// Following executions: a tracker that polls each active execution, and the progress view.
import { api, TERMINAL } from "./api.js";
import { h, replace, plural, focusLost } from "./dom.js";
import { formatInstant } from "./dates.js";

// The execution's status is polled every second while it changes, then less and less often while
// nothing changes (1 s, 2 s, 4 s, 8 s, at most 10 s); any change, or an action here, polls at 1 s again.
const POLL_MS = 1000;
const POLL_MAX_MS = 10000;
const WATCH_DEADLINE_MS = 30 * 60 * 1000; // stop polling after 30 minutes; "Keep watching" restarts

export const STATUS_WORDS = {
  AWAITING_CONFIRMATION: "Waiting for confirmation",
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  PARTIALLY_FAILED: "Partially failed",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
  EXPIRED: "Expired",
};

/** Waits `ms`, or less when `entry.wake()` is called (a fresh answer from an action). */
function nap(entry, ms) {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      entry.wake = null;
      resolve();
    }
    entry.wake = done;
  });
}

/** What a poll compares to tell "something changed": status and counters, not the page of outcomes. */
function changeKey(ex) {
  return JSON.stringify([ex.status, ex.progress, ex.cancellation, ex.finishedAt]);
}

/**
 * Polls every execution it is given until it ends (or the deadline passes): once a second while it
 * changes, backing off to every 10 s while nothing does. One entry per sync: a sync has at most one
 * active execution. A poll reads the execution's status and counters (a few KB whatever the run);
 * the per-date outcomes beyond the first page are read only when the operator asks.
 */
export function createTracker(clientId, { onChange, onEnd }) {
  const entries = new Map(); // syncId -> { execution, error, gaveUp, listeners, stopped }
  const ended = new Set(); // execution ids seen terminal: never tracked again

  function notify(entry) {
    for (const listener of entry.listeners) listener(entry);
    onChange(entry);
  }

  async function poll(entry) {
    const deadline = Date.now() + WATCH_DEADLINE_MS;
    entry.gaveUp = false;
    entry.polling = true;
    entry.delay = POLL_MS;
    while (!entry.stopped && !TERMINAL.has(entry.execution.status)) {
      await nap(entry, entry.delay);
      if (entry.stopped) break;
      if (Date.now() > deadline) {
        entry.gaveUp = true;
        notify(entry);
        break;
      }
      const { syncId, executionId } = entry.execution;
      try {
        const execution = await api.execution(clientId, syncId, executionId);
        if (entry.stopped || entry.execution.executionId !== executionId) break;
        const changed = changeKey(execution) !== changeKey(entry.execution);
        entry.delay = changed ? POLL_MS : Math.min(POLL_MAX_MS, entry.delay * 2);
        entry.execution = execution;
        entry.error = null;
      } catch (e) {
        entry.error = e;
        if (e.status === 401 || e.status === 403 || e.status === 404) {
          notify(entry);
          break;
        }
      }
      notify(entry);
    }
    entry.polling = false;
  }

  /** Take a fresh execution representation (from create, confirm, cancel or a poll). */
  function set(execution) {
    let entry = entries.get(execution.syncId);
    if (!entry || entry.execution.executionId !== execution.executionId) {
      if (entry) entry.stopped = true;
      entry = { execution, error: null, gaveUp: false, listeners: entry ? entry.listeners : new Set() };
      entries.set(execution.syncId, entry);
    }
    entry.execution = execution;
    entry.error = null;
    entry.delay = POLL_MS;
    if (entry.wake) entry.wake();
    notify(entry);
    if (TERMINAL.has(execution.status)) finish(entry);
    else if (!entry.polling) poll(entry).then(() => finish(entry));
    return entry;
  }

  function finish(entry) {
    const { executionId, status } = entry.execution;
    if (!TERMINAL.has(status) || ended.has(executionId)) return;
    ended.add(executionId);
    onEnd(entry.execution);
  }

  return {
    set,
    get: (syncId) => entries.get(syncId),
    hasEnded: (executionId) => ended.has(executionId),
    /** Follow an execution known only by id (a sync's activeExecutionId). */
    async follow(syncId, executionId) {
      const current = entries.get(syncId);
      if (ended.has(executionId) || (current && current.execution.executionId === executionId)) return current;
      return set(await api.execution(clientId, syncId, executionId));
    },
    keepWatching(entry) {
      if (!entry.polling) poll(entry).then(() => finish(entry));
    },
    subscribe(syncId, listener) {
      const entry = entries.get(syncId);
      entry.listeners.add(listener);
      return () => entry.listeners.delete(listener);
    },
    stopAll() {
      for (const entry of entries.values()) entry.stopped = true;
      entries.clear();
    },
  };
}

/** Rows shown before "Show all": a long re-import reads as a few ranges, not thousands of lines. */
const REIMPORT_ROWS_SHOWN = 5;

/** Contiguous dates with the same import count, as rows: {from, to, count, importCount, records}. */
export function groupReimportDates(dates) {
  const rows = [];
  for (const r of dates) {
    const last = rows[rows.length - 1];
    if (last && last.importCount === r.importCount && nextDay(last.to) === r.date) {
      last.to = r.date;
      last.count += 1;
      last.records = last.records == null || r.records == null ? null : last.records + r.records;
    } else {
      rows.push({ from: r.date, to: r.date, count: 1, importCount: r.importCount, records: r.records ?? null });
    }
  }
  return rows;
}

function nextDay(iso) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const times = (n) => (n === 1 ? "once" : n === 2 ? "twice" : `${n} times`);

function reimportRow(row) {
  return h("li", { "data-testid": `reimport-${row.from}`, "data-import-count": String(row.importCount), "data-to": row.to },
    h("span", { class: "mono" }, row.count === 1 ? row.from : `${row.from} to ${row.to}`),
    row.count === 1 ? "" : ` (${plural(row.count, "date")})`,
    ` — imported ${times(row.importCount)}`,
    row.records != null ? `, ${row.records} records` : "");
}

/**
 * The dates a plan would import again, for the dialog's overlap alert and the confirmation step:
 * `title` and a one-sentence summary inside `role="alert"` (what a screen reader announces), then
 * the dates grouped into ranges of the same import count, the first few rows shown and the rest
 * behind "Show all".
 */
export function reimportSummary(plan, title) {
  const dates = plan.reimportDates || [];
  const total = plan.reimportDatesCount ?? dates.length;
  const rows = groupReimportDates(dates);
  const first = dates.length ? dates[0].date : "";
  const last = dates.length ? dates[dates.length - 1].date : "";
  const span = total === 1 ? `(${first})` : `between ${first} and ${last}`;
  const announce = h("div", { role: "alert", "data-testid": "reimport-announcement" },
    h("p", { class: "alert-title" }, title),
    h("p", {}, `${plural(total, "date")} ${span} ${total === 1 ? "was" : "were"} already imported and will be imported again: `,
      h("strong", { "data-testid": "duplicate-estimate" }, `about ${plan.duplicateRecordsEstimate} duplicate records`),
      " may appear in the client's tool."));
  const list = h("ul", { class: "reimport-list", "data-testid": "reimport-dates" }, rows.slice(0, REIMPORT_ROWS_SHOWN).map(reimportRow));
  if (rows.length <= REIMPORT_ROWS_SHOWN && total === dates.length) return [announce, list];
  const more = h("button", { type: "button", class: "link-button", "data-testid": "reimport-show-all", "aria-expanded": "false",
    onclick: () => {
      const open = more.getAttribute("aria-expanded") !== "true";
      more.setAttribute("aria-expanded", String(open));
      more.textContent = open ? "Show fewer" : `Show all ${plural(rows.length, "row")}`;
      replace(list, (open ? rows : rows.slice(0, REIMPORT_ROWS_SHOWN)).map(reimportRow));
    } }, `Show all ${plural(rows.length, "row")}`);
  const partial = total > dates.length
    ? h("p", { class: "hint" }, `The first ${dates.length} of ${total} dates are listed here.`) : null;
  return [announce, list, rows.length > REIMPORT_ROWS_SHOWN ? more : null, partial];
}

/**
 * The live view of one execution. Built once and updated in place, so keyboard focus stays on
 * its buttons while it refreshes every second.
 */
export function createProgressView(entry, actions) {
  const heading = h("h3", { tabindex: "-1", class: "progress-heading", "data-testid": "progress-heading" }, "Progress");
  const meta = h("p", { class: "muted" });
  const status = h("span", { class: "status-pill", "data-testid": "execution-status" });
  const summary = h("span", { class: "summary", "data-testid": "progress-summary" });
  const bar = h("div", { class: "bar", role: "progressbar", "aria-label": "Dates done", "aria-valuemin": "0" });
  const confirmStep = h("div", { class: "confirm-step", "data-testid": "confirmation-step", hidden: true });
  const outcome = h("div", { class: "outcome", "data-testid": "outcome" });
  const error = h("p", { class: "error", role: "alert", "data-testid": "progress-error" });
  const list = h("ul", { class: "outcomes", "data-testid": "outcomes" });
  const cancel = h("button", { type: "button", class: "button danger", "data-testid": "cancel",
    onclick: () => act(actions.cancel, cancel) }, "Cancel execution");
  const again = h("button", { type: "button", class: "button", "data-testid": "run-again", hidden: true,
    onclick: actions.again }, "Start another run");
  const keepWatching = h("button", { type: "button", class: "button", hidden: true,
    onclick: actions.keepWatching }, "Keep watching");
  const confirm = h("button", { type: "button", class: "button primary", "data-testid": "confirm",
    onclick: () => act(actions.confirm, confirm) }, "Confirm and import");
  const decline = h("button", { type: "button", class: "button", "data-testid": "decline",
    onclick: () => act(actions.decline, decline) }, "Decline");
  const moreOutcomes = h("button", { type: "button", class: "button", "data-testid": "more-outcomes", hidden: true,
    onclick: () => loadMoreOutcomes() }, "Show more dates");
  const outcomesBox = h("details", { class: "outcomes-box" },
    h("summary", {}, "Dates of this run"), list, moreOutcomes);

  const el = h("section", { class: "progress", "data-testid": "progress", "aria-labelledby": "progress-heading" },
    heading, meta,
    h("div", { class: "live", "aria-live": "polite" }, h("p", { class: "status-line" }, status, summary), bar, outcome),
    confirmStep, error, outcomesBox,
    h("div", { class: "actions" }, keepWatching, cancel, again));
  heading.id = "progress-heading";

  let busy = false;
  let lastOutcomes = "";
  // Pages of outcomes after the execution's first one, loaded when the operator asks for them.
  let extraOutcomes = [];
  let extraToken = undefined; // undefined: nothing loaded yet; null: every page loaded

  async function loadMoreOutcomes() {
    const ex = entry.execution;
    const token = extraToken === undefined ? ex.outcomesNextToken : extraToken;
    if (!token) return;
    moreOutcomes.disabled = true;
    try {
      const page = await actions.outcomes(token);
      extraOutcomes = extraOutcomes.concat(page.outcomes);
      extraToken = page.nextToken;
      lastOutcomes = "";
    } catch (e) {
      error.textContent = e.message;
    } finally {
      moreOutcomes.disabled = false;
      update(entry);
    }
  }
  let lastConfirmDigest = null;

  async function act(action, button) {
    const hadFocus = el.contains(document.activeElement);
    busy = true;
    button.disabled = true;
    error.textContent = "";
    try {
      await action();
    } catch (e) {
      error.textContent = e.message;
    } finally {
      busy = false;
      update(entry);
      if (focusLost(el, hadFocus)) heading.focus();
    }
  }

  /** Polls update the view in place; a button they hide (Cancel at the end) hands the focus to the heading. */
  function update(current) {
    const hadFocus = el.contains(document.activeElement);
    render(current);
    if (focusLost(el, hadFocus)) heading.focus();
  }

  function render(current) {
    entry = current;
    const ex = entry.execution;
    const p = ex.progress || { planned: 0, imported: 0, skipped: 0, failed: 0, cancelled: 0 };
    const done = p.imported + p.skipped + p.failed + p.cancelled;
    const terminal = TERMINAL.has(ex.status);

    meta.textContent = `${modeWords(ex)} · started ${formatInstant(ex.createdAt)} by ${ex.requestedBy}` +
      (ex.trigger === "SCHEDULE" ? " (schedule)" : "");
    status.textContent = STATUS_WORDS[ex.status] || ex.status;
    status.dataset.status = ex.status;
    status.className = `status-pill status-${ex.status.toLowerCase()}`;
    summary.textContent = (p.planned === 0 ? "No dates to import."
      : `${done} of ${plural(p.planned, "date")} done: ${p.imported} imported, ${p.skipped} skipped, ` +
        `${p.failed} failed, ${p.cancelled} cancelled.`) +
      // The source answered 429/503: every call of this sync waits, and no date fails for it.
      (ex.pausedBySourceUntil && !TERMINAL.has(ex.status)
        ? ` Paused by its source until ${formatInstant(ex.pausedBySourceUntil)}.` : "");

    bar.setAttribute("aria-valuemax", String(p.planned));
    bar.setAttribute("aria-valuenow", String(done));
    bar.setAttribute("aria-valuetext", `${done} of ${p.planned} dates done`);
    replace(bar, ["imported", "skipped", "failed", "cancelled"].map((k) =>
      p[k] > 0 ? h("span", { class: `bar-${k}`, style: `width: ${(100 * p[k]) / p.planned}%` }) : null));

    // The confirmation step, for an execution that waits for it (started here or elsewhere).
    const awaiting = ex.status === "AWAITING_CONFIRMATION";
    confirmStep.hidden = !awaiting;
    if (awaiting && ex.plan.planDigest !== lastConfirmDigest) {
      lastConfirmDigest = ex.plan.planDigest;
      replace(confirmStep,
        h("div", { class: "alert" },
          reimportSummary(ex.plan, "This run needs your confirmation before it re-imports anything."),
          ex.plan.confirmationDeadline
            ? h("p", {}, `Confirm before ${formatInstant(ex.plan.confirmationDeadline)}, or nothing will be imported.`) : null),
        h("div", { class: "actions" }, decline, confirm));
    }
    confirm.disabled = decline.disabled = busy;

    cancel.hidden = terminal;
    cancel.disabled = busy || !!ex.cancellation;
    if (ex.cancellation && !terminal) cancel.textContent = "Cancelling… dates in progress finish first";
    again.hidden = !terminal;
    keepWatching.hidden = !entry.gaveUp || terminal;

    if (terminal) replace(outcome, finalWords(ex));
    else if (entry.gaveUp) replace(outcome, h("p", {}, "Stopped watching after 30 minutes; the execution may still be running."));
    else replace(outcome);

    if (!busy) {
      error.textContent = entry.error
        ? (entry.error.status === 0 ? "Cannot reach the server; still trying…" : entry.error.message) : "";
    }

    const shown = (ex.outcomes || []).concat(extraOutcomes);
    const outcomesKey = JSON.stringify(shown);
    const nextToken = extraToken === undefined ? ex.outcomesNextToken : extraToken;
    moreOutcomes.hidden = !nextToken;
    if (outcomesKey !== lastOutcomes) {
      lastOutcomes = outcomesKey;
      replace(list, shown.map((o) =>
        h("li", { class: `outcome-${o.outcome.toLowerCase()}`, "data-testid": `outcome-${o.date}`, "data-outcome": o.outcome },
          h("span", { class: "mono" }, o.date), " ", h("span", { class: "tag" }, o.outcome.toLowerCase()),
          o.records != null ? ` ${o.records} records` : "",
          o.error ? h("span", { class: "outcome-error" }, ` — ${o.error}`) : null)));
      outcomesBox.open = (ex.progress ? ex.progress.planned : shown.length) <= 31 || outcomesBox.open;
    }
  }

  update(entry);
  return { el, update, focus: () => heading.focus() };
}

function modeWords(ex) {
  const plan = ex.plan || {};
  switch (ex.mode) {
    case "SINGLE_DATE": return `Single date ${plan.from || ""}`;
    case "DATE_RANGE": return `Date range ${plan.from} to ${plan.to}, ${ex.reimport ? "re-import all dates" : "only missing dates"}`;
    default: return "Default synchronization";
  }
}

/** The final outcome in plain words. */
function finalWords(ex) {
  const p = ex.progress;
  switch (ex.status) {
    case "SUCCEEDED":
      if (p.planned === 0) return h("p", { class: "good" }, "Nothing to import: every date was already imported.");
      return h("p", { class: "good" }, `Done. ${plural(p.imported, "date")} imported` +
        (p.skipped ? `, ${p.skipped} skipped because ${p.skipped === 1 ? "it was" : "they were"} already imported.` : "."));
    case "PARTIALLY_FAILED": {
      const failed = (ex.outcomes || []).filter((o) => o.outcome === "FAILED");
      return [h("p", { class: "bad" }, `Finished with errors: ${p.imported} imported, ${plural(p.failed, "date")} failed. ` +
        "A failed date that had never been imported stays missing, and the next default run tries it again."),
      h("ul", { class: "failed-list", "data-testid": "failed-dates" }, failed.map((o) =>
        h("li", {}, h("span", { class: "mono" }, o.date), `: ${o.error || "no details"}`)))];
    }
    case "CANCELLED":
      if (ex.confirmation && ex.confirmation.decision === "DECLINED" && p.imported === 0) {
        return h("p", {}, "Declined: nothing was imported.");
      }
      return h("p", {}, `Cancelled. ${plural(p.imported, "date")} imported before the stop; ${p.cancelled} not imported.`);
    case "EXPIRED":
      return h("p", { class: "bad" }, "Nobody confirmed in time, so nothing was imported. Start a new run if it is still needed.");
    case "FAILED":
      return h("p", { class: "bad" }, `The execution failed${ex.error ? `: ${ex.error}` : "."} ` +
        `${plural(p.imported, "date")} had been imported.`);
    default:
      return null;
  }
}
