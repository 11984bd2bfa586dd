package io.syncexec.api;

import io.syncexec.connector.ConnectorSecrets;
import io.syncexec.plan.SyncCalendar;
import io.syncexec.sync.Client;
import io.syncexec.sync.Sync;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Clients and syncs as the API shows them. Everyone who may see a sync sees its definition, its
 * version, who changed it last and whether it is paused (and why); only admins see its connector's
 * config, and even they see its secrets as "set", never their values.
 */
final class SyncViews {
    private SyncViews() {
    }

    static Map<String, Object> client(Client client) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("clientId", client.clientId());
        view.put("name", client.name());
        view.put("version", client.revision().version());
        view.put("updatedBy", client.revision().by());
        view.put("updatedAt", client.revision().at());
        return view;
    }

    static Map<String, Object> sync(Sync sync, SyncCalendar calendar, Caller caller) {
        Instant now = calendar.now();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("clientId", sync.clientId());
        view.put("syncId", sync.syncId());
        view.put("name", sync.name());
        view.put("timezone", sync.timezone().getId());
        view.put("firstDate", sync.firstDate());
        view.put("supportsPeriodExecution", sync.supportsPeriodExecution());
        view.put("maxRangeDays", sync.maxRangeDays());
        // When the next scheduled run is due (a date complete in the sync's zone + settleMinutes; it
        // starts at the first heartbeat after) and when the heartbeat last found it due.
        Map<String, Object> schedule = new LinkedHashMap<>();
        schedule.put("enabled", sync.scheduleEnabled());
        schedule.put("settleMinutes", sync.settleMinutes());
        schedule.put("nextDueAt", sync.scheduleEnabled() ? sync.nextDueAt() : null);
        // Due by the server's clock (the page never compares with the browser's).
        schedule.put("dueNow", sync.scheduleEnabled() && sync.nextDueAt() != null && !sync.nextDueAt().isAfter(now));
        schedule.put("lastCheckedAt", sync.lastCheckedAt());
        view.put("schedule", schedule);
        view.put("connector", connector(sync, caller));
        Map<String, Object> paused = null;
        if (sync.paused() != null) {
            paused = new LinkedHashMap<>();
            paused.put("reason", sync.paused().reason());
            paused.put("by", sync.paused().by());
            paused.put("at", sync.paused().at());
        }
        view.put("paused", paused);
        view.put("version", sync.revision().version());
        view.put("updatedBy", sync.revision().by());
        view.put("updatedAt", sync.revision().at());
        view.put("activeExecutionId", sync.activeExecutionIdAt(now));
        view.put("lastImportedDate", sync.lastImportedDate());
        // The sync's own date now: the page opens its calendar on this month, whatever the browser's clock says.
        view.put("today", calendar.today(sync.timezone()));
        view.put("lastCompleteDate", calendar.lastCompleteDate(sync.timezone()));
        return view;
    }

    /** Its type for everyone; for admins also the config without its secrets, and which secrets are set. */
    private static Map<String, Object> connector(Sync sync, Caller caller) {
        Map<String, Object> connector = new LinkedHashMap<>();
        connector.put("type", sync.connectorType());
        // How hard the sync may use its source (connector.limits): everyone sees them, the default included; an unpaced
        // sync has no requestsPerMinute (left out, not null, so the view can be sent back as a PUT body).
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("maxConcurrentDates", sync.limits().maxConcurrentDates());
        if (sync.limits().requestsPerMinute() != null) {
            limits.put("requestsPerMinute", sync.limits().requestsPerMinute());
        }
        connector.put("limits", limits);
        if (caller.admin()) {
            connector.put("config", ConnectorSecrets.readable(sync.connectorConfig()));
            connector.put("secrets", ConnectorSecrets.status(sync.connectorConfig()));
        }
        return connector;
    }
}
