package io.syncexec.dispatch;

import io.syncexec.lambda.Priming;
import io.syncexec.lambda.FunctionEnvironment;
import io.syncexec.lambda.Wiring;
import io.syncexec.lambda.WorkflowStepHandler;
import io.syncexec.workflow.DispatchService;
import io.syncexec.workflow.WorkflowStep;


/**
 * Invoked by the state machine's import wait ({@code lambda:invoke.waitForTaskToken}): sends one
 * import message per planned date; the worker recording the last outcome answers the wait.
 */
public final class DispatchHandler extends WorkflowStepHandler {
    private final DispatchService service;

    public DispatchHandler() {
        this(FunctionEnvironment.onLambda(System.getenv()));
    }

    /**
     * The function with this environment: on Lambda the process's ({@link #DispatchHandler()}); the local
     * runtime gives each function its own, as Lambda does.
     */
    public DispatchHandler(FunctionEnvironment environment) {
        this(Wiring.of(environment));
    }

    private DispatchHandler(Wiring wiring) {
        this(wiring.dispatchService());
        Priming.registerReads(wiring);
    }

    public DispatchHandler(DispatchService service) {
        this.service = service;
    }

    @Override
    protected Object handle(WorkflowStep step) {
        service.dispatch(step);
        return null;
    }
}
