package io.syncexec.confirmation;

import io.syncexec.lambda.Priming;
import io.syncexec.lambda.Wiring;
import io.syncexec.workflow.ConfirmationService;
import io.syncexec.workflow.WorkflowStep;
import io.syncexec.lambda.WorkflowStepHandler;

/**
 * Invoked by the state machine's confirmation wait ({@code lambda:invoke.waitForTaskToken}):
 * stores the task token with the execution. The token is never returned nor logged.
 */
public final class ConfirmationRequestHandler extends WorkflowStepHandler {
    private final ConfirmationService service;

    public ConfirmationRequestHandler() {
        this(productionService());
    }

    public ConfirmationRequestHandler(ConfirmationService service) {
        this.service = service;
    }

    private static ConfirmationService productionService() {
        Wiring wiring = Wiring.production();
        Priming.registerReads(wiring);
        return new ConfirmationService(wiring.executions(), wiring.workflow(), wiring.telemetry("confirmation"));
    }

    @Override
    protected Object handle(WorkflowStep step) {
        service.awaitConfirmation(step);
        return null;
    }
}
