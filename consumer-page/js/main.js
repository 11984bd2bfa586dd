// The consumer page: sign-in hand-over, client picker, the client's syncs with their calendars.
import { api, takeToken, forgetToken, setUnauthenticatedHandler, TERMINAL } from "./api.js";
import { h, replace } from "./dom.js";
import { createCalendar } from "./calendar.js";
import { createTracker } from "./progress.js";
import { openRunDialog } from "./dialog.js";
import { createRunHistory, openDateHistory } from "./history.js";
import { formatInZone } from "./dates.js";
import { mountAdmin, showClients } from "./admin/admin.js";
import { openChanges } from "./admin/changes.js";

const CLIENT_KEY = "syncexec.client";
const main = document.getElementById("main");
const picker = document.getElementById("client-picker");
const pickerField = document.getElementById("client-field");
const notice = document.getElementById("notice");

let clientId = null;
let tracker = null;
let rows = new Map(); // syncId -> row

function showSignIn(reason) {
  pickerField.hidden = true;
  if (tracker) tracker.stopAll();
  if (document.getElementById("run-dialog").open) document.getElementById("run-dialog").close();
  replace(main, h("section", { class: "card sign-in", "data-testid": "sign-in" },
    h("h2", {}, "Sign in"),
    reason ? h("p", { class: "error" }, reason) : null,
    h("p", {}, "This page needs a sign-in. Open it with the sign-in link you were given (it ends in ",
      h("code", {}, "#token=…"), ").")));
}

function showProblem(message) {
  notice.textContent = message;
  notice.hidden = !message;
}

async function loadClients() {
  showProblem("");
  replace(main, h("p", { class: "muted" }, "Loading clients…"));
  let clients;
  let caller;
  try {
    ({ clients, caller } = await api.clients());
  } catch (e) {
    if (e.status !== 401) replace(main, h("p", { class: "error", role: "alert" }, e.message));
    return;
  }
  // Sync admins get their views (js/admin/): the API says who is an admin, not the token.
  mountAdmin(caller, { main, leave: () => { if (tracker) tracker.stopAll(); }, back: loadClients });
  if (clients.length === 0 && caller && caller.admin) {
    pickerField.hidden = true;
    showClients();
    return;
  }
  if (clients.length === 0) {
    pickerField.hidden = true;
    replace(main, h("p", {}, "You do not have access to any client yet. Ask a sync admin for access."));
    return;
  }
  replace(picker, clients.map((c) => h("option", { value: c.clientId }, c.name)));
  const remembered = sessionStorage.getItem(CLIENT_KEY);
  picker.value = clients.some((c) => c.clientId === remembered) ? remembered : clients[0].clientId;
  pickerField.hidden = false;
  await loadSyncs(picker.value);
}

picker.addEventListener("change", () => {
  sessionStorage.setItem(CLIENT_KEY, picker.value);
  loadSyncs(picker.value);
});

async function loadSyncs(id) {
  if (tracker) tracker.stopAll();
  clientId = id;
  rows = new Map();
  tracker = createTracker(id, { onChange: executionChanged, onEnd: executionEnded });
  replace(main, h("p", { class: "muted" }, "Loading syncs…"));
  let syncs;
  try {
    syncs = (await api.syncs(id)).syncs;
  } catch (e) {
    if (e.status !== 401) replace(main, h("p", { class: "error", role: "alert" }, e.message));
    return;
  }
  if (clientId !== id) return;
  const name = picker.selectedOptions[0] ? picker.selectedOptions[0].textContent : id;
  const list = h("ul", { class: "syncs", "aria-label": `Syncs of ${name}` });
  replace(main, h("h2", { class: "section-title" }, `Syncs of ${name}`),
    syncs.length ? list : h("p", {}, "This client has no syncs yet."));
  for (const sync of syncs) {
    const row = createRow(sync);
    rows.set(sync.syncId, row);
    list.append(row.el);
    followActive(sync);
  }
}

/** Follow an execution that was already running when the page loaded (started elsewhere). */
function followActive(sync) {
  if (!sync.activeExecutionId || tracker.hasEnded(sync.activeExecutionId)) return;
  tracker.follow(sync.syncId, sync.activeExecutionId).catch(() => {});
}

function createRow(sync) {
  const ctx = { clientId, tracker };
  const calendar = createCalendar(sync, clientId, { onDay: (date, button) => openDateHistory(clientId, row.sync, date, button) });
  const runs = createRunHistory(sync, clientId);
  const nameEl = h("h3", { class: "sync-name" });
  const running = h("button", { type: "button", class: "badge running", hidden: true,
    "data-testid": `running-${sync.syncId}` }, h("span", { class: "spinner", "aria-hidden": "true" }), "Running");
  const play = h("button", { type: "button", class: "play", "data-testid": `play-${sync.syncId}` },
    playIcon(), h("span", { class: "play-text" }, "Run"));
  const changes = h("button", { type: "button", class: "button", "data-testid": `changes-${sync.syncId}`,
    onclick: () => openChanges(clientId, row.sync, changes) }, "Changes");
  const pausedNote = h("p", { class: "paused-note", id: `paused-${sync.syncId}`, "data-testid": `paused-${sync.syncId}`, hidden: true });
  const meta = h("dl", { class: "sync-meta" });
  const el = h("li", { class: "card sync", "data-testid": `sync-${sync.syncId}` },
    h("div", { class: "sync-head" }, nameEl, running, changes, play), pausedNote,
    h("div", { class: "sync-body" }, meta, calendar.el), runs.el);

  play.addEventListener("click", () => openRunDialog(row.sync, ctx, [play]));
  running.addEventListener("click", () => openRunDialog(row.sync, ctx, [running, play], { progress: true }));

  const row = {
    el, calendar, runs, sync,
    render() {
      const s = row.sync;
      nameEl.textContent = s.name;
      // A paused sync starts no run: the button says so, and why (SPEC §11).
      play.disabled = !!s.paused;
      play.lastChild.textContent = s.paused ? "Paused" : "Run";
      play.setAttribute("aria-label", s.paused ? `Paused: ${s.name}` : `Run ${s.name}`);
      pausedNote.hidden = !s.paused;
      pausedNote.textContent = s.paused ? `Paused: ${s.paused.reason}` : "";
      if (s.paused) play.setAttribute("aria-describedby", pausedNote.id);
      else play.removeAttribute("aria-describedby");
      changes.setAttribute("aria-label", `Changes of ${s.name}`);
      replace(meta,
        term("Time zone", s.timezone),
        term("First date", s.firstDate, true),
        term("Last imported date", s.lastImportedDate || "never", !!s.lastImportedDate),
        term("Runs", s.supportsPeriodExecution ? "Default, single date, date range" : "Default only"),
        term("Schedule", s.schedule && s.schedule.enabled ? "Runs on the schedule" : "Manual only"),
        ...scheduleTerms(s),
        ...limitTerms(s));
      row.setRunning();
    },
    setRunning() {
      const entry = tracker.get(row.sync.syncId);
      const active = entry ? !TERMINAL.has(entry.execution.status)
        : !!row.sync.activeExecutionId && !tracker.hasEnded(row.sync.activeExecutionId);
      running.hidden = !active;
      const waiting = entry && entry.execution.status === "AWAITING_CONFIRMATION";
      running.lastChild.textContent = waiting ? "Waiting for confirmation" : "Running";
      // The visible words first, so that a name spoken to voice control matches (WCAG 2.5.3).
      running.setAttribute("aria-label", `${running.lastChild.textContent}: show the progress of ${row.sync.name}`);
      running.classList.toggle("waiting", !!waiting);
    },
  };
  row.render();
  calendar.refresh();
  return row;
}

/**
 * When the next scheduled run is due, in the sync's zone (a date complete there + its settle delay;
 * the run starts at the first heartbeat after), and when the schedule last found it due.
 */
function scheduleTerms(s) {
  if (!s.schedule || !s.schedule.enabled || !s.schedule.nextDueAt) return [];
  const due = s.schedule.dueNow
    ? "due now: starts at the next heartbeat"
    : formatInZone(s.schedule.nextDueAt, s.timezone);
  const settle = s.schedule.settleMinutes ? ` (${s.schedule.settleMinutes} min after the day ends)` : "";
  const terms = [term("Next scheduled run", due + settle)];
  if (s.schedule.lastCheckedAt) terms.push(term("Checked at", formatInZone(s.schedule.lastCheckedAt, s.timezone)));
  return terms;
}

/** The sync's source limits (connector.limits): dates at once and, when set, source requests a minute. */
function limitTerms(s) {
  const limits = s.connector && s.connector.limits;
  if (!limits) return [];
  const rate = limits.requestsPerMinute ? `, at most ${limits.requestsPerMinute} source requests a minute` : "";
  return [term("Source limits", `${limits.maxConcurrentDates} dates at once${rate}`)];
}

function term(label, value, mono = false) {
  return h("div", {}, h("dt", {}, label), h("dd", { class: mono ? "mono" : "" }, value));
}

function playIcon() {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.innerHTML = '<path d="M4 2.5v11l9-5.5z" fill="currentColor"/>';
  return svg;
}

// While an execution runs, the calendar follows its progress (at most every 2 s).
const lastCalendarRefresh = new Map();
function executionChanged(entry) {
  const row = rows.get(entry.execution.syncId);
  if (!row) return;
  row.setRunning();
  const now = Date.now();
  const p = entry.execution.progress || {};
  const key = `${p.imported}/${p.failed}/${p.skipped}/${p.cancelled}`;
  const last = lastCalendarRefresh.get(row.sync.syncId) || { at: 0, key: "" };
  if (key !== last.key && now - last.at > 2000) {
    lastCalendarRefresh.set(row.sync.syncId, { at: now, key });
    row.calendar.refresh();
  }
}

/** An execution ended: refresh its sync (last imported date, badge) and its calendar. */
async function executionEnded(execution) {
  const row = rows.get(execution.syncId);
  if (!row) return;
  row.setRunning();
  row.runs.refresh();
  try {
    const { syncs } = await api.syncs(clientId);
    for (const sync of syncs) {
      const r = rows.get(sync.syncId);
      if (!r) continue;
      const old = r.sync;
      r.sync = sync;
      r.render();
      if (sync.syncId === execution.syncId) r.calendar.update(sync);
      else if (old.today !== sync.today) r.calendar.update(sync);
      followActive(sync);
    }
  } catch (e) {
    row.calendar.refresh();
  }
}

setUnauthenticatedHandler(() => {
  forgetToken();
  showSignIn("Your sign-in has ended or is not valid. Sign in again.");
});

function start() {
  if (takeToken()) loadClients();
  else showSignIn();
}
window.addEventListener("hashchange", () => { if (/token=/.test(location.hash)) start(); });
start();
