// The consumer page: sign-in (auth.js), client picker, the client's syncs with their calendars.
import { api, setApiBase, setUnauthenticatedHandler, TERMINAL } from "./api.js";
import * as auth from "./auth.js";
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
const signedIn = document.getElementById("signed-in");
const signedInAs = document.getElementById("signed-in-as");
const signOutButton = document.getElementById("sign-out");

let clientId = null;
let tracker = null;
let rows = new Map(); // syncId -> row
let returnToSync = null; // the sync a sign-in came back to

function showSignIn(reason) {
  pickerField.hidden = true;
  signedIn.hidden = true;
  if (tracker) tracker.stopAll();
  if (document.getElementById("run-dialog").open) document.getElementById("run-dialog").close();
  const button = h("button", { type: "button", class: "button primary", "data-testid": "sign-in-button" }, "Sign in");
  button.addEventListener("click", () => auth.signIn(returnTo()).catch(() => showSignIn(SIGN_IN_UNREACHABLE)));
  replace(main, h("section", { class: "card sign-in", "data-testid": "sign-in", "aria-labelledby": "sign-in-title" },
    h("h2", { id: "sign-in-title" }, "Sign in"),
    reason ? h("p", { class: "error", role: "alert" }, reason) : null,
    h("p", {}, "Sign in to see your clients' syncs and run them."),
    button));
}

/** The sign-in could not start (the provider's discovery did not answer); the library's details stay out of sight. */
const SIGN_IN_UNREACHABLE = "The sign-in service cannot be reached. Try again in a moment.";

/** Where a sign-in comes back to: the client on screen and the sync whose dialog is open. */
function returnTo() {
  const dialog = document.getElementById("run-dialog");
  return { clientId, syncId: dialog.open ? dialog.dataset.syncId || null : null };
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
  const back = returnToSync && rows.get(returnToSync);
  returnToSync = null;
  if (back) back.el.querySelector("[data-testid^='play-']").focus();
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

setUnauthenticatedHandler(async () => {
  const again = await auth.signInAgain(returnTo()).catch(() => false);
  if (!again) showSignIn("Your sign-in has ended or is not valid. Sign in again.");
});

signOutButton.addEventListener("click", async () => {
  if (tracker) tracker.stopAll();
  sessionStorage.removeItem(CLIENT_KEY);
  const leaving = await auth.signOut().catch(() => false);
  if (!leaving) showSignIn();
});

async function start() {
  let config;
  try {
    config = await auth.loadConfig();
  } catch (e) {
    replace(main, h("p", { class: "error", role: "alert", "data-testid": "config-problem" }, e.message));
    return;
  }
  setApiBase(config.apiBase);
  let back;
  try {
    back = await auth.completeSignIn();
  } catch (e) {
    showSignIn(e.message);
    return;
  }
  const user = await auth.currentUser();
  const loginHint = new URLSearchParams(location.search).get("login_hint");
  if (loginHint) history.replaceState(null, "", location.pathname);
  if (!user) {
    if (loginHint || await auth.signInEnded()) {
      // A link that names who signs in, or a sign-in that has ended: to the provider at once.
      auth.signIn({ clientId: sessionStorage.getItem(CLIENT_KEY) }, loginHint).catch(() => showSignIn(SIGN_IN_UNREACHABLE));
      return;
    }
    showSignIn();
    return;
  }
  if (back && back.clientId) sessionStorage.setItem(CLIENT_KEY, back.clientId);
  returnToSync = back ? back.syncId : null;
  const person = auth.who();
  signedInAs.textContent = `Signed in as ${person.name}`;
  signedIn.hidden = false;
  loadClients();
}
start();
