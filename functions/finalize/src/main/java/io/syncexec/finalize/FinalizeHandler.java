package io.syncexec.finalize;

import io.syncexec.dynamodb.DynamoDbStores;
import io.syncexec.eventbridge.EventBridgeStatusEvents;
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
        Wiring wiring = Wiring.of(environment)
                .stores(DynamoDbStores::new).statusEvents(EventBridgeStatusEvents::new)
                .primeReads();
        this.service = wiring.finalizeService();
    }

    @Override
    protected Object handle(WorkflowStep step) {
        return Map.of("status", service.finish(step).name());
    }
}
