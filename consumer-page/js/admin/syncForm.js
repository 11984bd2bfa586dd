// The sync form: every field of a sync definition, the API's refusals next to their field, and the
// version conflict view (the other admin's change, and "apply mine again"). A refused save keeps
// everything typed.
import { h, replace } from "../dom.js";
import { formatInZone, isIsoDate } from "../dates.js";
import { adminApi } from "./adminApi.js";
import { changeItem, fieldLabel } from "./changes.js";

/** The config each connector type reads (shared/…/connector); secrets are write-only. Other keys the API returns are shown too. */
const CONNECTOR_FIELDS = {
  demo: [
    { key: "recordsPerDate", label: "Records per date", type: "number" },
    { key: "failureRate", label: "Failure rate (0 to 1)", type: "number", step: "any" },
    { key: "latencyMillis", label: "Time per date (milliseconds)", type: "number" },
  ],
  http: [
    { key: "sourceUrl", label: "Source URL ({date} becomes the date)", type: "url" },
    { key: "destinationUrl", label: "Destination URL", type: "url" },
    { key: "sourceToken", label: "Source token", secret: true },
    { key: "destinationToken", label: "Destination token", secret: true },
    { key: "timeoutSeconds", label: "Timeout (seconds)", type: "number" },
    { key: "maxResponseBytes", label: "Largest source answer (bytes)", type: "number" },
  ],
};
const SECRET = /(token|secret|password|apikey)$/i;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

let zones = null;
function timeZones() {
  if (!zones) {
    zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    if (!zones.includes("UTC")) zones = ["UTC", ...zones];
  }
  return zones;
}

const idOf = (path) => "f-" + path.replace(/[^A-Za-z0-9_-]/g, "-");

/**
 * One labelled input whose refusal shows under it: `path` is the field's path in the PUT body
 * (what the API names in details.field).
 */
function field(path, label, input, hint) {
  const id = idOf(path);
  const error = h("p", { class: "error field-error", id: id + "-error", "data-testid": `error-${path}` });
  input.id = id;
  input.setAttribute("data-field", path);
  input.setAttribute("aria-describedby", [hint ? id + "-hint" : null, id + "-error"].filter(Boolean).join(" "));
  return h("div", { class: "field" }, h("label", { for: id }, label), input,
    hint ? h("p", { class: "hint", id: id + "-hint" }, hint) : null, error);
}

function checkbox(path, label, checked) {
  const id = idOf(path);
  const input = h("input", { type: "checkbox", id, checked, "data-field": path, "aria-describedby": id + "-error",
    "data-testid": `form-check-${path}` });
  return h("div", { class: "field" }, h("div", { class: "check" }, input, h("label", { for: id }, label)),
    h("p", { class: "error field-error", id: id + "-error", "data-testid": `error-${path}` }));
}

const text = (value, attrs = {}) => h("input", { type: "text", value: value ?? "", ...attrs });
const number = (value, attrs = {}) => h("input", { type: "number", value: value ?? "", ...attrs });

/**
 * Renders the form into `container`. `sync` is the GET view to edit, or null for a new sync of
 * `clientId`; `done(saved)` is called after a save, `cancel()` on Cancel.
 */
export function renderSyncForm(container, clientId, sync, { done, cancel }) {
  const creating = !sync;
  let version = creating ? 0 : sync.version;
  const s = sync || { name: "", timezone: "", firstDate: "", supportsPeriodExecution: false, maxRangeDays: 366,
    schedule: { enabled: false, settleMinutes: 0 }, connector: { type: "demo", config: {}, secrets: {} } };

  const list = h("datalist", { id: "time-zones" }, timeZones().map((z) => h("option", { value: z })));
  const syncId = text(creating ? "" : s.syncId, { disabled: !creating, autocomplete: "off", "data-testid": "form-syncId" });
  const name = text(s.name, { "data-testid": "form-name" });
  const zone = text(s.timezone, { list: "time-zones", autocomplete: "off", "data-testid": "form-timezone" });
  const firstDate = text(s.firstDate, { inputmode: "numeric", placeholder: "YYYY-MM-DD", "data-testid": "form-firstDate" });
  const period = checkbox("supportsPeriodExecution", "Operators may run a single date or a date range", s.supportsPeriodExecution);
  const maxRange = number(s.maxRangeDays, { min: 1, max: 3660, "data-testid": "form-maxRangeDays" });
  const scheduled = checkbox("schedule.enabled", "Runs on the schedule (once a date has ended in the sync's time zone)",
    !!(s.schedule && s.schedule.enabled));
  const settle = number((s.schedule && s.schedule.settleMinutes) || 0, { min: 0, max: 1440, "data-testid": "form-settleMinutes" });
  const type = h("select", { "data-testid": "form-connectorType" },
    Object.keys(CONNECTOR_FIELDS).map((t) => h("option", { value: t, selected: t === s.connector.type }, t)));
  const config = h("div", { class: "config-fields" });
  const limits = h("div", {});
  const paused = checkbox("paused", "Paused: no run starts, scheduled or manual", !!s.paused);
  const reason = text(s.paused ? s.paused.reason : "", { "data-testid": "form-pausedReason" });
  const reasonField = field("paused.reason", "Why (operators see it on the play button)", reason);
  const formError = h("div", { class: "error", role: "alert", "data-testid": "form-error" });
  const conflict = h("div", { "data-testid": "conflict-area" });
  const save = h("button", { type: "submit", class: "button primary", "data-testid": "form-save" }, creating ? "Create sync" : "Save");
  const heading = h("h2", { tabindex: "-1", "data-testid": "form-title" }, creating ? "New sync" : `Edit ${s.name}`);

  let configInputs = [];
  function renderConfig() {
    const t = type.value;
    const same = t === s.connector.type;
    const values = same ? (s.connector.config || {}) : {};
    const secrets = same ? (s.connector.secrets || {}) : {};
    const known = CONNECTOR_FIELDS[t] || [];
    const extra = Object.keys(values).filter((k) => !known.some((f) => f.key === k)).map((k) =>
      ({ key: k, label: `Connector ${k}`, type: typeof values[k] === "number" ? "number" : "text" }));
    const extraSecrets = Object.keys(secrets).filter((k) => !known.some((f) => f.key === k)).map((k) =>
      ({ key: k, label: `Connector ${k}`, secret: true }));
    configInputs = [];
    replace(config, [...known, ...extra, ...extraSecrets].map((f) => {
      const path = `connector.config.${f.key}`;
      if (f.secret || SECRET.test(f.key)) {
        const isSet = secrets[f.key] === "set";
        const input = h("input", { type: "password", autocomplete: "new-password", "data-testid": `form-secret-${f.key}` });
        const clear = h("input", { type: "checkbox", id: idOf(path) + "-clear", "data-testid": `form-clear-${f.key}` });
        configInputs.push({ key: f.key, secret: true, input, clear });
        return h("div", { class: "secret" },
          field(path, f.label, input, isSet ? "Set. Type a new value to replace it; leave empty to keep it." : "Not set."),
          h("p", { class: "secret-status", "data-testid": `secret-status-${f.key}` }, isSet ? "set" : "not set"),
          isSet ? h("div", { class: "check" }, clear, h("label", { for: clear.id }, `Clear ${f.label.toLowerCase()}`)) : null);
      }
      const input = f.type === "number" ? number(values[f.key], { step: f.step || "1" })
        : text(values[f.key], { type: f.type || "text" });
      input.setAttribute("data-testid", `form-config-${f.key}`);
      configInputs.push({ key: f.key, number: f.type === "number", input });
      return field(path, f.label, input);
    }));
  }
  renderConfig();
  type.addEventListener("change", renderConfig);

  // connector.limits, when the API's definition has them: each a whole number.
  const limitInputs = [];
  if (s.connector.limits) {
    replace(limits, h("fieldset", {}, h("legend", {}, "Limits"), Object.entries(s.connector.limits).map(([key, v]) => {
      const input = number(v, { min: 1, "data-testid": `form-limit-${key}` });
      limitInputs.push({ key, input });
      return field(`connector.limits.${key}`, fieldLabel(`connector.limits.${key}`), input);
    })));
  }

  const syncPausedToggle = () => { reasonField.hidden = !paused.querySelector("input").checked; };
  paused.querySelector("input").addEventListener("change", syncPausedToggle);
  syncPausedToggle();

  function body() {
    const cfg = {};
    for (const c of configInputs) {
      if (c.secret) {
        if (c.clear && c.clear.checked) cfg[c.key] = "";
        else if (c.input.value !== "") cfg[c.key] = c.input.value;
      } else if (c.input.value.trim() !== "") {
        cfg[c.key] = c.number ? Number(c.input.value) : c.input.value.trim();
      }
    }
    const connector = { type: type.value, config: cfg };
    if (limitInputs.length) {
      connector.limits = {};
      for (const l of limitInputs) if (l.input.value !== "") connector.limits[l.key] = Number(l.input.value);
    }
    const b = {
      name: name.value.trim(), timezone: zone.value.trim(), firstDate: firstDate.value.trim(),
      supportsPeriodExecution: period.querySelector("input").checked,
      schedule: { enabled: scheduled.querySelector("input").checked, settleMinutes: Number(settle.value || 0) },
      connector, version,
    };
    if (maxRange.value !== "") b.maxRangeDays = Number(maxRange.value);
    if (paused.querySelector("input").checked) b.paused = { reason: reason.value.trim() };
    return b;
  }

  function clearErrors() {
    replace(formError);
    container.querySelectorAll(".field-error").forEach((e) => replace(e));
    container.querySelectorAll("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
  }

  /** Shows a refusal next to its field (in words), or above the form when it names none; focuses it. */
  function showError(path, message) {
    const input = path && container.querySelector(`[data-field="${CSS.escape(path)}"]`);
    if (input) {
      const error = container.querySelector(`#${CSS.escape(input.id)}-error`);
      error.textContent = message.startsWith(path) ? fieldLabel(path) + message.slice(path.length) : message;
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } else {
      formError.textContent = message;
      formError.setAttribute("tabindex", "-1");
      formError.focus();
    }
  }

  async function showConflict(error, mine) {
    const d = error.details || {};
    const who = d.changedBy ? `${d.changedBy} changed this sync` : "This sync was changed";
    const list = h("ol", { class: "changes", "aria-label": "Their changes" });
    const reapply = h("button", { type: "button", class: "button primary", "data-testid": "conflict-reapply" }, "Apply my changes again");
    const discard = h("button", { type: "button", class: "button", "data-testid": "conflict-discard" }, "Discard mine and load theirs");
    const box = h("section", { class: "conflict", "data-testid": "conflict", "aria-labelledby": "conflict-title" },
      h("h3", { id: "conflict-title", tabindex: "-1" }, "Someone else saved this sync meanwhile"),
      h("p", {}, `${who}${d.changedAt ? " at " + formatInZone(d.changedAt, s.timezone) : ""} (version ${d.currentVersion}); `
        + `you edited version ${mine}. Your changes are still in the form below and were not saved.`),
      list, h("div", { class: "actions" }, discard, reapply));
    replace(conflict, box);
    box.querySelector("h3").focus();
    reapply.onclick = () => { version = d.currentVersion; replace(conflict); submit(); };
    discard.onclick = async () => {
      const theirs = await adminApi.sync(clientId, s.syncId);
      renderSyncForm(container, clientId, theirs, { done, cancel });
    };
    try {
      const page = await adminApi.changes(clientId, s.syncId);
      list.append(...page.changes.filter((c) => c.version > mine).map((c) => changeItem(c, s.timezone)));
    } catch {
      list.append(h("li", {}, "Their changes could not be loaded; open Changes on the sync to see them."));
    }
  }

  async function submit() {
    clearErrors();
    const id = creating ? syncId.value.trim() : s.syncId;
    if (!ID.test(id)) return showError("syncId", "Sync id: 1 to 64 letters, digits, - or _.");
    const b = body();
    if (b.firstDate && !isIsoDate(b.firstDate)) return showError("firstDate", "First date must be a date written YYYY-MM-DD.");
    save.disabled = true;
    try {
      const saved = await adminApi.saveSync(clientId, id, b);
      done(saved);
    } catch (e) {
      if (e.code === "VERSION_CONFLICT" && !creating) await showConflict(e, b.version);
      else showError(e.details && e.details.field, e.message);
    } finally {
      save.disabled = false;
    }
  }

  const form = h("form", { class: "card admin-form", novalidate: true, "data-testid": "sync-form", "aria-labelledby": "sync-form-title" },
    list, formError,
    h("fieldset", {}, h("legend", {}, "The sync"),
      field("syncId", "Sync id (letters, digits, - and _)", syncId, creating ? null : "A sync's id cannot change."),
      field("name", "Name", name),
      field("timezone", "Time zone (its dates are this zone's days)", zone, "Type to search, e.g. Europe/Paris."),
      field("firstDate", "First date", firstDate, "YYYY-MM-DD. Moving it earlier makes the next default run import the new dates."),
      period,
      field("maxRangeDays", "Longest date range an operator may run (days)", maxRange)),
    h("fieldset", {}, h("legend", {}, "Schedule"), scheduled,
      field("schedule.settleMinutes", "Settle minutes after the day ends", settle)),
    h("fieldset", {}, h("legend", {}, "Connector"), field("connector.type", "Connector type", type), config, limits),
    h("fieldset", {}, h("legend", {}, "Pause"), paused, reasonField),
    h("div", { class: "actions" },
      h("button", { type: "button", class: "button", "data-testid": "form-cancel", onclick: () => cancel() }, "Cancel"), save));
  heading.id = "sync-form-title";
  form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
  replace(container, heading, conflict, form);
  heading.focus();
}
