package io.syncexec.dispatch;

import io.syncexec.aws.Priming;
import io.syncexec.aws.Wiring;
import io.syncexec.workflow.DispatchService;
import io.syncexec.workflow.WorkflowStep;
import io.syncexec.workflow.WorkflowStepHandler;

import java.util.Map;

/**
 * Invoked by the state machine's import wait ({@code lambda:invoke.waitForTaskToken}): sends one
 * import message per planned date; the worker recording the last outcome answers the wait.
 */
public final class DispatchHandler extends WorkflowStepHandler {
    private final DispatchService service;

    public DispatchHandler() {
        this(System.getenv());
    }

    /**
     * The function with this environment: on Lambda the process's ({@link #DispatchHandler()}); the local
     * runtime gives each function its own, as Lambda does.
     */
    public DispatchHandler(Map<String, String> environment) {
        this(productionService(Wiring.of(environment)));
    }

    public DispatchHandler(DispatchService service) {
        this.service = service;
    }

    private static DispatchService productionService(Wiring wiring) {
        Priming.registerReads(wiring);
        return new DispatchService(wiring.executions(), wiring.sqs(), wiring.config().importQueueUrl(), wiring.workflow());
    }

    @Override
    protected Object handle(WorkflowStep step) {
        service.dispatch(step);
        return null;
    }
}
