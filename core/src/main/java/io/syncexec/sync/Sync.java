package io.syncexec.sync;

import io.syncexec.connector.ConnectorLimits;
import io.syncexec.connector.SyncConnection;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

/**
 * A sync of one client: its definition (what an admin PUTs) and the state the system keeps on
 * it: the active execution (a lock that expires), the contiguous-import watermark (every date
 * from {@code firstDate} to {@code watermark} has been imported at least once) and the last
 * imported date. With its schedule enabled, {@code nextDueAt} is when its next scheduled default run
 * is due ({@link SyncSchedule}: a date complete in its zone + {@code settleMinutes}), and
 * {@code lastCheckedAt} when the heartbeat last found it due. {@code limits} bound how hard its
 * imports use the source (its definition's {@code connector.limits}).
 */
public record Sync(
        String clientId,
        String syncId,
        String name,
        ZoneId timezone,
        LocalDate firstDate,
        boolean supportsPeriodExecution,
        int maxRangeDays,
        boolean scheduleEnabled,
        String connectorType,
        Map<String, Object> connectorConfig,
        String activeExecutionId,
        Instant activeUntil,
        LocalDate watermark,
        LocalDate lastImportedDate,
        int settleMinutes,
        Instant nextDueAt,
        Instant lastCheckedAt,
        SyncPause paused,
        Revision revision,
        ConnectorLimits limits) {

    public static final int DEFAULT_MAX_RANGE_DAYS = 366;
    public static final int MAX_RANGE_DAYS_LIMIT = 3660;
    /** The most dates one default run plans (the longest range the spec allows); the next run continues. */
    public static final int MAX_DEFAULT_RUN_DATES = MAX_RANGE_DAYS_LIMIT;
    /** The earliest {@code firstDate} a definition may have. */
    public static final LocalDate EARLIEST_FIRST_DATE = LocalDate.of(2000, 1, 1);
    /** How many days after today (UTC) a {@code firstDate} may be: a sync may be set up a month before it starts. */
    public static final int FIRST_DATE_DAYS_AHEAD = 31;

    public Sync {
        connectorConfig = connectorConfig == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(connectorConfig));
        revision = revision == null ? Revision.NONE : revision;
        limits = limits == null ? ConnectorLimits.DEFAULT : limits;
    }

    /** A sync with the default {@link ConnectorLimits}. */
    public Sync(String clientId, String syncId, String name, ZoneId timezone, LocalDate firstDate, boolean supportsPeriodExecution,
                int maxRangeDays, boolean scheduleEnabled, String connectorType, Map<String, Object> connectorConfig,
                String activeExecutionId, Instant activeUntil, LocalDate watermark, LocalDate lastImportedDate,
                int settleMinutes, Instant nextDueAt, Instant lastCheckedAt, SyncPause paused, Revision revision) {
        this(clientId, syncId, name, timezone, firstDate, supportsPeriodExecution, maxRangeDays, scheduleEnabled, connectorType,
                connectorConfig, activeExecutionId, activeUntil, watermark, lastImportedDate, settleMinutes, nextDueAt, lastCheckedAt,
                paused, revision, ConnectorLimits.DEFAULT);
    }

    /** A sync that is not paused and was never changed through the API. */
    public Sync(String clientId, String syncId, String name, ZoneId timezone, LocalDate firstDate, boolean supportsPeriodExecution,
                int maxRangeDays, boolean scheduleEnabled, String connectorType, Map<String, Object> connectorConfig,
                String activeExecutionId, Instant activeUntil, LocalDate watermark, LocalDate lastImportedDate,
                int settleMinutes, Instant nextDueAt, Instant lastCheckedAt) {
        this(clientId, syncId, name, timezone, firstDate, supportsPeriodExecution, maxRangeDays, scheduleEnabled, connectorType,
                connectorConfig, activeExecutionId, activeUntil, watermark, lastImportedDate, settleMinutes, nextDueAt, lastCheckedAt,
                null, Revision.NONE, ConnectorLimits.DEFAULT);
    }

    /** A definition without a settle delay and without schedule state (a sync as it was before the schedule had them). */
    public Sync(String clientId, String syncId, String name, ZoneId timezone, LocalDate firstDate, boolean supportsPeriodExecution,
                int maxRangeDays, boolean scheduleEnabled, String connectorType, Map<String, Object> connectorConfig,
                String activeExecutionId, Instant activeUntil, LocalDate watermark, LocalDate lastImportedDate) {
        this(clientId, syncId, name, timezone, firstDate, supportsPeriodExecution, maxRangeDays, scheduleEnabled, connectorType,
                connectorConfig, activeExecutionId, activeUntil, watermark, lastImportedDate, 0, null, null);
    }

    /** This definition with another connector config, pause and revision (what an admin's save makes of a submitted one). */
    public Sync administered(Map<String, Object> config, SyncPause pause, Revision newRevision) {
        return new Sync(clientId, syncId, name, timezone, firstDate, supportsPeriodExecution, maxRangeDays, scheduleEnabled, connectorType,
                config, activeExecutionId, activeUntil, watermark, lastImportedDate, settleMinutes, nextDueAt, lastCheckedAt,
                pause, newRevision, limits);
    }

    /** The active execution, if its lock has not expired at {@code now}. */
    public String activeExecutionIdAt(Instant now) {
        return activeExecutionId != null && activeUntil != null && activeUntil.isAfter(now) ? activeExecutionId : null;
    }

    /** This sync as its connector sees it. */
    public SyncConnection connection() {
        return new SyncConnection(clientId, syncId, connectorType, connectorConfig);
    }

    public String key() {
        return clientId + "#" + syncId;
    }

    /**
     * Whether a display name shows as what it says: no control characters (NUL, line breaks,
     * terminal escapes) and no bidirectional overrides or isolates, which would make a name read
     * differently in a page or a log than it is stored.
     */
    public static boolean printable(String name) {
        return name.codePoints().noneMatch(c -> Character.getType(c) == Character.CONTROL
                || c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069 || c == 0x200E || c == 0x200F);
    }
}
