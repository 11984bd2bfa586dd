// A sync's changes (who changed what, when), newest first, for admins and the client's operators.
import { h, replace } from "../dom.js";
import { formatInZone } from "../dates.js";
import { adminApi } from "./adminApi.js";

const LABELS = {
  name: "Name", timezone: "Time zone", firstDate: "First date",
  supportsPeriodExecution: "Single date and date range runs", maxRangeDays: "Longest date range (days)",
  "schedule.enabled": "Runs on the schedule", "schedule.settleMinutes": "Settle minutes after the day ends",
  "connector.type": "Connector", "paused.reason": "Paused",
};

/** A definition field's name in words: "connector.config.sourceUrl" → "Connector sourceUrl". */
export function fieldLabel(field) {
  if (LABELS[field]) return LABELS[field];
  const config = /^connector\.config\.(.+)$/.exec(field);
  if (config) return `Connector ${config[1]}`;
  const limit = /^connector\.limits\.(.+)$/.exec(field);
  if (limit) return `Limit ${limit[1]}`;
  return field;
}

function value(v) {
  if (v === null || v === undefined) return "(none)";
  if (v === true) return "yes";
  if (v === false) return "no";
  return typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** One change as a list item: "Version 3 · when · by whom", each field "label: old → new", and its note. */
export function changeItem(change, zone) {
  return h("li", { class: "change", "data-testid": `change-${change.version}` },
    h("p", { class: "change-head" }, h("strong", {}, `Version ${change.version}`), ` · ${formatInZone(change.at, zone)} · `,
      h("span", { "data-testid": "change-by" }, change.by)),
    h("ul", { class: "change-fields" }, change.fields.map((f) =>
      h("li", {}, h("span", { class: "change-field" }, `${fieldLabel(f.field)}: `), h("span", { class: "mono" }, value(f.from)),
        " → ", h("span", { class: "mono" }, value(f.to))))),
    change.note ? h("p", { class: "change-note", "data-testid": "change-note" }, change.note) : null);
}

let dialog = null;
let returnFocus = null;

function ensureDialog() {
  if (dialog) return dialog;
  const heading = h("h2", { id: "changes-dialog-title", tabindex: "-1", "data-testid": "changes-title" });
  const content = h("div", {});
  dialog = h("dialog", { id: "changes-dialog", class: "changes-dialog", "aria-labelledby": "changes-dialog-title",
    "data-testid": "changes-dialog" },
  h("div", { class: "dialog-head" }, heading,
    h("button", { type: "button", class: "icon-button", "aria-label": "Close", "data-testid": "changes-close",
      onclick: () => dialog.close() }, "×")),
  content);
  dialog.heading = heading;
  dialog.content = content;
  dialog.addEventListener("close", () => {
    if (returnFocus && returnFocus.isConnected) returnFocus.focus();
  });
  document.body.append(dialog);
  return dialog;
}

/** Opens the Changes view of a sync; the focus goes back to `opener` when it closes. */
export async function openChanges(clientId, sync, opener) {
  const d = ensureDialog();
  returnFocus = opener;
  d.heading.textContent = `Changes of ${sync.name}`;
  const list = h("ol", { class: "changes", "data-testid": "changes-list", "aria-label": `Changes of ${sync.name}, newest first` });
  const status = h("p", { class: "muted", role: "status", "data-testid": "changes-status" }, "Loading…");
  const more = h("button", { type: "button", class: "button", hidden: true, "data-testid": "changes-more" }, "Show older changes");
  replace(d.content, status, list, h("div", { class: "actions" }, more));
  if (!d.open) d.showModal();
  d.heading.focus();
  let token = null;
  const load = async () => {
    let page;
    try {
      page = await adminApi.changes(clientId, sync.syncId, token);
    } catch (e) {
      status.textContent = e.message;
      status.className = "error";
      return;
    }
    const first = list.children.length === 0;
    const items = page.changes.map((c) => changeItem(c, sync.timezone));
    list.append(...items);
    status.textContent = list.children.length === 0 ? "No change recorded yet." : "";
    token = page.nextToken;
    more.hidden = !token;
    if (!first && items.length) {
      items[0].setAttribute("tabindex", "-1");
      items[0].focus();
    } else if (more.hidden && document.activeElement === more) {
      d.heading.focus();
    }
  };
  more.onclick = load;
  await load();
}
