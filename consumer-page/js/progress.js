// Following executions: a tracker that polls each active execution, and the progress view.
import { api, TERMINAL } from "./api.js";
import { h, replace, plural, focusLost } from "./dom.js";
import { formatInstant } from "./dates.js";

const POLL_MS = 1000;
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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls every execution it is given, once a second, until it ends (or the deadline passes).
 * One entry per sync: a sync has at most one active execution.
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
    while (!entry.stopped && !TERMINAL.has(entry.execution.status)) {
      await sleep(POLL_MS);
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

/** The dates a plan would import again, with their counts: used by the dialog and the confirmation step. */
export function reimportSummary(plan) {
  const dates = plan.reimportDates || [];
  return [
    h("p", {}, `${plural(dates.length, "date")} of this run ${dates.length === 1 ? "was" : "were"} already imported and will be imported again. `,
      h("strong", { "data-testid": "duplicate-estimate" },
        `About ${plan.duplicateRecordsEstimate} duplicate records`), " may appear in the client's tool."),
    h("ul", { class: "reimport-list", "data-testid": "reimport-dates" }, dates.map((r) =>
      h("li", { "data-testid": `reimport-${r.date}`, "data-import-count": String(r.importCount) },
        h("span", { class: "mono" }, r.date), ` — imported ${r.importCount === 1 ? "once" : `${r.importCount} times`}`,
        r.records != null ? `, ${r.records} records` : ""))),
  ];
}

/**
 * The live view of one execution. Built once and updated in place, so keyboard focus stays on
 * its buttons while it refreshes every second.
 */
export function createProgressView(entry, actions) {
  const heading = h("h3", { tabindex: "-1", class: "progress-heading", "data-testid": "progress-heading" }, "Progress");
  const meta = h("p", { class: "muted" });
  const status = h("span", { class: "status-pill", "data-testid": "execution-status" });
  const summary = h("span", { class: "summary" });
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
  const outcomesBox = h("details", { class: "outcomes-box" },
    h("summary", {}, "Dates of this run"), list);

  const el = h("section", { class: "progress", "data-testid": "progress", "aria-labelledby": "progress-heading" },
    heading, meta,
    h("div", { class: "live", "aria-live": "polite" }, h("p", { class: "status-line" }, status, summary), bar, outcome),
    confirmStep, error, outcomesBox,
    h("div", { class: "actions" }, keepWatching, cancel, again));
  heading.id = "progress-heading";

  let busy = false;
  let lastOutcomes = "";
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
    summary.textContent = p.planned === 0 ? "No dates to import."
      : `${done} of ${plural(p.planned, "date")} done: ${p.imported} imported, ${p.skipped} skipped, ` +
        `${p.failed} failed, ${p.cancelled} cancelled.`;

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
        h("div", { role: "alert", class: "alert" },
          h("p", { class: "alert-title" }, "This run needs your confirmation before it re-imports anything."),
          reimportSummary(ex.plan),
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

    const outcomesKey = JSON.stringify(ex.outcomes);
    if (outcomesKey !== lastOutcomes) {
      lastOutcomes = outcomesKey;
      replace(list, (ex.outcomes || []).map((o) =>
        h("li", { class: `outcome-${o.outcome.toLowerCase()}`, "data-testid": `outcome-${o.date}`, "data-outcome": o.outcome },
          h("span", { class: "mono" }, o.date), " ", h("span", { class: "tag" }, o.outcome.toLowerCase()),
          o.records != null ? ` ${o.records} records` : "",
          o.error ? h("span", { class: "outcome-error" }, ` — ${o.error}`) : null)));
      outcomesBox.open = (ex.outcomes || []).length <= 31 || outcomesBox.open;
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
