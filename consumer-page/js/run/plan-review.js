// The plan review of the run dialog, shared by the tabs that re-import: a dry run of the current
// choice says what would be imported, an alert shows what was imported before, "I confirm" asks
// for the client's agreement. One block, moved into the active tab's panel (so its test ids stay
// unique).
import { api } from "../api.js";
import { h, replace, plural } from "../dom.js";
import { reimportSummary } from "../progress.js";

/** How long typing in a date waits before the dry run asks again. */
const TYPING_PAUSE_MS = 250;

/**
 * current: () => the active tab (see dialog.js); error: the dialog's error line; changed: called
 * whenever what the review holds changed (the dialog then updates its Execute button).
 */
export function createPlanReview({ clientId, syncId, current, error, changed }) {
  const status = h("p", { class: "preview-status", role: "status", "data-testid": "preview-status" });
  const alertSlot = h("div");
  const confirmBox = h("input", { type: "checkbox", id: "confirm-checkbox", "data-testid": "confirm-checkbox",
    "aria-describedby": "confirm-help" });
  const confirmField = h("div", { class: "confirm-field", hidden: true }, confirmBox,
    h("label", { for: "confirm-checkbox" }, "I confirm"),
    h("span", { class: "hint", id: "confirm-help" }, "The client agreed that this data may be imported again."));
  const el = h("div", { class: "review" }, status, alertSlot, confirmField);
  let preview = null; // the dry-run answer for the current choice
  let seq = 0;
  let debounce = 0;
  let typing = false; // a date changed and its dry run has not been asked yet: the plan shown is stale
  confirmBox.addEventListener("change", changed);

  const plan = () => (preview ? preview.plan : null);

  /** Dry run of the current choice, shown so the operator sees what would be re-imported. */
  async function refresh(note = "") {
    clearTimeout(debounce);
    typing = false;
    const mine = ++seq;
    // A tick stays only for the very plan it was given to (same digest), never for a changed one.
    const confirmedDigest = confirmBox.checked && preview && !note ? preview.plan.planDigest : null;
    preview = null;
    confirmBox.checked = false;
    replace(alertSlot);
    status.textContent = "";
    changed();
    const tab = current();
    if (!tab.needsPreview()) return;
    const problem = tab.invalid();
    if (problem) {
      status.textContent = problem;
      return;
    }
    status.textContent = "Checking what will be imported…";
    try {
      const answer = await api.createExecution(clientId, syncId, tab.request({ dryRun: true }));
      if (mine !== seq) return; // the choice changed meanwhile
      preview = answer;
      const p = answer.plan;
      confirmBox.checked = confirmedDigest !== null && confirmedDigest === p.planDigest;
      if (p.reimportDates.length > 0) {
        status.textContent = `${plural(p.datesCount, "date")} will be imported.`;
        replace(alertSlot, h("div", { class: "alert", "data-testid": "overlap-alert" },
          reimportSummary(p, note || "Some of this data was already imported."),
          h("p", {}, "Make sure with the client that this is acceptable, then tick “I confirm”.")));
      } else {
        status.textContent = p.datesCount === 0 ? "Nothing to import for this choice."
          : `${plural(p.datesCount, "date")} will be imported; none was imported before, so nothing will be duplicated.`;
        if (note) error.textContent = note;
      }
    } catch (e) {
      if (mine !== seq) return;
      status.textContent = "";
      error.textContent = e.message;
    }
    changed();
  }

  return {
    el,
    refresh,
    /** A date is being typed: ask again once the typing pauses. */
    later() {
      clearTimeout(debounce);
      // Until then the plan shown is not the choice's: nothing can be confirmed or started on it.
      typing = true;
      status.textContent = "Checking what will be imported…";
      debounce = setTimeout(() => refresh(), TYPING_PAUSE_MS);
    },
    /** The plan the operator reviewed, null while none is shown. */
    plan,
    confirmed: () => confirmBox.checked,
    /** Shows "I confirm" when the current choice needs it; true when nothing here holds the start back. */
    update() {
      const tab = current();
      const waiting = tab.needsPreview() && (!preview || typing);
      const confirm = tab.needsConfirm(plan());
      confirmField.hidden = !confirm;
      // Nothing to confirm until the plan is shown: a tick given while it loads would be for no plan.
      confirmBox.disabled = waiting;
      return !waiting && !(confirm && !confirmBox.checked);
    },
  };
}
