package io.syncexec.dispatch;

import io.syncexec.lambda.Priming;
import io.syncexec.lambda.Wiring;
import io.syncexec.workflow.DispatchService;
import io.syncexec.workflow.WorkflowStep;
import io.syncexec.lambda.WorkflowStepHandler;

/**
 * Invoked by the state machine's import wait ({@code lambda:invoke.waitForTaskToken}): sends one
 * import message per planned date; the worker recording the last outcome answers the wait.
 */
public final class DispatchHandler extends WorkflowStepHandler {
    private final DispatchService service;

    public DispatchHandler() {
        this(productionService());
    }

    public DispatchHandler(DispatchService service) {
        this.service = service;
    }

    private static DispatchService productionService() {
        Wiring wiring = Wiring.production();
        Priming.registerReads(wiring);
        return new DispatchService(wiring.executions(), wiring.importQueue(), wiring.workflow());
    }

    @Override
    protected Object handle(WorkflowStep step) {
        service.dispatch(step);
        return null;
    }
}
