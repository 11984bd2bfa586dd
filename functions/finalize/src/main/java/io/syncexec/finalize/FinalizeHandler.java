package io.syncexec.finalize;

import io.syncexec.lambda.Priming;
import io.syncexec.lambda.Wiring;
import io.syncexec.workflow.FinalizeService;
import io.syncexec.workflow.WorkflowStep;
import io.syncexec.lambda.WorkflowStepHandler;

import java.util.Map;

/** The state machine's last step: gives the execution its terminal status and frees the sync. */
public final class FinalizeHandler extends WorkflowStepHandler {
    private final FinalizeService service;

    public FinalizeHandler() {
        this(productionService());
    }

    public FinalizeHandler(FinalizeService service) {
        this.service = service;
    }

    private static FinalizeService productionService() {
        Wiring wiring = Wiring.production();
        Priming.registerReads(wiring);
        return new FinalizeService(wiring.executions(), wiring.syncs(), wiring.ledger(), wiring.calendar(), wiring.telemetry("finalize"));
    }

    @Override
    protected Object handle(WorkflowStep step) {
        return Map.of("status", service.finish(step).name());
    }
}
