// The "Date range" choice of the run dialog: the missing dates of a range (starts at once), or all
// its dates imported again (reviewed with a dry run, confirmed when it overlaps what was imported).
import { h } from "../dom.js";
import * as dates from "../dates.js";

export function createRangeTab(sync) {
  const first = sync.firstDate;
  const last = sync.lastCompleteDate;
  const rangeFrom = h("input", { type: "date", id: "range-from", min: first, max: last,
    value: dates.max(first, dates.addDays(last, -6)), "data-testid": "range-from", required: true });
  const rangeTo = h("input", { type: "date", id: "range-to", min: first, max: last, value: last,
    "data-testid": "range-to", required: true });
  const onlyMissing = h("input", { type: "radio", name: "range-mode", id: "range-missing", value: "missing",
    checked: true, "data-testid": "reimport-missing", "aria-describedby": "range-missing-help" });
  const reimportAll = h("input", { type: "radio", name: "range-mode", id: "range-all", value: "all",
    "data-testid": "reimport-all", "aria-describedby": "range-all-help" });
  return {
    key: "range",
    label: "Date range",
    body: [
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
      h("div", { class: "review-slot" }),
    ],
    typed: [rangeFrom, rangeTo],
    choices: [onlyMissing, reimportAll],
    invalid() {
      if (!dates.isIsoDate(rangeFrom.value) || !dates.isIsoDate(rangeTo.value)) return "Choose both dates of the range.";
      if (rangeFrom.value > rangeTo.value) return "The first date of the range is after the last one.";
      if (rangeFrom.value < first) return `The sync starts on ${first}; the range cannot start earlier.`;
      if (rangeTo.value > last) return `The last complete date is ${last}; the range cannot end later.`;
      const days = dates.daysInclusive(rangeFrom.value, rangeTo.value);
      if (days > sync.maxRangeDays) return `The range has ${days} days; this sync allows at most ${sync.maxRangeDays}.`;
      return null;
    },
    request: (extra = {}) => ({ mode: "DATE_RANGE", from: rangeFrom.value, to: rangeTo.value, reimport: reimportAll.checked, ...extra }),
    needsPreview: () => reimportAll.checked,
    needsConfirm: (plan) => reimportAll.checked && !!plan && plan.reimportDates.length > 0,
  };
}
