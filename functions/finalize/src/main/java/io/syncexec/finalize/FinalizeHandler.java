package io.syncexec.finalize;

import io.syncexec.lambda.Priming;
import io.syncexec.lambda.FunctionEnvironment;
import io.syncexec.lambda.Wiring;
import io.syncexec.lambda.WorkflowStepHandler;
import io.syncexec.workflow.FinalizeService;
import io.syncexec.workflow.WorkflowStep;

import java.util.Map;

/** The state machine's last step: gives the execution its terminal status and frees the sync. */
public final class FinalizeHandler extends WorkflowStepHandler {
    private final FinalizeService service;

    public FinalizeHandler() {
        this(FunctionEnvironment.onLambda(System.getenv()));
    }

    /**
     * The function with this environment: on Lambda the process's ({@link #FinalizeHandler()}); the local
     * runtime gives each function its own, as Lambda does.
     */
    public FinalizeHandler(FunctionEnvironment environment) {
        this(Wiring.of(environment));
    }

    private FinalizeHandler(Wiring wiring) {
        this(wiring.finalizeService());
        Priming.registerReads(wiring);
    }

    public FinalizeHandler(FinalizeService service) {
        this.service = service;
    }

    @Override
    protected Object handle(WorkflowStep step) {
        return Map.of("status", service.finish(step).name());
    }
}
