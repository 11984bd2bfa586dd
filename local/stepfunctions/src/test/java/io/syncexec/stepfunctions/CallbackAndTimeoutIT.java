package io.syncexec.stepfunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Task tokens through the real SfnClient: pause and resume, failure caught by Catch, TimeoutSeconds
 * and HeartbeatSeconds on virtual time, StopExecution while waiting, and tokens refused once their
 * task is over.
 */
class CallbackAndTimeoutIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A confirmation step as the project's state machine has it: Lambda gets the token, a person answers. */
    private static final String CONFIRMATION = """
            {
              "StartAt": "AskForConfirmation",
              "States": {
                "AskForConfirmation": {
                  "Type": "Task",
                  "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters": {
                    "FunctionName": "notify",
                    "Payload": { "token.$": "$$.Task.Token", "order.$": "$.order" }
                  },
                  "TimeoutSeconds": 86400,
                  "HeartbeatSeconds": 3600,
                  "ResultPath": "$.confirmation",
                  "Catch": [
                    { "ErrorEquals": ["Rejected"], "ResultPath": "$.rejection", "Next": "WasRejected" },
                    { "ErrorEquals": ["States.Timeout"], "ResultPath": "$.timeout", "Next": "TimedOut" }
                  ],
                  "Next": "Confirmed"
                },
                "Confirmed": { "Type": "Succeed" },
                "WasRejected": { "Type": "Pass", "Result": "rejected", "ResultPath": "$.outcome", "End": true },
                "TimedOut": { "Type": "Fail", "Error": "ConfirmationTimedOut", "Cause": "nobody answered" }
              }
            }
            """;

    private TestBed bed;
    private final BlockingQueue<String> tokens = new LinkedBlockingQueue<>();
    private String stateMachineArn;

    @BeforeEach
    void start() {
        bed = new TestBed();
        bed.lambda.define("notify", event -> {
            tokens.add(event.get("token").asText());
            return FakeLambda.Reply.returns(JSON.createObjectNode().put("sent", true));
        });
        stateMachineArn = bed.sfn.createStateMachine(request -> request.name("confirmation")
                .definition(CONFIRMATION).roleArn("arn:aws:iam::123456789012:role/sfn")).stateMachineArn();
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    /** An execution paused in AskForConfirmation, and the token its Lambda function received. */
    private record Waiting(String executionArn, String token) {
    }

    private Waiting startAndTakeToken(String name) throws InterruptedException {
        String executionArn = bed.sfn.startExecution(request -> request.stateMachineArn(stateMachineArn).name(name)
                .input("{\"order\":42}")).executionArn();
        String token = tokens.poll(30, TimeUnit.SECONDS);
        assertTrue(token != null, "the Lambda function received no task token");
        bed.settle();
        return new Waiting(executionArn, token);
    }

    @Test
    void executionPausesUntilSendTaskSuccessThenResumesWithTheOutput() throws Exception {
        String executionArn = bed.sfn.startExecution(request -> request.stateMachineArn(stateMachineArn).name("confirm-1")
                .input("{\"order\":42}")).executionArn();
        String token = tokens.poll(30, TimeUnit.SECONDS);
        bed.settle();
        assertEquals(ExecutionStatus.RUNNING, bed.describe(executionArn).status());

        bed.sfn.sendTaskSuccess(request -> request.taskToken(token).output("{\"confirmedBy\":\"alice\"}"));
        DescribeExecutionResponse done = bed.runToCompletion(executionArn);

        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        assertEquals(JSON.readTree("{\"order\":42,\"confirmation\":{\"confirmedBy\":\"alice\"}}"), JSON.readTree(done.output()));
        List<HistoryEventType> types = bed.sfn.getExecutionHistory(request -> request.executionArn(executionArn)).events()
                .stream().map(HistoryEvent::type).toList();
        assertTrue(types.containsAll(List.of(HistoryEventType.TASK_SCHEDULED, HistoryEventType.TASK_SUBMITTED,
                HistoryEventType.TASK_SUCCEEDED, HistoryEventType.EXECUTION_SUCCEEDED)), types::toString);
    }

    @Test
    void sendTaskFailureIsCaughtByTheMatchingCatcher() throws Exception {
        Waiting waiting = startAndTakeToken("reject-1");
        String executionArn = waiting.executionArn();
        String token = waiting.token();

        bed.sfn.sendTaskFailure(request -> request.taskToken(token).error("Rejected").cause("not my order"));
        DescribeExecutionResponse done = bed.runToCompletion(executionArn);

        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        JsonNode output = JSON.readTree(done.output());
        assertEquals("rejected", output.get("outcome").asText());
        assertEquals(JSON.readTree("{\"Error\":\"Rejected\",\"Cause\":\"not my order\"}"), output.get("rejection"));
    }

    @Test
    void timeoutSecondsFiresStatesTimeoutAfterTwentyFourHoursOfVirtualTime() throws Exception {
        Waiting waiting = startAndTakeToken("timeout-1");
        String executionArn = waiting.executionArn();
        String token = waiting.token();
        // Heartbeats keep the 1-hour heartbeat timer from firing first; the 24-hour timeout still does.
        for (int hour = 0; hour < 24; hour++) {
            bed.sfn.sendTaskHeartbeat(request -> request.taskToken(token));
            bed.clock.advance(Duration.ofMinutes(59));
            bed.settle();
            assertEquals(ExecutionStatus.RUNNING, bed.describe(executionArn).status(), "hour " + hour);
        }
        // 23 h 36 min have passed; the next 30 minutes cross the 24-hour mark.
        bed.sfn.sendTaskHeartbeat(request -> request.taskToken(token));
        bed.clock.advance(Duration.ofMinutes(30));
        bed.settle();

        DescribeExecutionResponse done = bed.describe(executionArn);
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("ConfirmationTimedOut", done.error());
        assertTrue(bed.sfn.getExecutionHistory(request -> request.executionArn(executionArn)).events().stream()
                .anyMatch(event -> event.type() == HistoryEventType.TASK_TIMED_OUT
                        && "States.Timeout".equals(event.taskTimedOutEventDetails().error())));
        assertThrows(TaskTimedOutException.class,
                () -> bed.sfn.sendTaskSuccess(request -> request.taskToken(token).output("{}")));
    }

    @Test
    void heartbeatSecondsFiresStatesHeartbeatTimeoutWithoutHeartbeats() throws Exception {
        String executionArn = startAndTakeToken("heartbeat-1").executionArn();
        bed.clock.advance(Duration.ofMinutes(59));
        bed.settle();
        assertEquals(ExecutionStatus.RUNNING, bed.describe(executionArn).status());

        bed.clock.advance(Duration.ofMinutes(1));
        bed.settle();

        DescribeExecutionResponse done = bed.describe(executionArn);
        assertEquals(ExecutionStatus.FAILED, done.status());
        assertEquals("States.HeartbeatTimeout", done.error(), "not caught: the catchers name Rejected and States.Timeout");
    }

    @Test
    void stopExecutionWhileWaitingAbortsAndRetiresTheToken() throws Exception {
        Waiting waiting = startAndTakeToken("stop-1");
        String executionArn = waiting.executionArn();
        String token = waiting.token();

        bed.sfn.stopExecution(request -> request.executionArn(executionArn).error("Cancelled").cause("by the operator"));
        bed.settle();

        DescribeExecutionResponse done = bed.describe(executionArn);
        assertEquals(ExecutionStatus.ABORTED, done.status());
        assertEquals("Cancelled", done.error());
        assertThrows(TaskTimedOutException.class,
                () -> bed.sfn.sendTaskSuccess(request -> request.taskToken(token).output("{}")));
        HistoryEvent last = bed.sfn.getExecutionHistory(request -> request.executionArn(executionArn).reverseOrder(true))
                .events().get(0);
        assertEquals(HistoryEventType.EXECUTION_ABORTED, last.type());
    }

    @Test
    void aSecondSendTaskSuccessOnAFinishedTaskIsTaskTimedOut() throws Exception {
        Waiting waiting = startAndTakeToken("twice-1");
        String executionArn = waiting.executionArn();
        String token = waiting.token();
        bed.sfn.sendTaskSuccess(request -> request.taskToken(token).output("{\"confirmedBy\":\"alice\"}"));
        assertEquals(ExecutionStatus.SUCCEEDED, bed.runToCompletion(executionArn).status());

        TaskTimedOutException second = assertThrows(TaskTimedOutException.class,
                () -> bed.sfn.sendTaskSuccess(request -> request.taskToken(token).output("{\"confirmedBy\":\"bob\"}")));
        assertEquals("TaskTimedOut", second.awsErrorDetails().errorCode());
        assertThrows(TaskTimedOutException.class, () -> bed.sfn.sendTaskHeartbeat(request -> request.taskToken(token)));
    }

    @Test
    void aTokenThatWasNeverIssuedIsInvalidToken() {
        InvalidTokenException invalid = assertThrows(InvalidTokenException.class,
                () -> bed.sfn.sendTaskSuccess(request -> request.taskToken("not-a-token").output("{}")));
        assertEquals("InvalidToken", invalid.awsErrorDetails().errorCode());
    }
}
