package io.syncexec.workflow;

import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.sqs.SqsImportQueue;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Dispatch against ElasticMQ and dynalite: one message per date, and nothing for what must not run. */
@ExtendWith(StandInsExtension.class)
class DispatchServiceIT {
    private WorkflowFixture fx;
    private String queueUrl;
    private DispatchService dispatch;

    @BeforeEach
    void setUp(StandIns standIns) {
        fx = new WorkflowFixture(standIns);
        queueUrl = standIns.sqs().createQueue(r -> r.queueName("dispatch-" + fx.clientId)).queueUrl();
        dispatch = new DispatchService(fx.wiring.executions(), new SqsImportQueue(standIns.sqs(), queueUrl), fx.workflow,
                fx.wiring.log("dispatch"));
    }

    private int messagesInQueue() {
        return Integer.parseInt(fx.standIns.sqs().getQueueAttributes(r -> r.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }

    private WorkflowStep step(Execution execution) {
        return new WorkflowStep(fx.clientId, "orders", execution.executionId(), "token-" + execution.executionId(), null);
    }

    @Test
    void sendsOneMessagePerPlannedDateAndKeepsTheCompletionToken() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-23", false));
        dispatch.dispatch(step(execution));
        assertEquals(23, messagesInQueue());
        assertEquals("token-" + execution.executionId(),
                fx.wiring.executions().completionToken(fx.clientId, "orders", execution.executionId()).orElseThrow());
        assertEquals(List.of(), fx.workflow.importsDone, "the workers complete the wait, not dispatch");
    }

    @Test
    void aCancelledExecutionDispatchesNothingAndCountsEveryDateCancelled() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", false));
        fx.wiring.executionService().cancel(execution, "operator-2");
        dispatch.dispatch(step(execution));
        assertEquals(0, messagesInQueue());
        assertEquals(5, fx.reload(execution).progress().cancelled());
        assertEquals(List.of("token-" + execution.executionId()), fx.workflow.importsDone);
    }

    @Test
    void anExecutionThatHasEndedImportsNothing() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", false));
        fx.wiring.executions().markFailed(execution, "The workflow could not be started.", fx.clock.instant());
        dispatch.dispatch(step(execution));
        assertEquals(0, messagesInQueue());
        assertEquals(ExecutionStatus.FAILED, fx.reload(execution).status());
        assertEquals(List.of("token-" + execution.executionId()), fx.workflow.importsDone);
    }
}
