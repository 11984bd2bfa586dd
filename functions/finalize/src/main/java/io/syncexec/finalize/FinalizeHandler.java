package io.syncexec.finalize;

import io.syncexec.aws.Priming;
import io.syncexec.aws.Wiring;
import io.syncexec.workflow.FinalizeService;
import io.syncexec.workflow.WorkflowStep;
import io.syncexec.workflow.WorkflowStepHandler;

import java.util.Map;

/** The state machine's last step: gives the execution its terminal status and frees the sync. */
public final class FinalizeHandler extends WorkflowStepHandler {
    private final FinalizeService service;

    public FinalizeHandler() {
        this(System.getenv());
    }

    /**
     * The function with this environment: on Lambda the process's ({@link #FinalizeHandler()}); the local
     * runtime gives each function its own, as Lambda does.
     */
    public FinalizeHandler(Map<String, String> environment) {
        this(productionService(Wiring.of(environment)));
    }

    public FinalizeHandler(FinalizeService service) {
        this.service = service;
    }

    private static FinalizeService productionService(Wiring wiring) {
        Priming.registerReads(wiring);
        return new FinalizeService(wiring.executions(), wiring.syncs(), wiring.ledger(), wiring.calendar(), wiring.telemetry("finalize"));
    }

    @Override
    protected Object handle(WorkflowStep step) {
        return Map.of("status", service.finish(step).name());
    }
}
