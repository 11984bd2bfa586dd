package io.syncexec.workflow;

import io.syncexec.execution.Execution;
import io.syncexec.observability.Log;
import io.syncexec.execution.Execution.DateOutcome;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.Outcome;
import io.syncexec.execution.Workflow;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * Sends one message per planned date that has no outcome yet, ten per request, and keeps the
 * completion token the last worker will use. Running it again (a retried step) sends the
 * remaining dates again; the workers' claims make a second delivery harmless. It looks for a
 * cancellation every hundred dates and stops dispatching when it finds one.
 */
public final class DispatchService {
    private static final Log LOG = Log.of("dispatch");
    static final int CANCELLATION_CHECK_EVERY = 100;

    private final ExecutionRepository executions;
    private final ImportQueue queue;
    private final Workflow workflow;

    public DispatchService(ExecutionRepository executions, ImportQueue queue, Workflow workflow) {
        this.executions = executions;
        this.queue = queue;
        this.workflow = workflow;
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
        List<LocalDate> pending = execution.plan().dates().stream().filter(date -> !recorded.contains(date)).toList();
        boolean cancelled = execution.cancellation() != null;
        int sent = 0;
        while (sent < pending.size() && !cancelled) {
            List<LocalDate> batch = pending.subList(sent, Math.min(pending.size(), sent + ImportQueue.BATCH));
            send(step, batch);
            sent += batch.size();
            if (sent % CANCELLATION_CHECK_EVERY == 0 && sent < pending.size()) {
                cancelled = executions.get(step.clientId(), step.syncId(), step.executionId())
                        .map(e -> e.cancellation() != null).orElse(true);
            }
        }
        LOG.info("dates.dispatched", "executionId", step.executionId(), "clientId", step.clientId(), "syncId", step.syncId(),
                "sent", sent, "alreadyRecorded", recorded.size(), "cancelledBeforeSending", pending.size() - sent);
        // Only this step sends these dates, so only it can record them: one batch write per 25 dates.
        Execution.Progress progress = executions.recordOutcomes(execution, epoch,
                pending.subList(sent, pending.size()).stream()
                        .map(date -> new DateOutcome(date, Outcome.CANCELLED, null, null)).toList(), List.of()).progress();
        if (progress.pending() == 0 && executions.recount(execution).pending() == 0) {
            workflow.importsDone(step.taskToken());
        }
    }

    private void send(WorkflowStep step, List<LocalDate> dates) {
        List<ImportMessage> messages = dates.stream()
                .map(date -> new ImportMessage(step.clientId(), step.syncId(), step.executionId(), date)).toList();
        for (int attempt = 0; !messages.isEmpty(); attempt++) {
            if (attempt == 3) {
                throw new IllegalStateException(messages.size() + " import messages could not be sent");
            }
            messages = queue.send(messages);
        }
    }
}
