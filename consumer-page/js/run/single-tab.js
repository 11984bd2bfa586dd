// The "Single date" choice of the run dialog: one date imported again, as if nothing had been
// imported before; always reviewed with a dry run and always confirmed.
import { h } from "../dom.js";
import * as dates from "../dates.js";

export function createSingleTab(sync) {
  const first = sync.firstDate;
  const last = sync.lastCompleteDate;
  const singleDate = h("input", { type: "date", id: "single-date", min: first, max: last, value: last,
    "data-testid": "single-date", "aria-describedby": "single-help", required: true });
  return {
    key: "single",
    label: "Single date",
    body: [
      h("div", { class: "field" }, h("label", { for: "single-date" }, "Date"), singleDate,
        h("span", { class: "hint" }, `From ${first} to ${last}, in ${sync.timezone}`)),
      h("p", { id: "single-help" }, "Imports all data of this date, as if nothing had been imported before. ",
        h("strong", {}, "If the date was already imported, its data may be duplicated in the client's tool."),
        " Make sure with the client that the data can safely be imported again."),
      h("div", { class: "review-slot" }),
    ],
    typed: [singleDate],
    choices: [],
    invalid() {
      if (!dates.isIsoDate(singleDate.value)) return "Choose a date.";
      if (singleDate.value < first) return `The sync starts on ${first}; choose that date or a later one.`;
      if (singleDate.value > last) return `${singleDate.value} is not complete yet in ${sync.timezone}; the last complete date is ${last}.`;
      return null;
    },
    request: (extra = {}) => ({ mode: "SINGLE_DATE", date: singleDate.value, ...extra }),
    needsPreview: () => true,
    needsConfirm: () => true, // the manual: always "I confirm" for a single date
  };
}
