// The sync admins' calls (SPEC §11): versioned saves of clients and syncs, and a sync's changes.
import { request } from "../api.js";

const enc = encodeURIComponent;
const syncPath = (clientId, syncId) => `/clients/${enc(clientId)}/syncs/${enc(syncId)}`;

export const adminApi = {
  clients: () => request("GET", "/clients"),
  /** Creates (version 0) or renames (the version read) a client. */
  saveClient: (clientId, name, version) => request("PUT", `/clients/${enc(clientId)}`, { name, version }),
  syncs: (clientId) => request("GET", `/clients/${enc(clientId)}/syncs`),
  sync: (clientId, syncId) => request("GET", syncPath(clientId, syncId)),
  /** Saves a definition edited from `body.version` (0: create). */
  saveSync: (clientId, syncId, body) => request("PUT", syncPath(clientId, syncId), body),
  changes: (clientId, syncId, nextToken) =>
    request("GET", `${syncPath(clientId, syncId)}/changes${nextToken ? `?nextToken=${enc(nextToken)}` : ""}`),
};

/** A sync's definition as the PUT body writes it, from the GET's view (secrets are never in it: left out, they are kept). */
export function definitionOf(sync) {
  const connector = { type: sync.connector.type, config: { ...(sync.connector.config || {}) } };
  if (sync.connector.limits) connector.limits = { ...sync.connector.limits };
  const body = {
    name: sync.name, timezone: sync.timezone, firstDate: sync.firstDate,
    supportsPeriodExecution: sync.supportsPeriodExecution, maxRangeDays: sync.maxRangeDays,
    schedule: { enabled: !!(sync.schedule && sync.schedule.enabled), settleMinutes: (sync.schedule && sync.schedule.settleMinutes) || 0 },
    connector, version: sync.version,
  };
  if (sync.paused) body.paused = { reason: sync.paused.reason };
  return body;
}
