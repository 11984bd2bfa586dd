package io.syncexec.workflow;

import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionFinisher;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.execution.Outcome;
import io.syncexec.execution.RunTelemetry;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.plan.SyncCalendar;
import io.syncexec.sync.SyncRepository;

/**
 * The last step of every workflow: the execution's terminal status (SPEC §4), the sync's
 * watermark and last imported date moved forward, and the sync's lock released (all three by
 * {@link ExecutionFinisher}). Idempotent: a retried step finds the execution ended and only re-does
 * the sync's bookkeeping.
 */
public final class FinalizeService {
    private final ExecutionRepository executions;
    private final ExecutionFinisher finisher;
    private final RunTelemetry telemetry;

    public FinalizeService(ExecutionRepository executions, SyncRepository syncs, LedgerRepository ledger, SyncCalendar calendar,
                           RunTelemetry telemetry) {
        this.executions = executions;
        this.finisher = new ExecutionFinisher(executions, syncs, ledger, calendar);
        this.telemetry = telemetry;
    }

    public ExecutionStatus finish(WorkflowStep step) {
        Execution execution = executions.get(step.clientId(), step.syncId(), step.executionId()).orElseThrow(
                () -> new IllegalStateException("execution " + step.executionId() + " does not exist"));
        String reason = step.ending() == null ? "FAILED" : step.ending().reason();
        String error = step.ending() == null ? "The workflow ended without saying how." : step.ending().error();
        Execution ended = switch (reason) {
            case "COMPLETED" -> finisher.finish(execution, p -> ExecutionFinisher.byOutcomes(p, execution.cancellation() != null),
                    Outcome.CANCELLED, null);
            case "EXPIRED" -> finisher.finish(execution, p -> ExecutionStatus.EXPIRED, Outcome.CANCELLED,
                    "Nobody confirmed the re-import before its deadline.");
            case "DECLINED" -> finisher.finish(execution, p -> ExecutionStatus.CANCELLED, Outcome.CANCELLED, null);
            default -> finisher.fail(execution, error == null ? "The workflow failed." : "The workflow failed: " + error);
        };
        if (execution.plan().requiresConfirmation()) {
            // A wait that expired (or a workflow that failed during it) leaves its token unanswered: forget it.
            executions.removeConfirmationToken(step.clientId(), step.syncId(), step.executionId());
        }
        if (!execution.status().terminal()) {
            telemetry.ended(ended); // a retried Finalize finds it ended and tells nobody twice
        }
        return ended.status();
    }
}
