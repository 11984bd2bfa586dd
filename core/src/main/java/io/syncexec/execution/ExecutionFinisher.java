package io.syncexec.execution;

import io.syncexec.execution.Execution.Progress;
import io.syncexec.ledger.LedgerEntry;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.plan.SyncCalendar;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncRepository;

import java.time.LocalDate;
import java.util.Map;
import java.util.function.Function;

/**
 * Ends an execution: its terminal status, the sync's watermark and last imported date moved
 * forward, and the sync's lock released. The workflow's Finalize step ends executions through
 * it, and so does a start that finds the sync locked by an execution whose workflow ended without
 * finalizing it. Idempotent, and safe when both run at once: the status is written only while the
 * execution is still running and its counters are as read (the first writer wins, the other reads
 * what it wrote), the watermark only moves forward, and the lock is released only if this
 * execution still holds it.
 */
public final class ExecutionFinisher {
    private final ExecutionRepository executions;
    private final SyncRepository syncs;
    private final LedgerRepository ledger;
    private final SyncCalendar calendar;

    public ExecutionFinisher(ExecutionRepository executions, SyncRepository syncs, LedgerRepository ledger, SyncCalendar calendar) {
        this.executions = executions;
        this.syncs = syncs;
        this.ledger = ledger;
        this.calendar = calendar;
    }

    /**
     * Ends {@code execution} with the status {@code status} gives for its counters, dates without
     * an outcome counting as {@code unrecorded}, then does the sync's bookkeeping.
     *
     * @return the execution as it ended, here or by whoever ended it first
     */
    public Execution finish(Execution execution, Function<Progress, ExecutionStatus> status, Outcome unrecorded, String error) {
        Execution ended = executions.finish(execution, status, unrecorded, error, calendar.now())
                .orElseGet(() -> executions.get(execution.clientId(), execution.syncId(), execution.executionId()).orElseThrow());
        advanceSync(ended);
        syncs.unlock(ended.clientId(), ended.syncId(), ended.executionId());
        return ended;
    }

    /**
     * The ending of a workflow that failed: dates without an outcome count as failed, so the run is
     * PARTIALLY_FAILED if some dates were imported, else FAILED. When every date already had its
     * outcome (the workflow failed after the imports, e.g. in Finalize), the outcomes say how the
     * run went, as for a completed workflow.
     */
    public Execution fail(Execution execution, String error) {
        return finish(execution, p -> p.pending() == 0 ? byOutcomes(p, execution.cancellation() != null)
                : p.imported() > 0 ? ExecutionStatus.PARTIALLY_FAILED : ExecutionStatus.FAILED, Outcome.FAILED, error);
    }

    /** The status of a run whose every date has its outcome. */
    public static ExecutionStatus byOutcomes(Progress progress, boolean cancelRequested) {
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
        LocalDate lastImported = execution.progress().imported() == 0 ? null : executions.lastImportedDate(execution);
        syncs.advance(sync.clientId(), sync.syncId(), sync.firstDate(), watermark, lastImported);
    }
}
