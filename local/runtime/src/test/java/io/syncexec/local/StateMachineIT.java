package io.syncexec.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.syncexec.standins.StandInsExtension;
import io.syncexec.stepfunctions.engine.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/** The template's state machine, created from its definition, calling the real handlers over the Lambda Invoke API. */
@ExtendWith(StandInsExtension.class)
class StateMachineIT {

    @Test
    void anExecutionCallsTheRealDispatchAndFinalizeHandlersThroughLambda() throws InterruptedException {
        VirtualScheduler time = new VirtualScheduler(Instant.parse("2030-01-01T00:00:00Z"));
        try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.defaults().withScheduler(time))) {
            String executionId = "missing-" + UUID.randomUUID();
            String arn = cloud.sfn().startExecution(request -> request
                    .stateMachineArn(cloud.stateMachineArn())
                    .name(executionId)
                    .input("{\"clientId\":\"c\",\"syncId\":\"s\",\"executionId\":\"" + executionId
                            + "\",\"correlationId\":\"state-machine-it\",\"requiresConfirmation\":false,\"confirmationTimeoutSeconds\":60}"))
                    .executionArn();

            // Dispatch and finalize fail for an execution that does not exist: run their retries on virtual time.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (status(cloud, arn) == ExecutionStatus.RUNNING) {
                assertTrue(System.nanoTime() < deadline, "the execution did not end");
                cloud.stepFunctions().engine().awaitIdle(Duration.ofSeconds(30));
                time.advanceToNext();
            }

            assertEquals(ExecutionStatus.FAILED, status(cloud, arn));
            List<HistoryEvent> history = cloud.sfn().getExecutionHistory(request -> request.executionArn(arn).maxResults(1000)).events();
            assertTrue(failedTaskCauses(history).stream().anyMatch(cause -> cause.contains("io.syncexec.dispatch.DispatchHandler")),
                    "DispatchHandler's failure came back through the Invoke API: " + failedTaskCauses(history));
            assertTrue(failedTaskCauses(history).stream().anyMatch(cause -> cause.contains("io.syncexec.finalize.FinalizeHandler")),
                    "FinalizeHandler ran after the Catch: " + failedTaskCauses(history));
        }
    }

    private static ExecutionStatus status(LocalCloud cloud, String executionArn) {
        return cloud.sfn().describeExecution(request -> request.executionArn(executionArn)).status();
    }

    private static List<String> failedTaskCauses(List<HistoryEvent> history) {
        return history.stream()
                .filter(event -> event.taskFailedEventDetails() != null)
                .map(event -> event.taskFailedEventDetails().cause())
                .toList();
    }
}
