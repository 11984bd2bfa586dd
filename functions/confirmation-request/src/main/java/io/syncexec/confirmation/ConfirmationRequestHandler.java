package io.syncexec.confirmation;

import io.syncexec.dynamodb.DynamoDbStores;
import io.syncexec.eventbridge.EventBridgeStatusEvents;
import io.syncexec.lambda.FunctionEnvironment;
import io.syncexec.lambda.Wiring;
import io.syncexec.lambda.WorkflowStepHandler;
import io.syncexec.sfn.StepFunctionsWorkflow;
import io.syncexec.workflow.ConfirmationService;
import io.syncexec.workflow.WorkflowStep;

/**
 * Invoked by the state machine's confirmation wait ({@code lambda:invoke.waitForTaskToken}):
 * stores the task token with the execution. The token is never returned nor logged.
 */
public final class ConfirmationRequestHandler extends WorkflowStepHandler {
    private final ConfirmationService service;

    public ConfirmationRequestHandler() {
        this(FunctionEnvironment.onLambda(System.getenv()));
    }

    /**
     * The function with this environment: on Lambda the process's ({@link #ConfirmationRequestHandler()}); the local
     * runtime gives each function its own, as Lambda does.
     */
    public ConfirmationRequestHandler(FunctionEnvironment environment) {
        Wiring wiring = Wiring.of(environment)
                .stores(DynamoDbStores::new).workflow(StepFunctionsWorkflow::new).statusEvents(EventBridgeStatusEvents::new)
                .primeReads();
        this.service = wiring.confirmationService();
    }

    @Override
    protected Object handle(WorkflowStep step) {
        service.awaitConfirmation(step);
        return null;
    }
}
