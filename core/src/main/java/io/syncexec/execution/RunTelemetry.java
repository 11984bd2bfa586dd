package io.syncexec.execution;

import io.syncexec.observability.Log;
import io.syncexec.observability.Metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the life of a run tells operators: one log line per step (README "Operating it"), the
 * {@code SyncExecutions} metrics, and the status events on EventBridge. One instance per function,
 * built by {@code Wiring}; the services call it where the step happens.
 */
public final class RunTelemetry {
    private final Log log;
    private final Metrics metrics;
    private final StatusEvents events;
    private final Clock clock;

    public RunTelemetry(String source, Metrics metrics, StatusEvents events, Clock clock) {
        this.log = Log.of(source, Log.STANDARD_OUTPUT, clock); // timestamps on the function's clock
        this.metrics = metrics;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Logs and metrics to standard output, no status events: for services built without {@code Wiring}
     * (tests); {@code Wiring} gives every function's services its telemetry, under the stack's name.
     */
    public static RunTelemetry logsOnly(String source, Clock clock) {
        return new RunTelemetry(source, new Metrics(Metrics.UNNAMED_STACK, clock), StatusEvents.NONE, clock);
    }

    public Log log() {
        return log;
    }

    private Log about(Execution e) {
        return log.with("executionId", e.executionId(), "clientId", e.clientId(), "syncId", e.syncId());
    }

    private static Map<String, Object> ids(Execution e) {
        Map<String, Object> ids = new LinkedHashMap<>();
        ids.put("executionId", e.executionId());
        ids.put("clientId", e.clientId());
        ids.put("syncId", e.syncId());
        return ids;
    }

    /** A run was recorded and its workflow started. */
    public void started(Execution e) {
        about(e).info("execution.started", "mode", e.mode(), "reimport", e.reimport(), "trigger", e.trigger(),
                "status", e.status(), "planned", e.progress() == null ? null : e.progress().planned(),
                "requiresConfirmation", e.plan() == null ? null : e.plan().requiresConfirmation());
    }

    /** The workflow reached its confirmation wait. */
    public void confirmationRequested(Execution e) {
        about(e).info("confirmation.requested", "deadline", e.plan() == null ? null : e.plan().confirmationDeadline());
        metrics.count(Map.of("ConfirmationsRequested", 1), ids(e));
        events.publish(e);
    }

    /** The operator confirmed or declined (cancelling a run that waits declines it). */
    public void decided(Execution e) {
        Execution.Confirmation c = e.confirmation();
        if (c == null) {
            return;
        }
        about(e).info("confirmation.decided", "decision", c.decision(), "by", c.by());
        metrics.count(Map.of(c.decision() == Execution.Decision.CONFIRMED ? "ConfirmationsConfirmed" : "ConfirmationsDeclined", 1), ids(e));
    }

    /** A start found its sync held by a run whose workflow had ended without finalizing it, and ended that run. */
    public void lockTakenOver(Execution dead, Execution ended) {
        about(dead).warn("lock.taken-over", "status", ended.status());
        this.ended(ended);
    }

    /** A run reached its terminal status. */
    public void ended(Execution e) {
        Execution.Progress p = e.progress();
        Log line = about(e);
        Object[] fields = {"status", e.status(), "mode", e.mode(), "trigger", e.trigger(),
                "planned", p == null ? null : p.planned(), "imported", p == null ? null : p.imported(),
                "failed", p == null ? null : p.failed(), "skipped", p == null ? null : p.skipped(),
                "cancelled", p == null ? null : p.cancelled(), "error", e.error()};
        if (e.status() == ExecutionStatus.FAILED) {
            line.warn("execution.ended", fields);
        } else {
            line.info("execution.ended", fields);
        }
        metrics.put("RunsEnded", 1, "Count", Map.of("Status", e.status().name()), ids(e));
        if (e.createdAt() != null) {
            long seconds = Duration.between(e.createdAt(), e.finishedAt() != null ? e.finishedAt() : clock.instant()).toSeconds();
            metrics.put("RunDuration", Math.max(0, seconds), "Seconds", Map.of(), ids(e));
        }
        if (e.status() == ExecutionStatus.EXPIRED) {
            about(e).info("confirmation.expired");
            metrics.count(Map.of("ConfirmationsExpired", 1), ids(e));
        }
        events.publish(e);
    }

    /** The sweeper ended a run that could not end by itself: a person should know why. */
    public void repaired(Execution ended, String why) {
        about(ended).error("sweeper.repaired", "why", why, "status", ended.status());
        metrics.count(Map.of("SweeperRepairs", 1), ids(ended));
        this.ended(ended);
    }

    /** One date's outcome, as the worker recorded it. */
    public void dateOutcome(String clientId, String syncId, String executionId, String date, Outcome outcome, Long records,
                            boolean reimport, String error) {
        Log line = log.with("executionId", executionId, "clientId", clientId, "syncId", syncId, "date", date);
        line.info("date." + outcome.name().toLowerCase(java.util.Locale.ROOT), "records", records, "reimport", reimport ? true : null,
                "error", error);
        Map<String, Object> ids = new LinkedHashMap<>();
        ids.put("executionId", executionId);
        ids.put("clientId", clientId);
        ids.put("syncId", syncId);
        ids.put("date", date);
        Map<String, Long> counts = new LinkedHashMap<>();
        switch (outcome) {
            case IMPORTED -> counts.put("DatesImported", 1L);
            case FAILED -> counts.put("DatesFailed", 1L);
            case SKIPPED -> counts.put("DatesSkipped", 1L);
            case CANCELLED -> counts.put("DatesCancelled", 1L);
            case PENDING -> { }
        }
        if (outcome == Outcome.IMPORTED && records != null) {
            counts.put("RecordsImported", records);
            if (reimport) {
                counts.put("DuplicateRecordsConfirmed", records);
            }
        }
        metrics.count(counts, ids);
    }

    /** A schedule tick: how many runs it started and how many syncs it could not start. */
    public void tick(int started, int failed, Map<String, ?> details) {
        log.info("schedule.tick", "started", started, "failed", failed);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("ScheduleTicks", 1L);
        counts.put("ScheduleTickFailures", (long) failed);
        metrics.count(counts, details);
    }

    /** The source of a sync asked to slow down ({@code 429}/{@code 503}): every call of the sync waits until {@code until}. */
    public void sourceThrottled(String clientId, String syncId, String executionId, String date, java.time.Instant until,
                                java.time.Duration retryAfter, String error) {
        log.with("executionId", executionId, "clientId", clientId, "syncId", syncId, "date", date)
                .warn("source.throttled", "pausedUntil", until.toString(),
                        "retryAfterSeconds", retryAfter == null ? null : retryAfter.toSeconds(), "error", error);
        metrics.count(Map.of("SourceThrottled", 1), Map.of("executionId", executionId, "clientId", clientId, "syncId", syncId));
    }

    /** Dates sent again later, waiting for their source (its pause, its pace or a free slot): not failures. */
    public void datesDeferred(String clientId, String syncId, String executionId, java.util.List<String> dates, String why,
                              java.time.Instant pausedUntil, long longestDelaySeconds) {
        log.with("executionId", executionId, "clientId", clientId, "syncId", syncId)
                .info("dates.deferred", "dates", dates.size(), "first", dates.get(0), "why", why,
                        "pausedUntil", pausedUntil == null ? null : pausedUntil.toString(), "longestDelaySeconds", longestDelaySeconds);
        metrics.count(Map.of("DatesDeferred", dates.size()), Map.of("executionId", executionId, "clientId", clientId, "syncId", syncId));
    }
}
