package io.syncexec.sfn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.aws.AwsClients;
import io.syncexec.execution.Execution;
import io.syncexec.execution.Workflow;
import io.syncexec.json.Json;
import io.syncexec.lambda.Config;
import io.syncexec.observability.Correlation;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * {@link Workflow} on Step Functions. The execution id is the Step Functions execution name, so
 * a retried start cannot start a second workflow, and the workflow's ARN follows from the id.
 */
public final class StepFunctionsWorkflow implements Workflow {
    /** The error a declined confirmation fails the wait with; the state machine catches it. */
    public static final String DECLINED_ERROR = "ConfirmationDeclined";

    private final Supplier<SfnClient> sfn;
    private final String stateMachineArn;

    /**
     * The state machine {@code STATE_MACHINE_ARN} (functions that only answer task tokens have none),
     * with a client of its own ({@link AwsClients}).
     */
    public StepFunctionsWorkflow(Config config, Clock clock) {
        this(AwsClients.onFirstUse(SfnClient::builder, "SFN", config), config.get("STATE_MACHINE_ARN"));
    }

    public StepFunctionsWorkflow(SfnClient sfn, String stateMachineArn) {
        this(() -> sfn, stateMachineArn);
    }

    private StepFunctionsWorkflow(Supplier<SfnClient> sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public void start(Execution execution) {
        ObjectNode input = Json.MAPPER.createObjectNode()
                .put("clientId", execution.clientId())
                .put("syncId", execution.syncId())
                .put("executionId", execution.executionId())
                // Carried into every step's payload and the import messages, so one id follows the run.
                .put("correlationId", Correlation.id())
                .put("requiresConfirmation", execution.plan().requiresConfirmation())
                .put("confirmationTimeoutSeconds", confirmationTimeoutSeconds(execution));
        try {
            sfn.get().startExecution(r -> r.stateMachineArn(stateMachineArn).name(execution.executionId()).input(input.toString()));
        } catch (ExecutionAlreadyExistsException e) {
            // Started by an earlier attempt of this call: nothing more to do.
        }
    }

    /** The confirmation wait ends at the deadline the operator was shown. */
    private static long confirmationTimeoutSeconds(Execution execution) {
        Instant deadline = execution.plan().confirmationDeadline();
        return deadline == null ? 1 : Math.max(1, Duration.between(execution.createdAt(), deadline).toSeconds());
    }

    @Override
    public void confirm(String taskToken, Execution execution) {
        String output = Json.MAPPER.createObjectNode().put("decision", "CONFIRMED").toString();
        ignoringFinishedTask(() -> sfn.get().sendTaskSuccess(r -> r.taskToken(taskToken).output(output)));
    }

    @Override
    public void decline(String taskToken, Execution execution) {
        ignoringFinishedTask(() -> sfn.get().sendTaskFailure(r -> r.taskToken(taskToken).error(DECLINED_ERROR)
                .cause("The operator declined or cancelled the execution.")));
    }

    @Override
    public void importsDone(String completionToken) {
        String output = Json.MAPPER.createObjectNode().put("imports", "DONE").toString();
        ignoringFinishedTask(() -> sfn.get().sendTaskSuccess(r -> r.taskToken(completionToken).output(output)));
    }

    /**
     * One {@code DescribeExecution}. {@code PENDING_REDRIVE}, and any status newer than this SDK,
     * count as running: only an execution Step Functions says is over counts as ended.
     */
    @Override
    public State state(Execution execution) {
        try {
            return switch (sfn.get().describeExecution(r -> r.executionArn(executionArn(execution))).status()) {
                case SUCCEEDED, FAILED, TIMED_OUT, ABORTED -> State.ENDED;
                default -> State.RUNNING;
            };
        } catch (ExecutionDoesNotExistException e) {
            return State.NOT_STARTED;
        }
    }

    /** {@code arn:…:stateMachine:<machine>} → {@code arn:…:execution:<machine>:<execution id>}. */
    private String executionArn(Execution execution) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + execution.executionId();
    }

    /** A wait that already ended (timed out, or answered by a concurrent call) needs no answer. */
    private static void ignoringFinishedTask(Runnable call) {
        try {
            call.run();
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException e) {
            // The workflow moved on; the execution record already says what happened.
        }
    }
}
