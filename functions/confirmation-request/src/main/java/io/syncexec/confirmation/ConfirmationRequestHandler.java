package io.syncexec.confirmation;

import io.syncexec.aws.Priming;
import io.syncexec.aws.Wiring;
import io.syncexec.workflow.ConfirmationService;
import io.syncexec.workflow.WorkflowStep;
import io.syncexec.workflow.WorkflowStepHandler;

import java.util.Map;

/**
 * Invoked by the state machine's confirmation wait ({@code lambda:invoke.waitForTaskToken}):
 * stores the task token with the execution. The token is never returned nor logged.
 */
public final class ConfirmationRequestHandler extends WorkflowStepHandler {
    private final ConfirmationService service;

    public ConfirmationRequestHandler() {
        this(System.getenv());
    }

    /**
     * The function with this environment: on Lambda the process's ({@link #ConfirmationRequestHandler()}); the local
     * runtime gives each function its own, as Lambda does.
     */
    public ConfirmationRequestHandler(Map<String, String> environment) {
        this(productionService(Wiring.of(environment)));
    }

    public ConfirmationRequestHandler(ConfirmationService service) {
        this.service = service;
    }

    private static ConfirmationService productionService(Wiring wiring) {
        Priming.registerReads(wiring);
        return new ConfirmationService(wiring.executions(), wiring.workflow(), wiring.telemetry("confirmation"));
    }

    @Override
    protected Object handle(WorkflowStep step) {
        service.awaitConfirmation(step);
        return null;
    }
}
