package io.syncexec.workflow;

import io.syncexec.connector.Connector;
import io.syncexec.connector.ConnectorException;
import io.syncexec.connector.ImportContext;
import io.syncexec.connector.SyncConnection;
import io.syncexec.execution.Execution;
import io.syncexec.execution.Execution.DateOutcome;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.execution.Outcome;
import io.syncexec.execution.RunTelemetry;
import io.syncexec.observability.Correlation;
import io.syncexec.execution.Workflow;
import io.syncexec.ledger.Claim;
import io.syncexec.ledger.FailedAttempt;
import io.syncexec.ledger.ImportRecord;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncRepository;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Imports the dates of a batch of queue messages, keeping SPEC §3's invariants with single-item
 * conditional writes: claim the date with a lease (1, 2), import through the connector, write the
 * history and commit, record the outcome once (6). A failure is retried through the queue; the
 * last attempt records FAILED so the execution still ends (5). The worker recording the last
 * outcome resumes the workflow.
 */
public final class ImportService {
    /** One message of the batch: its id and receipt handle, its body, and how many times SQS has delivered it. */
    public record Delivery(String messageId, String receiptHandle, String body, int receiveCount) {
    }

    /** Retries a message later than the queue's visibility timeout would. */
    public interface RetryLater {
        void retry(Delivery delivery, Duration delay);
    }

    private final LedgerRepository ledger;
    private final ExecutionRepository executions;
    private final SyncRepository syncs;
    private final Function<SyncConnection, Connector> connectors;
    private final Workflow workflow;
    private final RetryLater retryLater;
    private final Clock clock;
    private final Duration lease;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final Duration perDate;
    private RunTelemetry telemetry;
    private SourceLimiter limiter;
    private ImportQueue later;

    public ImportService(LedgerRepository ledger, ExecutionRepository executions, SyncRepository syncs,
                         Function<SyncConnection, Connector> connectors, Workflow workflow, RetryLater retryLater, Clock clock,
                         Duration lease, int maxAttempts, Duration retryDelay) {
        this(ledger, executions, syncs, connectors, workflow, retryLater, clock, lease, maxAttempts, retryDelay, DEFAULT_PER_DATE);
    }

    /** The connector's deadline per date when none is configured. */
    public static final Duration DEFAULT_PER_DATE = Duration.ofSeconds(20);

    /**
     * @param perDate the most one date's import may take (its connector's deadline); the worker takes a
     *                date only while {@code perDate} plus {@link #MARGIN} fits in the invocation's time left
     */
    public ImportService(LedgerRepository ledger, ExecutionRepository executions, SyncRepository syncs,
                         Function<SyncConnection, Connector> connectors, Workflow workflow, RetryLater retryLater, Clock clock,
                         Duration lease, int maxAttempts, Duration retryDelay, Duration perDate) {
        this.perDate = perDate;
        this.ledger = ledger;
        this.executions = executions;
        this.syncs = syncs;
        this.connectors = connectors;
        this.workflow = workflow;
        this.retryLater = retryLater;
        this.clock = clock;
        this.lease = lease;
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
        this.telemetry = RunTelemetry.logsOnly("worker", clock);
    }

    /**
     * How much time the invocation has left. The worker takes a date only while one more fits:
     * {@link #perDate} (the connector's deadline) plus a margin for its writes.
     */
    public interface TimeLeft {
        long millis();

        TimeLeft UNLIMITED = () -> Long.MAX_VALUE;
    }

    /** Time kept for the writes of a date and the batch's end (outcomes, counters, the answer) beyond the connector's deadline. */
    public static final Duration MARGIN = Duration.ofSeconds(5);

    /**
     * Keeps each sync's {@code connector.limits} and its source's {@code Retry-After}: dates that
     * must wait are sent again to {@code queue} with a delay, spending none of their attempts.
     */
    public ImportService withSourceLimits(SourceLimiter limiter, ImportQueue queue) {
        this.limiter = limiter;
        this.later = queue;
        return this;
    }

    /** Where each date's outcome, retry and returned message is told (logs and metrics). */
    public ImportService withTelemetry(RunTelemetry telemetry) {
        this.telemetry = telemetry;
        return this;
    }

    /** Imports what the batch asks for; returns the ids of the messages to deliver again. */
    public List<String> importBatch(List<Delivery> deliveries) {
        return importBatch(deliveries, TimeLeft.UNLIMITED);
    }

    /**
     * Imports what the batch asks for while the invocation has time for one more date; the
     * messages it had no time for come back at once. Returns the ids of the messages to deliver again.
     */
    public List<String> importBatch(List<Delivery> deliveries, TimeLeft timeLeft) {
        List<String> retry = new ArrayList<>();
        Map<String, List<Map.Entry<Delivery, ImportMessage>>> byExecution = new LinkedHashMap<>();
        for (Delivery delivery : deliveries) {
            ImportMessage message = ImportMessage.parse(delivery.body());
            if (message == null) {
                // Not ours: back soon, and after maxReceiveCount deliveries SQS moves it to the DLQ.
                if (delivery.receiveCount() >= maxAttempts) {
                    telemetry.log().error("message.dead-letter", "messageId", delivery.messageId(), "receiveCount", delivery.receiveCount(),
                            "why", "not an import message of this system");
                } else {
                    telemetry.log().warn("message.unreadable", "messageId", delivery.messageId(), "receiveCount", delivery.receiveCount());
                }
                retryLater.retry(delivery, retryDelay);
                retry.add(delivery.messageId());
                continue;
            }
            byExecution.computeIfAbsent(message.clientId() + "#" + message.syncId() + "#" + message.executionId(),
                    k -> new ArrayList<>()).add(Map.entry(delivery, message));
        }
        // Each execution's messages under the correlation id of its run.
        byExecution.values().forEach(group -> Correlation.run(group.get(0).getValue().correlationId(),
                () -> retry.addAll(importForExecution(group, timeLeft))));
        return retry;
    }

    private List<String> importForExecution(List<Map.Entry<Delivery, ImportMessage>> group, TimeLeft timeLeft) {
        ImportMessage first = group.get(0).getValue();
        if (limiter != null) {
            return importWithinLimits(group, timeLeft);
        }
        Execution execution = executions.get(first.clientId(), first.syncId(), first.executionId()).orElse(null);
        Sync sync = execution == null ? null : syncs.get(first.clientId(), first.syncId()).orElse(null);
        return importForExecution(group, timeLeft, execution, sync, null);
    }

    /**
     * With the sync's limits: one read of the sync (its source's pause), then a slot of its run taken
     * by the write that reads the execution. Dates that must wait (paused source, all slots taken)
     * are deferred; a run with nothing to import (cancelled, ended) goes on without a slot.
     */
    private List<String> importWithinLimits(List<Map.Entry<Delivery, ImportMessage>> group, TimeLeft timeLeft) {
        ImportMessage first = group.get(0).getValue();
        SourceLimiter.Entry entry = limiter.enter(first.clientId(), first.syncId(), first.executionId());
        if (entry instanceof SourceLimiter.Granted granted) {
            SourceLimiter.Turn turn = granted.turn();
            try {
                return importForExecution(group, timeLeft, turn.execution(), turn.sync(), turn);
            } catch (RuntimeException | Error e) {
                try {
                    executions.leaveSlot(first.clientId(), first.syncId(), first.executionId(), turn.holder());
                } catch (RuntimeException ignored) {
                    // Its lease gives it back.
                }
                throw e;
            }
        }
        SourceLimiter.Refused refused = (SourceLimiter.Refused) entry;
        Execution execution = refused.execution();
        if (!refused.missing() && mayImport(execution) && execution.cancellation() == null) {
            Deferrals deferrals = new Deferrals(later, retryLater, telemetry, execution);
            group.forEach(e -> deferrals.add(e.getKey(), e.getValue(), limiter.delay(refused, e.getValue().deferrals())));
            return deferrals.send(refused.paused() ? "the source paused this sync" : "all slots of the sync's run are taken",
                    refused.paused() ? refused.until() : null);
        }
        return importForExecution(group, timeLeft, execution, refused.sync(), null);
    }

    private List<String> importForExecution(List<Map.Entry<Delivery, ImportMessage>> group, TimeLeft timeLeft,
                                            Execution execution, Sync sync, SourceLimiter.Turn turn) {
        ImportMessage first = group.get(0).getValue();
        if (execution == null || sync == null) {
            telemetry.log().warn("batch.item-failure", "executionId", first.executionId(), "clientId", first.clientId(),
                    "syncId", first.syncId(), "messages", group.size(), "why", "execution or sync not found (yet)");
            return group.stream().map(e -> e.getKey().messageId()).toList();
        }
        if (!mayImport(execution)) {
            if (turn != null) {
                executions.leaveSlot(execution.clientId(), execution.syncId(), execution.executionId(), turn.holder());
            }
            return List.of(); // acknowledged, nothing imported: see mayImport
        }
        long epoch = execution.countEpoch();
        Set<LocalDate> planned = new HashSet<>(execution.plan().dates());
        Connector connector = connectors.apply(sync.connection());
        List<String> retry = new ArrayList<>();
        List<DateOutcome> exclusive = new ArrayList<>();
        List<DateOutcome> shared = new ArrayList<>();
        Deferrals deferrals = new Deferrals(later, retryLater, telemetry, execution);
        List<Successors.Finished> finished = new ArrayList<>();
        Instant pausedUntil = null;
        for (int i = 0; i < group.size(); i++) {
            Map.Entry<Delivery, ImportMessage> entry = group.get(i);
            LocalDate date = entry.getValue().date();
            if (!planned.remove(date)) {
                continue; // not planned, or twice in this batch
            }
            if (execution.cancellation() != null) {
                shared.add(new DateOutcome(date, Outcome.CANCELLED, null, null));
                finished.add(new Successors.Finished(entry.getKey(), entry.getValue(), Outcome.CANCELLED, false));
                continue;
            }
            long room = timeLeft.millis() - perDate.plus(MARGIN).toMillis();
            if (turn != null && room >= 0) {
                Instant wait = nextTurn(turn, group.size() - i, Duration.ofMillis(Math.min(room, Long.MAX_VALUE / 2)));
                if (wait != null) {
                    // The source paused the sync meanwhile, or its pace has no call free soon: this date and the rest wait.
                    deferrals.add(entry.getKey(), entry.getValue(), limiter.untilThen(wait));
                    deferRest(group, i, planned, deferrals, wait);
                    pausedUntil = wait;
                    break;
                }
            }
            if (room < 0 && later != null) {
                // No time for one more date: sent again now, with no attempt spent.
                deferrals.add(entry.getKey(), entry.getValue(), Duration.ZERO);
                continue;
            }
            if (room < 0) {
                // No time for one more date: back to the queue now, not after the visibility timeout.
                telemetry.log().warn("batch.item-failure", "executionId", execution.executionId(), "clientId", sync.clientId(),
                        "syncId", sync.syncId(), "date", date.toString(), "why", "no time left in this invocation");
                retryLater.retry(entry.getKey(), Duration.ZERO);
                retry.add(entry.getKey().messageId());
                continue;
            }
            Result result = importDate(execution, sync, connector, entry.getKey(), entry.getValue(), date);
            if (result == null) {
                retry.add(entry.getKey().messageId());
            } else if (result.throttle() != null) {
                // The source asked to slow down: every call of the sync waits, this date and the rest of the batch included.
                Instant until = result.pausedUntil();
                telemetry.sourceThrottled(sync.clientId(), sync.syncId(), execution.executionId(), date.toString(), until,
                        result.throttle().retryAfter(), result.throttle().getMessage());
                deferrals.add(entry.getKey(), entry.getValue(), limiter.untilThen(until));
                deferRest(group, i, planned, deferrals, until);
                pausedUntil = until;
                break;
            } else {
                (result.exclusive() ? exclusive : shared).add(result.outcome());
                finished.add(new Successors.Finished(entry.getKey(), entry.getValue(), result.outcome().outcome(), result.exclusive()));
            }
        }
        retry.addAll(deferrals.send(pausedUntil != null ? "the source paused this sync" : "no time left in this invocation", pausedUntil));
        // The counter add gives the slot back (or, with nothing to count, a write of its own).
        ExecutionRepository.Recorded recorded = executions.recordOutcomes(execution, epoch, exclusive, shared,
                turn == null ? null : turn.holder());
        // Windowed dispatch: each outcome brings the next date of its chain onto the queue.
        retry.addAll(Successors.send(later, execution, finished));
        for (DateOutcome outcome : exclusive) {
            // Only the worker that claimed the date reaches these: told once per date.
            telemetry.dateOutcome(execution.clientId(), execution.syncId(), execution.executionId(), outcome.date().toString(),
                    outcome.outcome(), outcome.records(), execution.reimport(), outcome.error());
        }
        for (DateOutcome outcome : shared) {
            if (outcome.outcome() == Outcome.IMPORTED) {
                // Found done by this execution on a repeated delivery: its importer told it already.
                telemetry.log().info("date.imported", "executionId", execution.executionId(), "clientId", execution.clientId(),
                        "syncId", execution.syncId(), "date", outcome.date().toString(), "repeated", true);
            } else {
                // Skipped or cancelled (a repeated delivery may tell one again: the metric is at least once).
                telemetry.dateOutcome(execution.clientId(), execution.syncId(), execution.executionId(), outcome.date().toString(),
                        outcome.outcome(), outcome.records(), execution.reimport(), outcome.error());
            }
        }
        Execution.Progress progress = recorded.progress();
        boolean counted = false;
        if (recorded.foundRecorded() && progress.pending() > 0) {
            // A repeated delivery: its first worker may have died between the outcome and the counters.
            progress = executions.recount(execution);
            counted = true;
        }
        if (progress.pending() == 0 && (recorded.written() > 0 || recorded.foundRecorded())) {
            // Every date has its outcome. Sent by the worker that recorded the last one, and again by any
            // repeated delivery that finds them all done: the first sender may have died before sending.
            // Checked against the outcome items first, so a count that went wrong cannot end the imports early.
            if (counted || executions.recount(execution).pending() == 0) {
                executions.completionToken(execution.clientId(), execution.syncId(), execution.executionId()).ifPresent(token -> {
                    workflow.importsDone(token);
                    executions.removeCompletionToken(execution.clientId(), execution.syncId(), execution.executionId(), token);
                });
            }
        }
        return retry;
    }

    /**
     * A message is acted on only for an execution that is {@code RUNNING} and, when its plan
     * required a confirmation (it re-imports dates), whose record holds that confirmation: who,
     * when, and the digest of exactly this plan (invariant 3). The state machine's order is not
     * trusted for it: a message for a finished run, a run still awaiting its confirmation, or a
     * run whose confirmation is not on record imports nothing.
     */
    static boolean mayImport(Execution execution) {
        if (execution.status() != ExecutionStatus.RUNNING) {
            return false;
        }
        return !execution.plan().requiresConfirmation()
                || execution.confirmation() != null && execution.confirmation().confirms(execution.plan().planDigest());
    }

    /** The rest of the batch after {@code i} waits with its date until {@code until}. */
    private void deferRest(List<Map.Entry<Delivery, ImportMessage>> group, int i, Set<LocalDate> planned, Deferrals deferrals, Instant until) {
        for (Map.Entry<Delivery, ImportMessage> rest : group.subList(i + 1, group.size())) {
            if (planned.remove(rest.getValue().date())) {
                deferrals.add(rest.getKey(), rest.getValue(), limiter.untilThen(until));
            }
        }
    }

    private static Instant nextTurn(SourceLimiter.Turn turn, int remaining, Duration room) {
        try {
            return turn.next(remaining, room);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Instant.EPOCH;
        }
    }

    /**
     * A date's outcome, and whether only the worker that claimed the date could have reached it; or,
     * with no outcome, the source's request to slow down.
     */
    private record Result(DateOutcome outcome, boolean exclusive, ConnectorException throttle, Instant pausedUntil) {
        Result(DateOutcome outcome, boolean exclusive) {
            this(outcome, exclusive, null, null);
        }
    }

    /** The date's outcome, or null to try again later. The message carries the attempts its earlier messages spent. */
    private Result importDate(Execution execution, Sync sync, Connector connector, Delivery delivery, ImportMessage message,
                              LocalDate date) {
        int failures = message.failures();
        int deferrals = message.deferrals();
        Instant startedAt = clock.instant();
        Claim claim = ledger.claim(sync.clientId(), sync.syncId(), date, execution.executionId(), execution.reimport(),
                execution.plan().importCountAtPlan(date), startedAt, startedAt.plus(lease));
        switch (claim.result()) {
            case ALREADY_IMPORTED, CHANGED_SINCE_PLAN:
                return new Result(new DateOutcome(date, Outcome.SKIPPED, null, null), false);
            case DONE_BY_THIS_EXECUTION:
                return new Result(new DateOutcome(date, Outcome.IMPORTED, claim.entry().records(), null), false);
            case LEASED:
                retryLater.retry(delivery, retryDelay);
                return null;
            case CLAIMED:
                break;
        }
        int generation = claim.entry().importCount() + 1;
        String error;
        String errorCode;
        boolean retryable;
        try {
            long records = connector.importDate(new ImportContext(sync.connection(), date, generation, execution.executionId(),
                    clock.instant().plus(perDate)));
            ImportRecord record = new ImportRecord(generation, execution.executionId(), execution.trigger().name(),
                    execution.requestedBy(), confirmedBy(execution), confirmedAt(execution),
                    records, startedAt, clock.instant());
            if (ledger.commit(sync.clientId(), sync.syncId(), date, record)) {
                return new Result(new DateOutcome(date, Outcome.IMPORTED, records, null), true);
            }
            return null; // the lease ran out and the claim went elsewhere: look again on the next delivery
        } catch (ConnectorException e) {
            if (e.throttled() && limiter != null) {
                // Not a failure: every call of the sync pauses (first, so other workers learn it soonest), and the
                // date stays claimed (IMPORTING) until a second before the pause ends, when its next delivery comes.
                Instant until = limiter.throttled(sync, e, deferrals);
                Instant leaseEnd = until.minusSeconds(1).isAfter(startedAt) ? until.minusSeconds(1) : startedAt;
                ledger.waitForSource(sync.clientId(), sync.syncId(), date, execution.executionId(), leaseEnd,
                        Execution.cap("waiting for the source: " + e.getMessage()));
                return new Result(null, false, e, until);
            }
            error = Execution.cap(e.getMessage());
            errorCode = e.retryable() ? "CONNECTOR_RETRYABLE" : "CONNECTOR_PERMANENT";
            retryable = e.retryable();
        } catch (RuntimeException e) {
            error = "Unexpected error: " + e.getClass().getSimpleName();
            errorCode = "UNEXPECTED";
            retryable = true;
        }
        int attemptNumber = failures + delivery.receiveCount();
        boolean again = retryable && attemptNumber < maxAttempts;
        // The run's last attempt at the date goes into the date's history (its failed attempts).
        FailedAttempt attempt = again ? null : new FailedAttempt(0, execution.executionId(), execution.trigger().name(),
                execution.requestedBy(), confirmedBy(execution), claim.entry().importCount(), error, startedAt, clock.instant());
        ledger.fail(sync.clientId(), sync.syncId(), date, execution.executionId(), claim.entry().importCount(), error, attempt);
        if (again) {
            Duration delay = retryDelay.multipliedBy(1L << Math.min(10, attemptNumber - 1));
            telemetry.log().warn("date.retry", "executionId", execution.executionId(), "clientId", sync.clientId(),
                    "syncId", sync.syncId(), "date", date.toString(), "attempt", attemptNumber, "of", maxAttempts,
                    "inSeconds", delay.toSeconds(), "errorCode", errorCode, "error", error);
            retryLater.retry(delivery, delay);
            return null;
        }
        return new Result(DateOutcome.failed(date, errorCode, error), true);
    }

    /** Who confirmed the run's plan: only a confirmed decision counts (a run without one needed none). */
    private static String confirmedBy(Execution execution) {
        return execution.confirmation() == null ? null : execution.confirmation().by();
    }

    private static Instant confirmedAt(Execution execution) {
        return execution.confirmation() == null ? null : execution.confirmation().at();
    }
}
