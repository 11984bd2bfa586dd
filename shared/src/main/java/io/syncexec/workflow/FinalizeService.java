package io.syncexec.workflow;

import io.syncexec.execution.Execution;
import io.syncexec.execution.Execution.DateOutcome;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.execution.Outcome;
import io.syncexec.ledger.LedgerEntry;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.plan.SyncCalendar;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncRepository;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.Map;

/**
 * The last step of every workflow: the execution's terminal status (SPEC §4), the sync's
 * watermark and last imported date moved forward, and the sync's lock released. Idempotent: a
 * retried step finds the execution ended and only re-does the sync's bookkeeping.
 */
public final class FinalizeService {
    private final ExecutionRepository executions;
    private final SyncRepository syncs;
    private final LedgerRepository ledger;
    private final SyncCalendar calendar;

    public FinalizeService(ExecutionRepository executions, SyncRepository syncs, LedgerRepository ledger, SyncCalendar calendar) {
        this.executions = executions;
        this.syncs = syncs;
        this.ledger = ledger;
        this.calendar = calendar;
    }

    public ExecutionStatus finish(WorkflowStep step) {
        Execution execution = executions.get(step.clientId(), step.syncId(), step.executionId()).orElseThrow(
                () -> new IllegalStateException("execution " + step.executionId() + " does not exist"));
        String reason = step.ending() == null ? "FAILED" : step.ending().reason();
        String error = step.ending() == null ? "The workflow ended without saying how." : step.ending().error();
        Execution ended = switch (reason) {
            case "COMPLETED" -> end(execution, completedStatus(execution.progress(), execution.cancellation() != null),
                    Outcome.CANCELLED, null);
            case "EXPIRED" -> end(execution, ExecutionStatus.EXPIRED, Outcome.CANCELLED,
                    "Nobody confirmed the re-import before its deadline.");
            case "DECLINED" -> end(execution, ExecutionStatus.CANCELLED, Outcome.CANCELLED, null);
            default -> end(execution, execution.progress().imported() > 0 ? ExecutionStatus.PARTIALLY_FAILED : ExecutionStatus.FAILED,
                    Outcome.FAILED, error == null ? "The workflow failed." : "The workflow failed: " + error);
        };
        advanceSync(ended);
        syncs.unlock(ended.clientId(), ended.syncId(), ended.executionId());
        return ended.status();
    }

    private Execution end(Execution execution, ExecutionStatus status, Outcome unrecorded, String error) {
        return executions.finish(execution, status, unrecorded, error, calendar.now())
                .orElseGet(() -> executions.get(execution.clientId(), execution.syncId(), execution.executionId()).orElseThrow());
    }

    static ExecutionStatus completedStatus(Execution.Progress progress, boolean cancelRequested) {
        if (cancelRequested && progress.cancelled() > 0) {
            return ExecutionStatus.CANCELLED;
        }
        if (progress.failed() == 0) {
            return ExecutionStatus.SUCCEEDED;
        }
        return progress.imported() + progress.skipped() > 0 ? ExecutionStatus.PARTIALLY_FAILED : ExecutionStatus.FAILED;
    }

    /**
     * Moves the watermark over the dates imported since it (one ledger query from the watermark
     * to yesterday, stopping at the first gap) and the last imported date up to this run's newest.
     */
    private void advanceSync(Execution execution) {
        Sync sync = syncs.get(execution.clientId(), execution.syncId()).orElse(null);
        if (sync == null) {
            return;
        }
        LocalDate from = sync.watermark() == null ? sync.firstDate() : sync.watermark().plusDays(1);
        LocalDate to = calendar.lastCompleteDate(sync.timezone());
        LocalDate watermark = null;
        if (!from.isAfter(to)) {
            Map<LocalDate, LedgerEntry> entries = ledger.read(sync.clientId(), sync.syncId(), from, to);
            for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
                LedgerEntry entry = entries.get(date);
                if (entry == null || !entry.imported()) {
                    break;
                }
                watermark = date;
            }
        }
        LocalDate lastImported = execution.outcomes() == null ? null : execution.outcomes().stream()
                .filter(o -> o.outcome() == Outcome.IMPORTED).map(DateOutcome::date)
                .max(Comparator.naturalOrder()).orElse(null);
        syncs.advance(sync.clientId(), sync.syncId(), watermark, lastImported);
    }
}
