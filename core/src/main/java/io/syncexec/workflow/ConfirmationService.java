package io.syncexec.workflow;

import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.RunTelemetry;
import io.syncexec.execution.Workflow;

import java.util.Optional;

/**
 * The workflow has reached its confirmation wait: keep the task token server-side, where the
 * API's confirmation route finds it. If the operator decided before the workflow got here, answer
 * the wait now with that decision.
 */
public final class ConfirmationService {
    private final ExecutionRepository executions;
    private final Workflow workflow;
    private final RunTelemetry telemetry;

    public ConfirmationService(ExecutionRepository executions, Workflow workflow, RunTelemetry telemetry) {
        this.executions = executions;
        this.workflow = workflow;
        this.telemetry = telemetry;
    }

    public void awaitConfirmation(WorkflowStep step) {
        Optional<Execution> decided = executions.storeConfirmationToken(step.clientId(), step.syncId(), step.executionId(),
                step.taskToken());
        if (decided.isEmpty()) {
            executions.get(step.clientId(), step.syncId(), step.executionId()).ifPresent(telemetry::confirmationRequested);
            return;
        }
        Execution execution = decided.get();
        if (execution.confirmation() != null && execution.confirmation().decision() == Execution.Decision.CONFIRMED
                && !execution.status().terminal()) {
            workflow.confirm(step.taskToken(), execution);
        } else {
            workflow.decline(step.taskToken(), execution);
        }
    }
}
