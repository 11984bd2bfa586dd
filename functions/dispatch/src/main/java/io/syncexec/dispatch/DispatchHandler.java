package io.syncexec.dispatch;

import io.syncexec.dynamodb.DynamoDbStores;
import io.syncexec.lambda.FunctionEnvironment;
import io.syncexec.lambda.Wiring;
import io.syncexec.lambda.WorkflowStepHandler;
import io.syncexec.sqs.SqsImportQueue;
import io.syncexec.sfn.StepFunctionsWorkflow;
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
        Wiring wiring = Wiring.of(environment)
                .stores(DynamoDbStores::new).workflow(StepFunctionsWorkflow::new).importQueue(SqsImportQueue::new)
                .primeReads();
        this.service = wiring.dispatchService();
    }

    @Override
    protected Object handle(WorkflowStep step) {
        service.dispatch(step);
        return null;
    }
}
