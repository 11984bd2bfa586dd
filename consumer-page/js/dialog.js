// The run dialog behind a sync's play button: the choices of the manual, then live progress. The
// dialog is in index.html, read on first open; each choice is a tab of its own (run/*-tab.js), the
// plan review they share is run/plan-review.js.
import { api, TERMINAL } from "./api.js";
import { h, replace, focusLost } from "./dom.js";
import { createProgressView } from "./progress.js";
import { createDefaultTab, defaultOnly } from "./run/default-tab.js";
import { createSingleTab } from "./run/single-tab.js";
import { createRangeTab } from "./run/range-tab.js";
import { createPlanReview } from "./run/plan-review.js";

const dialog = () => document.getElementById("run-dialog");
const content = () => document.getElementById("run-dialog-content");
let cleanup = () => {};
let returnFocus = [];
let listening = false;

function onClose() {
  cleanup();
  cleanup = () => {};
  // Give the focus back to the button that opened the dialog, or to the next one if it is gone
  // (the "Running" badge of a run that ended meanwhile).
  const target = returnFocus.find((button) => button.isConnected && !button.hidden);
  if (target) target.focus();
}

/**
 * Opens the dialog for a sync. ctx: { clientId, tracker }. Shows the progress of the sync's
 * execution when one is active, otherwise the choices. On close, the focus goes back to the
 * first of `returnFocusTo` (the opener first) that is still shown.
 */
export function openRunDialog(sync, ctx, returnFocusTo, { progress = false } = {}) {
  if (!listening) {
    document.getElementById("run-dialog-close").addEventListener("click", () => dialog().close());
    dialog().addEventListener("close", onClose);
    listening = true;
  }
  returnFocus = returnFocusTo;
  document.getElementById("run-dialog-title").textContent = `Run ${sync.name}`;
  if (!dialog().open) dialog().showModal();
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
  replace(content(), view.el);
  view.focus();
}

/** The error line and the Close and Execute buttons under the choices. */
function createFooter() {
  const error = h("div", { class: "error", role: "alert", "data-testid": "dialog-error" });
  const execute = h("button", { type: "button", class: "button primary", "data-testid": "execute" }, "Execute");
  const el = h("div", { class: "dialog-footer" }, error,
    h("div", { class: "actions" },
      h("button", { type: "button", class: "button", onclick: () => dialog().close() }, "Close"), execute));
  return { el, error, execute, busy: false };
}

function showChoices(sync, ctx) {
  cleanup();
  cleanup = () => {};
  const footer = createFooter();
  if (sync.supportsPeriodExecution) {
    showTabs(sync, ctx, footer);
    return;
  }
  replace(content(), defaultOnly(sync, ctx.clientId), footer.el);
  const choice = { footer, refresh: () => { footer.execute.disabled = footer.busy; } };
  footer.execute.addEventListener("click", () => start(sync, ctx, choice, { mode: "DEFAULT" }, false));
  footer.execute.focus();
}

/**
 * The choices of a sync that runs periods, one tab each (WAI-ARIA tabs pattern, automatic
 * activation). A tab is { key, label, body (its panel's content), typed (inputs re-checked once
 * typing pauses), choices (inputs re-checked at once), invalid() (what is wrong, in plain words,
 * or null), request(extra) (the body to POST), needsPreview(), needsConfirm(plan) }.
 */
function showTabs(sync, ctx, footer) {
  const { execute, error } = footer;
  const all = [createDefaultTab(sync, ctx.clientId), createSingleTab(sync), createRangeTab(sync)];
  let active = all[0];
  const review = createPlanReview({ clientId: ctx.clientId, syncId: sync.syncId, current: () => active, error, changed: update });

  const buttons = new Map();
  const panels = new Map();
  const tabList = h("div", { role: "tablist", "aria-label": "What to synchronize", class: "tabs" });
  for (const tab of all) {
    buttons.set(tab, h("button", { type: "button", role: "tab", id: `tab-${tab.key}`, "aria-controls": `panel-${tab.key}`,
      "data-testid": `tab-${tab.key}`, onclick: () => select(tab) }, tab.label));
    panels.set(tab, h("div", { role: "tabpanel", id: `panel-${tab.key}`, "aria-labelledby": `tab-${tab.key}`, tabindex: "0",
      class: "panel" }, tab.body));
    tabList.append(buttons.get(tab));
  }
  tabList.addEventListener("keydown", (event) => {
    const i = all.indexOf(active);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const tab = all[(to + all.length) % all.length];
    select(tab);
    buttons.get(tab).focus();
  });
  replace(content(), tabList, [...panels.values()], footer.el);

  function select(tab) {
    active = tab;
    for (const t of all) {
      buttons.get(t).setAttribute("aria-selected", String(t === tab));
      buttons.get(t).tabIndex = t === tab ? 0 : -1;
      panels.get(t).hidden = t !== tab;
    }
    const slot = panels.get(tab).querySelector(".review-slot");
    if (slot) slot.append(review.el);
    error.textContent = "";
    review.refresh();
  }

  function update() {
    const ready = review.update();
    execute.disabled = footer.busy || !!active.invalid() || !ready;
  }

  for (const tab of all) {
    for (const input of tab.typed) {
      const changed = () => { review.later(); update(); };
      input.addEventListener("input", changed);
      input.addEventListener("change", changed);
    }
    for (const radio of tab.choices) radio.addEventListener("change", () => review.refresh());
  }
  const choice = { footer, refresh: update, replan: (note) => review.refresh(note) };
  execute.addEventListener("click", () => {
    const forced = active.needsPreview();
    start(sync, ctx, choice, active.request(forced ? { planDigest: review.plan().planDigest } : {}), forced && review.confirmed());
  });
  select(all[0]);
  buttons.get(all[0]).focus();
}

/**
 * Creates the execution; confirms it at once when the operator already ticked "I confirm"; shows
 * its progress. choice: { footer, refresh() (re-enables what can be done), replan(note) (asks the
 * plan again when it changed; none for a choice without a plan) }.
 */
async function start(sync, ctx, choice, body, confirmed) {
  const { clientId, tracker } = ctx;
  const { footer } = choice;
  const { execute, error } = footer;
  const hadFocus = content().contains(document.activeElement);
  footer.busy = true;
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
    footer.busy = false;
    execute.textContent = "Execute";
    if (e.code === "PLAN_CHANGED" && choice.replan) {
      await choice.replan("What would be imported changed since you looked. Review it and confirm again.");
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
    choice.refresh();
    // Execute was disabled while starting: the focus goes to what can be done next.
    if (focusLost(content(), hadFocus)) {
      const next = error.querySelector("button")
        || (execute.disabled ? content().querySelector('[role="tab"][aria-selected="true"]') : execute);
      if (next) next.focus();
    }
  }
}
