package io.syncexec.scheduling;

import io.syncexec.observability.Correlation;
import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import io.syncexec.execution.ExecutionService;
import io.syncexec.observability.Log;
import io.syncexec.execution.ExecutionService.ScheduledStart;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncRepository;

import java.util.function.Predicate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The start queue's consumer: starts the scheduled default run of each due sync the tick
 * enqueued. Idempotent per (sync, due instant): each is claimed by one tick, and the run's id is
 * derived from the sync and that tick's time, so a message delivered twice starts nothing twice. A plan with nothing missing writes nothing. A sync busy
 * with another run comes back due {@link #BUSY_RETRY} later. Each message stands alone: one that
 * fails (a service failing) is reported for redelivery, the others of its batch go on.
 */
public final class ScheduledStarts {
    /** How soon a sync found busy with another run is due again. */
    public static final Duration BUSY_RETRY = Duration.ofMinutes(30);

    /** What a batch did; {@code retry} holds the ids of the messages to deliver again. */
    public record Result(int started, int alreadyStarted, int nothingToDo, int skippedActive, List<String> retry) {
        public Result {
            retry = List.copyOf(retry);
        }
    }

    /** A received message: its id (for a partial batch failure) and the start it carries. */
    public record Delivery(String messageId, DueStart start) {
    }

    private final SyncRepository syncs;
    private final ExecutionService executions;
    private final Clock clock;
    private final Log log;
    private final Predicate<RuntimeException> isTransient;

    /** @param isTransient which failures are worth retrying (throttling, a 5xx, no answer) */
    public ScheduledStarts(SyncRepository syncs, ExecutionService executions, Clock clock, Predicate<RuntimeException> isTransient) {
        this.isTransient = isTransient;
        this.syncs = syncs;
        this.executions = executions;
        this.clock = clock;
        this.log = Log.of("schedule", Log.STANDARD_OUTPUT, clock);
    }

    public Result start(List<Delivery> deliveries) {
        int started = 0;
        int already = 0;
        int nothing = 0;
        int busy = 0;
        List<String> retry = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            DueStart due = delivery.start();
            try {
                Optional<Sync> sync = syncs.get(due.clientId(), due.syncId());
                if (sync.isEmpty() || !sync.get().scheduleEnabled() || sync.get().paused() != null) {
                    nothing++; // deleted, disabled or paused since the tick
                    continue;
                }
                // The tick's correlation id ("schedule-<tick>"), so the run's lines join the tick's.
                Sync definition = sync.get();
                ScheduledStart outcome = Correlation.supply("schedule-" + due.tick(), () -> executions.createScheduled(definition, due.tick()));
                switch (outcome) {
                    case STARTED -> started++;
                    case ALREADY_STARTED -> already++;
                    case NOTHING_TO_DO -> nothing++;
                }
            } catch (Refusal e) {
                if (e.reason() == Reason.SYNC_PAUSED) {
                    nothing++; // paused between the read and the lock: resuming puts it back in the due index
                } else if (e.reason() == Reason.EXECUTION_IN_PROGRESS) {
                    busy++;
                    Instant soon = clock.instant().plus(BUSY_RETRY);
                    try {
                        if (soon.isBefore(due.next())) {
                            syncs.moveDue(due.clientId(), due.syncId(), due.next(), soon);
                        }
                    } catch (RuntimeException notMoved) {
                        retry.add(delivery.messageId()); // try again after the visibility timeout instead
                    }
                } else {
                    ScheduleService.failure(log, isTransient, due.dueAt(), due.clientId(), due.syncId(), e);
                    retry.add(delivery.messageId());
                }
            } catch (RuntimeException e) {
                ScheduleService.failure(log, isTransient, due.dueAt(), due.clientId(), due.syncId(), e);
                retry.add(delivery.messageId());
            }
        }
        return new Result(started, already, nothing, busy, retry);
    }
}
