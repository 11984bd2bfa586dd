// The run dialog behind a sync's play button: the choices of the manual, then live progress.
import { api, TERMINAL } from "./api.js";
import { h, replace, focusLost } from "./dom.js";
import * as dates from "./dates.js";
import { createProgressView, reimportSummary } from "./progress.js";

const dialog = document.getElementById("run-dialog");
const title = document.getElementById("run-dialog-title");
const content = document.getElementById("run-dialog-content");
let cleanup = () => {};
let returnFocus = [];

document.getElementById("run-dialog-close").addEventListener("click", () => dialog.close());
dialog.addEventListener("close", () => {
  cleanup();
  cleanup = () => {};
  // Give the focus back to the button that opened the dialog, or to the next one if it is gone
  // (the "Running" badge of a run that ended meanwhile).
  const target = returnFocus.find((button) => button.isConnected && !button.hidden);
  if (target) target.focus();
});

/**
 * Opens the dialog for a sync. ctx: { clientId, tracker }. Shows the progress of the sync's
 * execution when one is active, otherwise the choices. On close, the focus goes back to the
 * first of `returnFocusTo` (the opener first) that is still shown.
 */
export function openRunDialog(sync, ctx, returnFocusTo, { progress = false } = {}) {
  returnFocus = returnFocusTo;
  title.textContent = `Run ${sync.name}`;
  dialog.dataset.syncId = sync.syncId; // where a sign-in that ends meanwhile comes back to
  if (!dialog.open) dialog.showModal();
  const entry = ctx.tracker.get(sync.syncId);
  if (entry && (progress || !TERMINAL.has(entry.execution.status))) showProgress(sync, ctx);
  else showChoices(sync, ctx);
}

function showProgress(sync, ctx) {
  cleanup();
  const { clientId, tracker } = ctx;
  const run = (fn) => async () => tracker.set(await fn(clientId, sync.syncId, tracker.get(sync.syncId).execution.executionId));
  const view = createProgressView(tracker.get(sync.syncId), {
    cancel: run(api.cancel),
    decline: run(api.decline),
    confirm: async () => {
      const ex = tracker.get(sync.syncId).execution;
      try {
        tracker.set(await api.confirm(clientId, sync.syncId, ex.executionId, ex.plan.planDigest));
      } catch (e) {
        // The plan changed under us: show the execution as it is now and ask again.
        if (e.code === "PLAN_CHANGED") tracker.set(await api.execution(clientId, sync.syncId, ex.executionId));
        throw e;
      }
    },
    again: () => showChoices(sync, ctx),
    keepWatching: () => tracker.keepWatching(tracker.get(sync.syncId)),
    outcomes: (nextToken) => api.outcomes(clientId, sync.syncId, tracker.get(sync.syncId).execution.executionId, nextToken),
  });
  const unsubscribe = tracker.subscribe(sync.syncId, view.update);
  cleanup = unsubscribe;
  replace(content, view.el);
  view.focus();
}

/** The most dates one default run plans; the next run continues with the rest. */
const MAX_DEFAULT_RUN_DATES = 3660;

/**
 * A line for the default run of a sync whose history may be longer than one run: a dry run says
 * how many of its missing dates this run imports and how many remain for the next one. Syncs
 * with a shorter history ask nothing.
 */
function remainingNote(sync, clientId) {
  const note = h("p", { class: "hint", "data-testid": "remaining-dates", hidden: true });
  if (dates.daysInclusive(sync.firstDate, sync.lastCompleteDate) > MAX_DEFAULT_RUN_DATES) {
    api.createExecution(clientId, sync.syncId, { mode: "DEFAULT", dryRun: true }).then(({ plan }) => {
      if (plan.remainingDates > 0) {
        const n = (count) => count.toLocaleString("en-US");
        note.textContent = `This run imports the ${n(plan.datesCount)} oldest missing dates (at most ${n(MAX_DEFAULT_RUN_DATES)} `
          + `per run); ${n(plan.remainingDates)} more dates remain for the next run.`;
        note.hidden = false;
      }
    }).catch(() => {}); // only a hint: the run itself says what it plans
  }
  return note;
}

function showChoices(sync, ctx) {
  cleanup();
  cleanup = () => {};
  const { clientId, tracker } = ctx;
  const error = h("div", { class: "error", role: "alert", "data-testid": "dialog-error" });
  const execute = h("button", { type: "button", class: "button primary", "data-testid": "execute" }, "Execute");
  const footer = h("div", { class: "dialog-footer" }, error,
    h("div", { class: "actions" },
      h("button", { type: "button", class: "button", onclick: () => dialog.close() }, "Close"), execute));

  let busy = false;
  let refreshState = () => { execute.disabled = busy; }; // the period view replaces it

  if (!sync.supportsPeriodExecution) {
    replace(content,
      h("p", {}, "This sync runs the default synchronization: it imports every missing date up to ",
        h("span", { class: "mono" }, sync.lastCompleteDate), " and never re-imports a date already imported."),
      remainingNote(sync, clientId),
      footer);
    execute.addEventListener("click", () => start({ mode: "DEFAULT" }, false));
    execute.focus();
    return;
  }

  const first = sync.firstDate;
  const last = sync.lastCompleteDate;
  let active = "default";
  let preview = null; // the dry-run answer for the current single/range choice
  let previewSeq = 0;
  let debounce = 0;

  // --- Tabs (WAI-ARIA tabs pattern, automatic activation) ---
  const tabs = {};
  const panels = {};
  const tabList = h("div", { role: "tablist", "aria-label": "What to synchronize", class: "tabs" });
  for (const [key, label] of [["default", "Default"], ["single", "Single date"], ["range", "Date range"]]) {
    tabs[key] = h("button", { type: "button", role: "tab", id: `tab-${key}`, "aria-controls": `panel-${key}`,
      "data-testid": `tab-${key}`, onclick: () => select(key) }, label);
    panels[key] = h("div", { role: "tabpanel", id: `panel-${key}`, "aria-labelledby": `tab-${key}`, tabindex: "0", class: "panel" });
    tabList.append(tabs[key]);
  }
  tabList.addEventListener("keydown", (event) => {
    const keys = Object.keys(tabs);
    const i = keys.indexOf(active);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: keys.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const key = keys[(to + keys.length) % keys.length];
    select(key);
    tabs[key].focus();
  });

  // --- Default ---
  panels.default.append(
    h("p", { class: "lead" }, "Synchronize all missing data"),
    h("p", {}, "Imports every date that is not imported yet, up to ", h("span", { class: "mono" }, last),
      ". Dates already imported are not imported again."),
    remainingNote(sync, clientId));

  // --- Single date ---
  const singleDate = h("input", { type: "date", id: "single-date", min: first, max: last, value: last,
    "data-testid": "single-date", "aria-describedby": "single-help", required: true });
  panels.single.append(
    h("div", { class: "field" }, h("label", { for: "single-date" }, "Date"), singleDate,
      h("span", { class: "hint" }, `From ${first} to ${last}, in ${sync.timezone}`)),
    h("p", { id: "single-help" }, "Imports all data of this date, as if nothing had been imported before. ",
      h("strong", {}, "If the date was already imported, its data may be duplicated in the client's tool."),
      " Make sure with the client that the data can safely be imported again."),
    h("div", { class: "review-slot" }));

  // --- Date range ---
  const rangeFrom = h("input", { type: "date", id: "range-from", min: first, max: last,
    value: dates.max(first, dates.addDays(last, -6)), "data-testid": "range-from", required: true });
  const rangeTo = h("input", { type: "date", id: "range-to", min: first, max: last, value: last,
    "data-testid": "range-to", required: true });
  const onlyMissing = h("input", { type: "radio", name: "range-mode", id: "range-missing", value: "missing",
    checked: true, "data-testid": "reimport-missing", "aria-describedby": "range-missing-help" });
  const reimportAll = h("input", { type: "radio", name: "range-mode", id: "range-all", value: "all",
    "data-testid": "reimport-all", "aria-describedby": "range-all-help" });
  panels.range.append(
    h("div", { class: "field-row" },
      h("div", { class: "field" }, h("label", { for: "range-from" }, "From"), rangeFrom),
      h("div", { class: "field" }, h("label", { for: "range-to" }, "To"), rangeTo)),
    h("p", { class: "hint" }, `Dates from ${first} to ${last}, in ${sync.timezone}; at most ${sync.maxRangeDays} days.`),
    h("fieldset", { class: "choices" }, h("legend", {}, "What to import"),
      h("div", { class: "choice" }, onlyMissing, h("label", { for: "range-missing" }, "Only missing dates"),
        h("span", { class: "hint", id: "range-missing-help" }, "Dates already imported are skipped. Starts at once.")),
      h("div", { class: "choice" }, reimportAll, h("label", { for: "range-all" }, "Re-import all dates"),
        h("span", { class: "hint", id: "range-all-help" },
          "Every date of the range is imported again, as if nothing had been imported before."))),
    h("div", { class: "review-slot" }));

  // --- The plan review: one block, moved into the active panel (so its test ids stay unique) ---
  const previewStatus = h("p", { class: "preview-status", role: "status", "data-testid": "preview-status" });
  const alertSlot = h("div");
  const confirmBox = h("input", { type: "checkbox", id: "confirm-checkbox", "data-testid": "confirm-checkbox",
    "aria-describedby": "confirm-help" });
  const confirmField = h("div", { class: "confirm-field", hidden: true }, confirmBox,
    h("label", { for: "confirm-checkbox" }, "I confirm"),
    h("span", { class: "hint", id: "confirm-help" }, "The client agreed that this data may be imported again."));
  const review = h("div", { class: "review" }, previewStatus, alertSlot, confirmField);

  replace(content, tabList, panels.default, panels.single, panels.range, footer);

  function select(key) {
    active = key;
    for (const k of Object.keys(tabs)) {
      tabs[k].setAttribute("aria-selected", String(k === key));
      tabs[k].tabIndex = k === key ? 0 : -1;
      panels[k].hidden = k !== key;
    }
    const slot = panels[key].querySelector(".review-slot");
    if (slot) slot.append(review);
    error.textContent = "";
    refreshPreview();
  }

  function needsPreview() {
    return active === "single" || (active === "range" && reimportAll.checked);
  }

  /** What is wrong with the current choice, in plain words (null when it can be sent). */
  function invalid() {
    if (active === "single") {
      if (!dates.isIsoDate(singleDate.value)) return "Choose a date.";
      if (singleDate.value < first) return `The sync starts on ${first}; choose that date or a later one.`;
      if (singleDate.value > last) return `${singleDate.value} is not complete yet in ${sync.timezone}; the last complete date is ${last}.`;
    }
    if (active === "range") {
      if (!dates.isIsoDate(rangeFrom.value) || !dates.isIsoDate(rangeTo.value)) return "Choose both dates of the range.";
      if (rangeFrom.value > rangeTo.value) return "The first date of the range is after the last one.";
      if (rangeFrom.value < first) return `The sync starts on ${first}; the range cannot start earlier.`;
      if (rangeTo.value > last) return `The last complete date is ${last}; the range cannot end later.`;
      const days = dates.daysInclusive(rangeFrom.value, rangeTo.value);
      if (days > sync.maxRangeDays) return `The range has ${days} days; this sync allows at most ${sync.maxRangeDays}.`;
    }
    return null;
  }

  function request(extra = {}) {
    if (active === "single") return { mode: "SINGLE_DATE", date: singleDate.value, ...extra };
    if (active === "range") {
      return { mode: "DATE_RANGE", from: rangeFrom.value, to: rangeTo.value, reimport: reimportAll.checked, ...extra };
    }
    return { mode: "DEFAULT", ...extra };
  }

  /** Dry run of the current choice, shown so the operator sees what would be re-imported. */
  async function refreshPreview(note = "") {
    clearTimeout(debounce);
    const seq = ++previewSeq;
    // A tick stays only for the very plan it was given to (same digest), never for a changed one.
    const confirmedDigest = confirmBox.checked && preview && !note ? preview.plan.planDigest : null;
    preview = null;
    confirmBox.checked = false;
    replace(alertSlot);
    previewStatus.textContent = "";
    update();
    if (!needsPreview()) return;
    const problem = invalid();
    if (problem) {
      previewStatus.textContent = problem;
      return;
    }
    previewStatus.textContent = "Checking what will be imported…";
    try {
      const answer = await api.createExecution(clientId, sync.syncId, request({ dryRun: true }));
      if (seq !== previewSeq) return; // the choice changed meanwhile
      preview = answer;
      const plan = answer.plan;
      confirmBox.checked = confirmedDigest !== null && confirmedDigest === plan.planDigest;
      if (plan.reimportDates.length > 0) {
        previewStatus.textContent = `${plan.datesCount} ${plan.datesCount === 1 ? "date" : "dates"} will be imported.`;
        replace(alertSlot, h("div", { class: "alert", "data-testid": "overlap-alert" },
          reimportSummary(plan, note || "Some of this data was already imported."),
          h("p", {}, "Make sure with the client that this is acceptable, then tick “I confirm”.")));
      } else {
        previewStatus.textContent = plan.datesCount === 0 ? "Nothing to import for this choice."
          : `${plan.datesCount} ${plan.datesCount === 1 ? "date" : "dates"} will be imported; none was imported before, so nothing will be duplicated.`;
        if (note) error.textContent = note;
      }
    } catch (e) {
      if (seq !== previewSeq) return;
      previewStatus.textContent = "";
      error.textContent = e.message;
    }
    update();
  }

  function needsConfirm() {
    if (active === "single") return true; // the manual: always "I confirm" for a single date
    return active === "range" && reimportAll.checked && !!preview && preview.plan.reimportDates.length > 0;
  }

  function update() {
    confirmField.hidden = !needsConfirm();
    // Nothing to confirm until the plan is shown: a tick given while it loads would be for no plan.
    confirmBox.disabled = needsPreview() && !preview;
    execute.disabled = busy || !!invalid() || (needsPreview() && !preview) || (needsConfirm() && !confirmBox.checked);
  }

  for (const input of [singleDate, rangeFrom, rangeTo]) {
    const changed = () => { clearTimeout(debounce); debounce = setTimeout(() => refreshPreview(), 250); update(); };
    input.addEventListener("input", changed);
    input.addEventListener("change", changed);
  }
  for (const radio of [onlyMissing, reimportAll]) radio.addEventListener("change", () => refreshPreview());
  confirmBox.addEventListener("change", update);

  execute.addEventListener("click", () => {
    const forced = needsPreview();
    start(request(forced ? { planDigest: preview.plan.planDigest } : {}), forced && confirmBox.checked);
  });

  /** Create the execution; confirm at once when the operator already ticked "I confirm". */
  async function start(body, confirmed) {
    const hadFocus = content.contains(document.activeElement);
    busy = true;
    execute.disabled = true;
    execute.textContent = "Starting…";
    error.textContent = "";
    try {
      let execution = await api.createExecution(clientId, sync.syncId, body);
      tracker.set(execution);
      if (execution.status === "AWAITING_CONFIRMATION" && confirmed) {
        try {
          execution = await api.confirm(clientId, sync.syncId, execution.executionId, execution.plan.planDigest);
          tracker.set(execution);
        } catch (e) {
          // The progress view keeps the confirmation step open and shows why.
          tracker.get(sync.syncId).error = e;
        }
      }
      showProgress(sync, ctx);
    } catch (e) {
      busy = false;
      execute.textContent = "Execute";
      if (e.code === "PLAN_CHANGED") {
        await refreshPreview("What would be imported changed since you looked. Review it and confirm again.");
      } else if (e.code === "EXECUTION_IN_PROGRESS" && e.details.executionId) {
        replace(error, e.message + " ", h("button", { type: "button", class: "link-button", "data-testid": "show-active-execution", onclick: async () => {
          try {
            await tracker.follow(sync.syncId, e.details.executionId);
            showProgress(sync, ctx);
          } catch (err) { error.textContent = err.message; }
        } }, "Show it"));
      } else {
        error.textContent = e.message;
      }
      refreshState();
      // Execute was disabled while starting: the focus goes to what can be done next.
      if (focusLost(content, hadFocus)) {
        const next = error.querySelector("button")
          || (execute.disabled ? content.querySelector('[role="tab"][aria-selected="true"]') : execute);
        if (next) next.focus();
      }
    }
  }

  refreshState = update;
  select("default");
  tabs.default.focus();
}
