// The "Default" choice of the run dialog: every missing date up to the last complete one, never a
// date already imported. Also the whole choice of a sync that has no other.
import { api } from "../api.js";
import { h } from "../dom.js";
import * as dates from "../dates.js";

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

/** What the dialog shows for a sync that only runs the default synchronization (no tabs). */
export function defaultOnly(sync, clientId) {
  return [
    h("p", {}, "This sync runs the default synchronization: it imports every missing date up to ",
      h("span", { class: "mono" }, sync.lastCompleteDate), " and never re-imports a date already imported."),
    remainingNote(sync, clientId),
  ];
}

/** The "Default" tab: nothing to choose, nothing to review. */
export function createDefaultTab(sync, clientId) {
  return {
    key: "default",
    label: "Default",
    body: [
      h("p", { class: "lead" }, "Synchronize all missing data"),
      h("p", {}, "Imports every date that is not imported yet, up to ", h("span", { class: "mono" }, sync.lastCompleteDate),
        ". Dates already imported are not imported again."),
      remainingNote(sync, clientId),
    ],
    typed: [],
    choices: [],
    invalid: () => null,
    request: (extra = {}) => ({ mode: "DEFAULT", ...extra }),
    needsPreview: () => false,
    needsConfirm: () => false,
  };
}
