package io.syncexec.execution;

import io.syncexec.execution.ExecutionRepository.ActiveRef;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncRepository;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Ends, as Finalize would ({@link ExecutionFinisher}), every execution that can no longer end by
 * itself, and frees its sync (SPEC invariant 9). Runs after each schedule tick and on demand. It
 * reads the sparse index of executions that have not ended (never the whole table), then for each:
 * <ul>
 * <li>its sync's lock expired (or went to another run) while it was not over: it ends as a failed
 *     workflow ends (dates without an outcome count as failed);</li>
 * <li>waiting for a confirmation past its deadline (plus {@link #GRACE}, the time the workflow's own
 *     timeout and Finalize's retries take): it ends EXPIRED;</li>
 * <li>running, every date has its outcome (counted from the outcome items), and its workflow has
 *     ended or still waits {@link #GRACE} after the last outcome: the signal that resumes the workflow
 *     was lost; it ends by its outcomes, as Finalize ends a completed run;</li>
 * <li>waiting or running, and its workflow ended without finalizing it (Finalize failed for good,
 *     stopped by hand, timed out): it ends as a failed workflow ends;</li>
 * <li>waiting or running, and its workflow never started, {@link ExecutionService#START_GRACE} after its
 *     creation: it ends FAILED as a start that could not start its workflow.</li>
 * </ul>
 * Each execution that has not ended costs a read of it and of its sync, one {@code DescribeExecution},
 * and, when running, one count of its outcome items. It sends nothing to the workflow: a workflow still waiting finds the
 * execution ended when its own wait ends, and its Finalize changes nothing then.
 */
public final class Sweeper {
    /** How long after a deadline the workflow gets to end a run by itself before the sweeper does. */
    public static final Duration GRACE = Duration.ofMinutes(15);

    /** What a sweep did: executions looked at, ended (by reason), and locks released. */
    public record Sweep(int checked, int expired, int completed, int failed, int unlocked) {
        @com.fasterxml.jackson.annotation.JsonProperty("ended")
        public int ended() {
            return expired + completed + failed;
        }
    }

    private final ExecutionRepository executions;
    private final SyncRepository syncs;
    private final ExecutionFinisher finisher;
    private final Workflow workflow;
    private final Clock clock;
    private RunTelemetry telemetry;

    public Sweeper(ExecutionRepository executions, SyncRepository syncs, ExecutionFinisher finisher, Workflow workflow, Clock clock) {
        this.executions = executions;
        this.syncs = syncs;
        this.finisher = finisher;
        this.workflow = workflow;
        this.clock = clock;
        this.telemetry = RunTelemetry.logsOnly("sweeper", clock);
    }

    /** Where each repair is told: an ERROR line, the SweeperRepairs metric and the run's status event. */
    public Sweeper withTelemetry(RunTelemetry telemetry) {
        this.telemetry = telemetry;
        return this;
    }

    public Sweep sweep() {
        int checked = 0;
        int expired = 0;
        int completed = 0;
        int failed = 0;
        int unlocked = 0;
        for (ActiveRef ref : executions.active()) {
            checked++;
            Optional<Execution> found = executions.get(ref.clientId(), ref.syncId(), ref.executionId());
            if (found.isEmpty()) {
                continue;
            }
            Execution execution = found.get();
            if (execution.status().terminal()) {
                syncs.unlock(execution.clientId(), execution.syncId(), execution.executionId());
                unlocked++;
                continue;
            }
            switch (repair(execution, clock.instant())) {
                case EXPIRED -> expired++;
                case COMPLETED -> completed++;
                case FAILED -> failed++;
                case NONE -> { }
            }
        }
        return new Sweep(checked, expired, completed, failed, unlocked);
    }

    private enum Repair { NONE, EXPIRED, COMPLETED, FAILED }

    private Repair repair(Execution execution, Instant now) {
        Sync sync = syncs.get(execution.clientId(), execution.syncId()).orElse(null);
        boolean holdsLock = sync != null && execution.executionId().equals(sync.activeExecutionIdAt(now));
        if (!holdsLock && now.isAfter(execution.createdAt().plus(ExecutionService.START_GRACE))) {
            telemetry.repaired(finisher.fail(execution,
                    "The sync's lock expired before this execution ended; dates without an outcome count as failed."), "lock expired");
            return Repair.FAILED;
        }
        if (execution.status() == ExecutionStatus.AWAITING_CONFIRMATION) {
            Instant deadline = execution.plan().confirmationDeadline();
            if (deadline != null && now.isAfter(deadline.plus(GRACE))) {
                telemetry.repaired(finisher.finish(execution, p -> ExecutionStatus.EXPIRED, Outcome.CANCELLED,
                        "Nobody confirmed the re-import before its deadline."), "confirmation past its deadline");
                return Repair.EXPIRED;
            }
        }
        Workflow.State state;
        try {
            state = workflow.state(execution);
        } catch (RuntimeException e) {
            state = null; // cannot tell
        }
        if (execution.status() == ExecutionStatus.RUNNING && executions.recount(execution).pending() == 0) {
            // Every date has its outcome. A workflow that still waits gets GRACE after the last outcome to
            // finalize by itself (the completion is on its way); after that, its completion was lost.
            Instant last = executions.lastOutcomeAt(execution);
            if (state == Workflow.State.RUNNING && last != null && now.isBefore(last.plus(GRACE))) {
                return Repair.NONE;
            }
            telemetry.repaired(finisher.finish(execution, p -> ExecutionFinisher.byOutcomes(p, execution.cancellation() != null),
                    Outcome.CANCELLED, null), "every date has its outcome but no completion arrived");
            return Repair.COMPLETED;
        }
        if (state == null) {
            return Repair.NONE; // the next sweep asks again
        }
        if (state == Workflow.State.ENDED) {
            telemetry.repaired(finisher.fail(execution, "The workflow stopped before it finished this execution (it failed, "
                    + "timed out or was stopped); dates without an outcome count as failed."), "workflow ended without Finalize");
            return Repair.FAILED;
        }
        if (state == Workflow.State.NOT_STARTED && now.isAfter(execution.createdAt().plus(ExecutionService.START_GRACE))) {
            executions.markFailed(execution, "The workflow could not be started.", now);
            syncs.unlock(execution.clientId(), execution.syncId(), execution.executionId());
            executions.get(execution.clientId(), execution.syncId(), execution.executionId())
                    .ifPresent(ended -> telemetry.repaired(ended, "workflow never started"));
            return Repair.FAILED;
        }
        return Repair.NONE;
    }
}
