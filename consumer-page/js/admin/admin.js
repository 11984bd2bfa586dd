// The sync admins' views (SPEC §11), shown only when the API says the caller is an admin
// (GET /clients answers `caller.admin`): the client list with New client, a client's syncs with
// New sync, Edit, Pause / Resume and Changes, and the sync form.
import { h, replace } from "../dom.js";
import { adminApi, definitionOf } from "./adminApi.js";
import { openChanges } from "./changes.js";
import { renderSyncForm } from "./syncForm.js";

const ID = /^[A-Za-z0-9_-]{1,64}$/;
let opts = null;

/**
 * Called with the API's `caller` each time the page loads its clients. For an admin it adds the
 * "Manage clients and syncs" button to the header; `opts.main` is where views render, `opts.leave()`
 * stops what the consumer view was doing, `opts.back()` shows the consumer view again.
 */
export function mountAdmin(caller, options) {
  opts = options;
  // The pause note, the disabled play button and the Changes dialog are styled there too: loaded for everyone.
  if (!document.querySelector("link[href='admin.css']")) document.head.append(h("link", { rel: "stylesheet", href: "admin.css" }));
  const existing = document.querySelector("[data-testid='admin-open']");
  if (!caller || !caller.admin) {
    if (existing) existing.remove();
    return;
  }
  if (existing) return;
  const button = h("button", { type: "button", class: "button", "data-testid": "admin-open", onclick: () => showClients() },
    "Manage clients and syncs");
  document.querySelector("header.top").append(button);
}

function status(message) {
  return h("p", { role: "status", class: "good", "data-testid": "admin-status" }, message || "");
}

/** Leaves the consumer view: its polling stops and its client picker hides (Back shows both again). */
function leaveConsumerView() {
  opts.leave();
  const picker = document.getElementById("client-field");
  if (picker) picker.hidden = true;
}

function view(testId, title, ...content) {
  leaveConsumerView();
  const heading = h("h2", { tabindex: "-1", class: "section-title", "data-testid": "admin-title" }, title);
  replace(opts.main, h("section", { class: "admin", "data-testid": testId, "aria-labelledby": "admin-heading" }, heading, ...content));
  heading.id = "admin-heading";
  heading.focus();
}

/** The client list, with New client. */
export async function showClients(message) {
  let clients;
  try {
    clients = (await adminApi.clients()).clients;
  } catch (e) {
    if (e.status !== 401) view("admin-clients", "Clients", h("p", { class: "error", role: "alert" }, e.message));
    return;
  }
  const idInput = h("input", { type: "text", id: "new-client-id", autocomplete: "off", "aria-describedby": "new-client-id-error",
    "data-testid": "new-client-id" });
  const nameInput = h("input", { type: "text", id: "new-client-name", "aria-describedby": "new-client-name-error",
    "data-testid": "new-client-name" });
  const idError = h("p", { class: "error", id: "new-client-id-error", "data-testid": "error-clientId" });
  const nameError = h("p", { class: "error", id: "new-client-name-error", "data-testid": "error-client-name" });
  const form = h("form", { class: "card admin-form", hidden: true, novalidate: true, "data-testid": "client-form",
    "aria-label": "New client" },
  h("div", { class: "field" }, h("label", { for: "new-client-id" }, "Client id (letters, digits, - and _)"), idInput, idError),
  h("div", { class: "field" }, h("label", { for: "new-client-name" }, "Name"), nameInput, nameError),
  h("div", { class: "actions" },
    h("button", { type: "button", class: "button", onclick: () => { form.hidden = true; newButton.focus(); } }, "Cancel"),
    h("button", { type: "submit", class: "button primary", "data-testid": "client-save" }, "Create client")));
  const newButton = h("button", { type: "button", class: "button primary", "data-testid": "admin-new-client",
    onclick: () => { form.hidden = false; idInput.focus(); } }, "New client");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    replace(idError); replace(nameError);
    const id = idInput.value.trim();
    if (!ID.test(id)) {
      idError.textContent = "Client id: 1 to 64 letters, digits, - or _.";
      idInput.focus();
      return;
    }
    try {
      await adminApi.saveClient(id, nameInput.value.trim(), 0);
      await showClient(id, `Client ${id} created.`);
    } catch (e) {
      const target = e.details && e.details.field === "name" ? nameError : idError;
      target.textContent = e.code === "VERSION_CONFLICT" ? `A client ${id} exists already.` : e.message.replace(/^name /, "Name ");
      (target === nameError ? nameInput : idInput).focus();
    }
  });
  const rows = clients.map((c) => h("tr", { "data-testid": `admin-client-${c.clientId}` },
    h("td", {}, c.name), h("td", { class: "mono" }, c.clientId),
    h("td", {}, c.updatedBy ? `version ${c.version}, by ${c.updatedBy}` : `version ${c.version}`),
    h("td", {}, h("button", { type: "button", class: "button", "aria-label": `Open ${c.name}`,
      "data-testid": `admin-open-client-${c.clientId}`, onclick: () => showClient(c.clientId) }, "Open"))));
  view("admin-clients", "Clients", status(message),
    h("div", { class: "actions start" }, newButton, h("button", { type: "button", class: "button", "data-testid": "admin-back",
      onclick: () => opts.back() }, "Back to the consumer page")),
    form,
    clients.length ? h("table", { class: "admin-table" }, h("caption", { class: "visually-hidden" }, "Clients"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Id"),
        h("th", { scope: "col" }, "Last change"), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Actions")))),
      h("tbody", {}, rows)) : h("p", { "data-testid": "admin-no-clients" }, "No client yet. Create the first one with New client."));
}

/** One client: its syncs with Edit, Pause / Resume and Changes, and New sync. */
async function showClient(clientId, message) {
  let client;
  let syncs;
  try {
    client = (await adminApi.clients()).clients.find((c) => c.clientId === clientId);
    syncs = (await adminApi.syncs(clientId)).syncs;
  } catch (e) {
    if (e.status !== 401) view("admin-client", `Client ${clientId}`, h("p", { class: "error", role: "alert" }, e.message));
    return;
  }
  const name = client ? client.name : clientId;
  const items = syncs.map((sync) => syncItem(clientId, sync));
  view("admin-client", `Client ${name}`, status(message), client ? renameForm(client) : null,
    h("div", { class: "actions start" },
      h("button", { type: "button", class: "button primary", "data-testid": "admin-new-sync",
        onclick: () => showForm(clientId, null) }, "New sync"),
      h("button", { type: "button", class: "button", "data-testid": "admin-back-clients", onclick: () => showClients() },
        "All clients")),
    syncs.length ? h("ul", { class: "syncs", "aria-label": `Syncs of ${name}` }, items)
      : h("p", {}, "This client has no syncs yet. Create one with New sync."));
}

/** The client's name, saved on the version shown (a rename by someone else meanwhile is a conflict, shown here). */
function renameForm(client) {
  const input = h("input", { type: "text", id: "client-name", value: client.name, "aria-describedby": "client-name-error",
    "data-testid": "client-name" });
  const error = h("p", { class: "error", id: "client-name-error", "data-testid": "error-client-rename" });
  const form = h("form", { class: "pause-form", novalidate: true, "aria-label": "Client name" },
    h("div", { class: "field" }, h("label", { for: "client-name" }, "Client name"), input),
    h("button", { type: "submit", class: "button", "data-testid": "client-rename" }, "Rename"), error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    replace(error);
    try {
      await adminApi.saveClient(client.clientId, input.value.trim(), client.version);
      await showClient(client.clientId, `Client renamed to ${input.value.trim()}.`);
    } catch (e) {
      const d = e.details || {};
      error.textContent = e.code === "VERSION_CONFLICT"
        ? `${d.changedBy || "Someone"} changed this client meanwhile (version ${d.currentVersion}); reload it with All clients, then rename again.`
        : e.message.replace(/^name /, "Name ");
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
  });
  return form;
}

function syncItem(clientId, sync) {
  const label = sync.name;
  const pauseArea = h("div", { class: "pause-area" });
  const pauseButton = h("button", { type: "button", class: "button", "aria-label": `Pause ${label}`,
    "data-testid": `admin-pause-${sync.syncId}` }, "Pause");
  const resumeButton = h("button", { type: "button", class: "button", "aria-label": `Resume ${label}`,
    "data-testid": `admin-resume-${sync.syncId}` }, "Resume");
  const changes = h("button", { type: "button", class: "button", "aria-label": `Changes of ${label}`,
    "data-testid": `admin-changes-${sync.syncId}`, onclick: () => openChanges(clientId, sync, changes) }, "Changes");
  const save = async (body, done) => {
    try {
      await adminApi.saveSync(clientId, sync.syncId, body);
      await showClient(clientId, done);
    } catch (e) {
      replace(pauseArea, h("p", { class: "error", role: "alert" }, e.code === "VERSION_CONFLICT"
        ? `${e.message} Open Edit to review the sync.` : e.message));
    }
  };
  resumeButton.onclick = () => {
    const body = definitionOf(sync);
    delete body.paused;
    save(body, `${label} resumed.`);
  };
  pauseButton.onclick = () => {
    const reason = h("input", { type: "text", id: `pause-reason-${sync.syncId}`, "data-testid": `admin-pause-reason-${sync.syncId}` });
    const form = h("form", { class: "pause-form", novalidate: true, "aria-label": `Pause ${label}` },
      h("div", { class: "field" }, h("label", { for: reason.id }, "Why (operators see it)"), reason),
      h("div", { class: "actions start" },
        h("button", { type: "submit", class: "button primary", "data-testid": `admin-pause-confirm-${sync.syncId}` }, "Pause sync")));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      save({ ...definitionOf(sync), paused: { reason: reason.value.trim() } }, `${label} paused.`);
    });
    replace(pauseArea, form);
    reason.focus();
  };
  return h("li", { class: "card", "data-testid": `admin-sync-${sync.syncId}` },
    h("div", { class: "sync-head" }, h("h3", { class: "sync-name" }, label),
      h("button", { type: "button", class: "button", "aria-label": `Edit ${label}`, "data-testid": `admin-edit-${sync.syncId}`,
        onclick: () => showForm(clientId, sync) }, "Edit"),
      sync.paused ? resumeButton : pauseButton, changes),
    h("p", { class: "muted" }, `${sync.syncId} · ${sync.timezone} · from ${sync.firstDate} · `
      + `${sync.supportsPeriodExecution ? "period-capable" : "default only"} · ${sync.connector.type} · version ${sync.version}`),
    sync.paused ? h("p", { class: "paused-note", "data-testid": `admin-paused-${sync.syncId}` },
      `Paused by ${sync.paused.by}: ${sync.paused.reason}`) : null,
    pauseArea);
}

function showForm(clientId, sync) {
  leaveConsumerView();
  const container = h("section", { class: "admin", "data-testid": "admin-sync-form" });
  replace(opts.main, container);
  renderSyncForm(container, clientId, sync, {
    done: (saved) => showClient(clientId, `${saved.name} saved (version ${saved.version}).`
      + (saved.change && saved.change.note ? " " + saved.change.note : "")),
    cancel: () => showClient(clientId),
  });
}
