// The HTTP API of SPEC §4, same origin as the page. Every call carries the bearer token.

/** The one place that says where the API is: same origin, paths from the root. */
export const API_BASE = "";

const TOKEN_KEY = "syncexec.token";
const REQUEST_TIMEOUT_MS = 15000;

/**
 * The token hand-over: `#token=<jwt>` in the address wins (it is stored, then removed from the
 * address bar so it does not linger in history or get copied along with the URL); otherwise the
 * token already in sessionStorage.
 */
export function takeToken() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** An API failure with the error body's code, message and details (or a network failure). */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || {};
  }
}

/** Called on 401 so the page can ask the operator to sign in again. */
let onUnauthenticated = () => {};
export function setUnauthenticatedHandler(handler) {
  onUnauthenticated = handler;
}

export async function request(method, path, body) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  let response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      headers: {
        Accept: "application/json",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
    });
  } catch (e) {
    throw new ApiError(0, "NETWORK", "Cannot reach the server. Check your connection and try again.");
  } finally {
    clearTimeout(timer);
  }
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    // empty or non-JSON body: handled below
  }
  if (response.ok) return json;
  const error = (json && json.error) || {};
  if (response.status === 401) {
    onUnauthenticated();
    throw new ApiError(401, error.code || "UNAUTHENTICATED", "Your sign-in has ended. Sign in again.", error.details);
  }
  if (response.status === 403) {
    throw new ApiError(403, error.code || "FORBIDDEN",
      error.message || "You do not have access to this.", error.details);
  }
  throw new ApiError(response.status, error.code || "HTTP_" + response.status,
    error.message || `The server could not do this (HTTP ${response.status}). Try again in a moment.`, error.details);
}

const enc = encodeURIComponent;
const syncPath = (clientId, syncId) => `/clients/${enc(clientId)}/syncs/${enc(syncId)}`;
const executionPath = (clientId, syncId, executionId) =>
  `${syncPath(clientId, syncId)}/executions/${enc(executionId)}`;

export const api = {
  clients: () => request("GET", "/clients"),
  syncs: (clientId) => request("GET", `/clients/${enc(clientId)}/syncs`),
  ledger: (clientId, syncId, from, to) =>
    request("GET", `${syncPath(clientId, syncId)}/ledger?from=${enc(from)}&to=${enc(to)}`),
  createExecution: (clientId, syncId, body) => request("POST", `${syncPath(clientId, syncId)}/executions`, body),
  execution: (clientId, syncId, executionId) => request("GET", executionPath(clientId, syncId, executionId)),
  /** The next page of an execution's per-date outcomes, after the execution's outcomesNextToken (or a page's nextToken). */
  outcomes: (clientId, syncId, executionId, nextToken) => request("GET",
    `${executionPath(clientId, syncId, executionId)}/outcomes${nextToken ? `?nextToken=${enc(nextToken)}` : ""}`),
  confirm: (clientId, syncId, executionId, planDigest) =>
    request("POST", `${executionPath(clientId, syncId, executionId)}/confirmation`, { confirm: true, planDigest }),
  decline: (clientId, syncId, executionId) =>
    request("POST", `${executionPath(clientId, syncId, executionId)}/confirmation`, { confirm: false }),
  cancel: (clientId, syncId, executionId) =>
    request("POST", `${executionPath(clientId, syncId, executionId)}/cancel`),
  /** GET …/ledger/{date}: the date's entry, its imports and its failed attempts, newest first. */
  dateHistory: (clientId, syncId, date) => request("GET", `${syncPath(clientId, syncId)}/ledger/${enc(date)}`),
  /** GET …/executions: a page of runs, newest first; status (comma-separated) and trigger filter on the server. */
  runs: (clientId, syncId, { limit, nextToken, status, trigger } = {}) => {
    const query = [];
    if (limit) query.push(`limit=${enc(limit)}`);
    if (status) query.push(`status=${enc(status)}`);
    if (trigger) query.push(`trigger=${enc(trigger)}`);
    if (nextToken) query.push(`nextToken=${enc(nextToken)}`);
    return request("GET", `${syncPath(clientId, syncId)}/executions${query.length ? `?${query.join("&")}` : ""}`);
  },
};

export const TERMINAL = new Set(["SUCCEEDED", "PARTIALLY_FAILED", "FAILED", "CANCELLED", "EXPIRED"]);
