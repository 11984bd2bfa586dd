package io.syncexec.workflow;

import io.syncexec.execution.Execution;
import io.syncexec.observability.Log;
import io.syncexec.execution.Execution.DateOutcome;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.Outcome;
import io.syncexec.execution.Workflow;
import io.syncexec.connector.ConnectorLimits;
import io.syncexec.sync.SyncRepository;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends one message per planned date that has no outcome yet, ten per request, and keeps the
 * completion token the last worker will use. Running it again (a retried step) sends the
 * remaining dates again; the workers' claims make a second delivery harmless. It looks for a
 * cancellation every hundred dates and stops dispatching when it finds one.
 *
 * <p>Windowed (docs/fairness.md): with the sync's limits known, only a window of
 * {@link #window} dates is on the queue at once: the first {@code window} dates of the plan, and
 * then each date's outcome sends the date {@code window} places after it (the worker does). A
 * retried step sends the window's frontier again: each pending date whose predecessor in its chain
 * has an outcome (or that has none).
 */
public final class DispatchService {
    static final int CANCELLATION_CHECK_EVERY = 100;

    private final ExecutionRepository executions;
    private final ImportQueue queue;
    private final Workflow workflow;
    private final SyncRepository syncs;
    private final Log log;

    /** Every date sent at once. */
    public DispatchService(ExecutionRepository executions, ImportQueue queue, Workflow workflow, Log log) {
        this(executions, queue, workflow, null, log);
    }

    /** Windowed by each sync's {@code connector.limits}: see {@link #window}. */
    public DispatchService(ExecutionRepository executions, ImportQueue queue, Workflow workflow, SyncRepository syncs, Log log) {
        this.executions = executions;
        this.queue = queue;
        this.workflow = workflow;
        this.syncs = syncs;
        this.log = log;
    }

    /**
     * How many dates of a run are on the queue at once: one full SQS batch per slot of the sync
     * ({@code maxConcurrentDates} × 10), so that each worker holding a slot gets a full batch and a
     * backlog never sits in front of another sync's dates for more than that.
     */
    public static int window(ConnectorLimits limits) {
        return limits.maxConcurrentDates() * ImportQueue.BATCH;
    }

    public void dispatch(WorkflowStep step) {
        Execution execution = executions.get(step.clientId(), step.syncId(), step.executionId()).orElseThrow(
                () -> new IllegalStateException("execution " + step.executionId() + " does not exist"));
        if (execution.status().terminal()) {
            // Ended already (e.g. marked FAILED when the start seemed to fail): nothing to import.
            workflow.importsDone(step.taskToken());
            return;
        }
        executions.storeCompletionToken(step.clientId(), step.syncId(), step.executionId(), step.taskToken());
        long epoch = execution.countEpoch();
        Set<LocalDate> recorded = executions.recordedDates(execution);
        int window = syncs == null ? 0 : syncs.get(step.clientId(), step.syncId()).map(s -> window(s.limits())).orElse(0);
        List<LocalDate> dates = execution.plan().dates();
        // The frontier: pending dates that are first in their chain (index < window) or whose predecessor has an outcome.
        List<LocalDate> pending = new ArrayList<>();
        for (int i = 0; i < dates.size(); i++) {
            if (!recorded.contains(dates.get(i)) && (window == 0 || i < window || recorded.contains(dates.get(i - window)))) {
                pending.add(dates.get(i));
            }
        }
        boolean cancelled = execution.cancellation() != null;
        int sent = 0;
        while (sent < pending.size() && !cancelled) {
            List<LocalDate> batch = pending.subList(sent, Math.min(pending.size(), sent + ImportQueue.BATCH));
            send(step, batch, window);
            sent += batch.size();
            if (sent % CANCELLATION_CHECK_EVERY == 0 && sent < pending.size()) {
                cancelled = executions.get(step.clientId(), step.syncId(), step.executionId())
                        .map(e -> e.cancellation() != null).orElse(true);
            }
        }
        log.info("dates.dispatched", "executionId", step.executionId(), "clientId", step.clientId(), "syncId", step.syncId(),
                "sent", sent, "alreadyRecorded", recorded.size(), "cancelledBeforeSending", pending.size() - sent,
                "window", window);
        // Only this step sends these dates (and, windowed, the rest of their chains), so only it can record them:
        // one batch write per 25 dates.
        List<LocalDate> unsent = new ArrayList<>(pending.subList(sent, pending.size()));
        if (window > 0) {
            Map<LocalDate, Integer> index = new HashMap<>();
            for (int i = 0; i < dates.size(); i++) {
                index.put(dates.get(i), i);
            }
            for (LocalDate first : List.copyOf(unsent)) {
                for (int i = index.get(first) + window; i < dates.size() && !recorded.contains(dates.get(i)); i += window) {
                    unsent.add(dates.get(i));
                }
            }
        }
        Execution.Progress progress = executions.recordOutcomes(execution, epoch,
                unsent.stream().map(date -> new DateOutcome(date, Outcome.CANCELLED, null, null)).toList(), List.of()).progress();
        if (progress.pending() == 0 && executions.recount(execution).pending() == 0) {
            workflow.importsDone(step.taskToken());
        }
    }

    private void send(WorkflowStep step, List<LocalDate> dates, int window) {
        List<ImportMessage> messages = dates.stream()
                .map(date -> new ImportMessage(step.clientId(), step.syncId(), step.executionId(), date).inWindow(window)).toList();
        for (int attempt = 0; !messages.isEmpty(); attempt++) {
            if (attempt == 3) {
                throw new IllegalStateException(messages.size() + " import messages could not be sent");
            }
            messages = queue.send(messages);
        }
    }
}
