package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.dynamodb.DynamoDbExecutionRepository;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.Workflow;
import io.syncexec.local.LocalCloudExtension;
import io.syncexec.standins.ApiClient.Answer;
import io.syncexec.standins.Await;
import io.syncexec.sfn.StepFunctionsWorkflow;
import io.syncexec.workflow.ImportMessage;
import io.syncexec.workflow.ImportQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static io.syncexec.standins.ApiClient.expect;
import static io.syncexec.system.Operator.yesterday;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every flow of the product manual and the faults of issue 4, end to end: the HTTP API, the
 * state machine on the Step Functions stand-in, the queue on ElasticMQ, the workers and the
 * ledger on dynalite, as template.yaml wires them. Each test asserts what an operator and the
 * client would see: statuses, ledger entries and history, records in the client's tool, and
 * imported + skipped + failed + cancelled = planned.
 */
class WorkflowIT {
    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension(options -> options.withEnvironment("RETRY_DELAY_SECONDS", "0")
            .withParameter("AllowDemoFaults", "true"));
    private Operator op;

    private Operator operator() {
        return new Operator(CLOUD.cloud());
    }

    private static void assertCountsAddUp(JsonNode execution) {
        JsonNode p = execution.path("progress");
        assertEquals(p.path("planned").asInt(), p.path("imported").asInt() + p.path("skipped").asInt()
                + p.path("failed").asInt() + p.path("cancelled").asInt(), p.toString());
        assertEquals(0, p.path("pending").asInt());
        // The execution carries its first 31 outcomes; the outcomes route pages the rest.
        assertEquals(Math.min(31, p.path("planned").asInt()), execution.path("outcomes").size());
        assertEquals(p.path("planned").asInt() > 31, !execution.path("outcomesNextToken").isNull());
    }

    @Test
    void defaultRunImportsEveryMissingDateAndTheNextOneNothing() {
        Operator op = operator();
        op.sync("orders", true, 8, "{\"recordsPerDate\":3}");
        Answer started = expect(202, op.create("orders", "{\"mode\":\"DEFAULT\"}"));
        assertEquals("RUNNING", started.json().path("status").asText());
        JsonNode done = op.awaitEnd("orders", started.id());
        assertEquals("SUCCEEDED", done.path("status").asText());
        assertEquals(8, done.path("progress").path("imported").asInt());
        assertCountsAddUp(done);
        for (LocalDate d = yesterday().minusDays(7); !d.isAfter(yesterday()); d = d.plusDays(1)) {
            assertEquals("IMPORTED", op.ledger("orders", d).path("status").asText(), d.toString());
            assertEquals(1, op.ledger("orders", d).path("importCount").asInt());
            assertEquals(3, op.records("orders", d));
        }
        JsonNode sync = op.sync("orders");
        assertEquals(yesterday().toString(), sync.path("lastImportedDate").asText());
        assertTrue(sync.path("activeExecutionId").isNull(), "the sync is free again");

        Answer again = expect(202, op.create("orders", "{\"mode\":\"DEFAULT\"}"));
        assertEquals("SUCCEEDED", again.json().path("status").asText());
        assertEquals(0, again.json().path("plan").path("datesCount").asInt(), "a default run never re-imports");
    }

    @Test
    void aSingleDateNeverImportedRunsWithoutAPause() {
        Operator op = operator();
        op.sync("orders", true, 5, "{\"recordsPerDate\":2}");
        String date = yesterday().minusDays(2).toString();
        Answer started = expect(202, op.create("orders", "{\"mode\":\"SINGLE_DATE\",\"date\":\"" + date + "\"}"));
        assertEquals("RUNNING", started.json().path("status").asText());
        assertEquals("SUCCEEDED", op.awaitEnd("orders", started.id()).path("status").asText());
        assertEquals(1, op.ledger("orders", LocalDate.parse(date)).path("importCount").asInt());
    }

    @Test
    void aSingleDateAlreadyImportedWaitsForConfirmationThenDuplicatesItsRecords() {
        Operator op = operator();
        op.sync("orders", true, 3, "{\"recordsPerDate\":4}");
        op.awaitEnd("orders", expect(202, op.create("orders", "{\"mode\":\"DEFAULT\"}")).id());
        LocalDate date = yesterday().minusDays(1);

        Answer started = expect(202, op.create("orders", "{\"mode\":\"SINGLE_DATE\",\"date\":\"" + date + "\"}"));
        JsonNode waiting = started.json();
        assertEquals("AWAITING_CONFIRMATION", waiting.path("status").asText());
        assertEquals(4, waiting.path("plan").path("duplicateRecordsEstimate").asInt());
        assertFalse(waiting.toString().contains("taskToken"), "the task token never leaves the backend");
        assertEquals(4, op.records("orders", date), "nothing re-imported before the confirmation");

        JsonNode confirmed = expect(200, op.confirm("orders", waiting)).json();
        assertEquals("RUNNING", confirmed.path("status").asText());
        JsonNode done = op.awaitEnd("orders", started.id());
        assertEquals("SUCCEEDED", done.path("status").asText());
        assertEquals("operator-1", done.path("confirmation").path("by").asText());
        assertEquals(2, op.ledger("orders", date).path("importCount").asInt());
        assertEquals(8, op.records("orders", date), "the duplicated records are visible in the client's tool");
        assertCountsAddUp(done);
    }

    @Test
    void aRangeOfMissingDatesImportsOnlyTheMissingOnes() {
        Operator op = operator();
        op.sync("orders", true, 6, "{\"recordsPerDate\":1}");
        LocalDate mid = yesterday().minusDays(2);
        op.awaitEnd("orders", expect(202, op.create("orders", "{\"mode\":\"SINGLE_DATE\",\"date\":\"" + mid + "\"}")).id());
        String range = "{\"mode\":\"DATE_RANGE\",\"from\":\"%s\",\"to\":\"%s\",\"reimport\":false}"
                .formatted(yesterday().minusDays(4), yesterday());
        Answer started = expect(202, op.create("orders", range));
        assertEquals(4, started.json().path("plan").path("datesCount").asInt());
        JsonNode done = op.awaitEnd("orders", started.id());
        assertEquals(4, done.path("progress").path("imported").asInt());
        assertEquals(1, op.ledger("orders", mid).path("importCount").asInt(), "the imported date was left alone");
        assertEquals(1, op.records("orders", mid));
    }

    @Test
    void aRangeReimportOverImportedDatesIsDeclinedThenConfirmed() {
        Operator op = operator();
        op.sync("orders", true, 4, "{\"recordsPerDate\":2}");
        op.awaitEnd("orders", expect(202, op.create("orders", "{\"mode\":\"DEFAULT\"}")).id());
        String range = "{\"mode\":\"DATE_RANGE\",\"from\":\"%s\",\"to\":\"%s\",\"reimport\":true}"
                .formatted(yesterday().minusDays(3), yesterday());
        JsonNode preview = expect(200, op.create("orders", range.replace("}", ",\"dryRun\":true}"))).json();
        assertEquals(4, preview.path("plan").path("reimportDates").size());
        Answer started = expect(202, op.create("orders",
                range.replace("}", ",\"planDigest\":\"" + preview.path("plan").path("planDigest").asText() + "\"}")));
        assertEquals("AWAITING_CONFIRMATION", started.json().path("status").asText());
        JsonNode declined = expect(200, op.decline("orders", started.json())).json();
        assertEquals("CANCELLED", declined.path("status").asText());
        JsonNode done = op.awaitEnd("orders", started.id());
        assertEquals(4, done.path("progress").path("cancelled").asInt());
        assertCountsAddUp(done);
        assertEquals(1, op.ledger("orders", yesterday()).path("importCount").asInt());
        assertEquals(2, op.records("orders", yesterday()));
        assertEquals("ALREADY_FINISHED", expect(409, op.confirm("orders", started.json())).code());

        // The workflow ended too and freed the sync: the operator asks again, and confirms this time.
        Answer again = expect(202, op.create("orders",
                range.replace("}", ",\"planDigest\":\"" + preview.path("plan").path("planDigest").asText() + "\"}")));
        expect(200, op.confirm("orders", again.json()));
        JsonNode reimported = op.awaitEnd("orders", again.id());
        assertEquals("SUCCEEDED", reimported.path("status").asText());
        assertEquals(4, reimported.path("progress").path("imported").asInt());
        assertCountsAddUp(reimported);
        for (LocalDate d = yesterday().minusDays(3); !d.isAfter(yesterday()); d = d.plusDays(1)) {
            assertEquals(2, op.ledger("orders", d).path("importCount").asInt(), d.toString());
            assertEquals(4, op.records("orders", d), "each date's records twice: " + d);
        }
    }

    @Test
    void aRunWhoseWorkflowWasStoppedByHandIsEndedByTheSweeperWithoutWaitingForAStart() {
        Operator op = operator();
        op.sync("orders", true, 3, "{\"recordsPerDate\":2}");
        Answer waiting = op.awaitingReimport("orders", yesterday());
        String arn = CLOUD.cloud().stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + waiting.id();
        CLOUD.cloud().sfn().stopExecution(r -> r.executionArn(arn).error("Operator.Stopped").cause("stopped from the console"));

        JsonNode swept = CLOUD.cloud().sweep();

        assertTrue(swept.path("failed").asInt() >= 1, swept.toString());
        JsonNode stopped = op.get("orders", waiting.id()).json();
        assertEquals("FAILED", stopped.path("status").asText());
        assertCountsAddUp(stopped);
        assertTrue(op.sync("orders").path("activeExecutionId").isNull(), "the sync is free at once");
        assertEquals(1, op.ledger("orders", yesterday()).path("importCount").asInt(), "nothing was re-imported");
    }

    @Test
    void aRunWhoseWorkflowWasStoppedDuringItsConfirmationWaitIsEndedFailedByTheNextStart() {
        Operator op = operator();
        op.sync("orders", true, 3, "{\"recordsPerDate\":2}");
        LocalDate date = yesterday().minusDays(1);
        Answer waiting = op.awaitingReimport("orders", date);
        ExecutionRepository executions = new DynamoDbExecutionRepository(CLOUD.cloud().standIns().dynamo(), CLOUD.cloud().standIns().table("ExecutionsTable"), Clock.systemUTC());

        // Someone stops the Step Functions execution by hand: Finalize never runs.
        String arn = CLOUD.cloud().stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + waiting.id();
        CLOUD.cloud().sfn().stopExecution(r -> r.executionArn(arn).error("Operator.Stopped").cause("stopped from the console"));
        assertEquals(ExecutionStatus.ABORTED, CLOUD.cloud().sfn().describeExecution(r -> r.executionArn(arn)).status());
        assertEquals("AWAITING_CONFIRMATION", op.get("orders", waiting.id()).json().path("status").asText());
        assertEquals(waiting.id(), op.sync("orders").path("activeExecutionId").asText(), "the dead run still holds the sync");

        Answer next = expect(202, op.create("orders", "{\"mode\":\"DEFAULT\"}"));
        assertEquals(2, next.json().path("plan").path("datesCount").asInt());
        StepFunctionsWorkflow workflows = new StepFunctionsWorkflow(CLOUD.cloud().sfn(), CLOUD.cloud().stateMachineArn());
        assertEquals(Workflow.State.ENDED, workflows.state(executions.get(op.clientId, "orders", waiting.id()).orElseThrow()));
        assertEquals(Workflow.State.RUNNING, workflows.state(executions.get(op.clientId, "orders", next.id()).orElseThrow()));
        JsonNode stopped = op.get("orders", waiting.id()).json();
        assertEquals("FAILED", stopped.path("status").asText());
        assertTrue(stopped.path("error").asText().startsWith("The workflow stopped before it finished this execution"),
                stopped.toString());
        assertEquals(1, stopped.path("progress").path("failed").asInt());
        assertCountsAddUp(stopped);
        assertEquals("ALREADY_FINISHED", expect(409, op.confirm("orders", waiting.json())).code());

        JsonNode done = op.awaitEnd("orders", next.id());
        assertEquals("SUCCEEDED", done.path("status").asText());
        assertEquals(2, done.path("progress").path("imported").asInt());
        assertEquals(1, op.ledger("orders", date).path("importCount").asInt(), "the stopped re-import imported nothing");
        assertEquals(2, op.records("orders", date));
        Await.until(Duration.ofSeconds(30), "Finalize to free the sync after it ended the run",
                () -> op.sync("orders").path("activeExecutionId").isNull());
        Answer nothingToDo = expect(202, op.create("orders", "{\"mode\":\"DEFAULT\"}"));
        assertEquals(Workflow.State.NOT_STARTED, workflows.state(executions.get(op.clientId, "orders", nothingToDo.id()).orElseThrow()),
                "a plan without dates starts no workflow");
    }

    @Test
    void aDefaultOnlySyncRefusesPeriodModesAndAStalePlanStartsNothing() {
        Operator op = operator();
        op.sync("invoices", false, 3, "{}");
        assertEquals("PERIOD_EXECUTION_NOT_SUPPORTED", expect(422, op.create("invoices",
                "{\"mode\":\"SINGLE_DATE\",\"date\":\"" + yesterday() + "\"}")).code());
        assertEquals("PLAN_CHANGED", expect(409, op.create("invoices", "{\"mode\":\"DEFAULT\",\"planDigest\":\"00ff\"}")).code());
        assertTrue(op.sync("invoices").path("activeExecutionId").isNull());
        assertEquals(0, op.ledger("invoices", yesterday()).path("importCount").asInt());
    }

    @Test
    void everyMessageDeliveredTwiceImportsEachDateOnce() {
        Operator op = operator();
        op.sync("orders", true, 12, "{\"recordsPerDate\":2}");
        Answer started = expect(202, op.create("orders", "{\"mode\":\"DEFAULT\"}"));
        // A second copy of every message, as SQS's at-least-once delivery may give.
        String queue = CLOUD.cloud().standIns().queueUrl("ImportQueue");
        for (JsonNode date : started.json().path("plan").path("dates")) {
            String body = new ImportMessage(op.clientId, "orders", started.id(), LocalDate.parse(date.asText())).toJson();
            CLOUD.cloud().standIns().sqs().sendMessage(r -> r.queueUrl(queue).messageBody(body));
        }
        JsonNode done = op.awaitEnd("orders", started.id());
        assertEquals(12, done.path("progress").path("imported").asInt());
        assertCountsAddUp(done);
        for (JsonNode date : started.json().path("plan").path("dates")) {
            LocalDate d = LocalDate.parse(date.asText());
            assertEquals(1, op.ledger("orders", d).path("importCount").asInt(), d.toString());
            assertEquals(2, op.records("orders", d), d.toString());
        }
    }

    @Test
    void aConnectorFailingOftenIsRetriedAndDatesThatNeverWorkEndFailed() {
        Operator op = operator();
        String failing = yesterday().minusDays(3).toString();
        op.sync("orders", true, 15, "{\"recordsPerDate\":1,\"failureRate\":0.3,\"failingDates\":[\"" + failing + "\"]}");
        Answer started = expect(202, op.create("orders", "{\"mode\":\"DEFAULT\"}"));
        JsonNode done = op.awaitEnd("orders", started.id());
        assertEquals("PARTIALLY_FAILED", done.path("status").asText());
        int failed = done.path("progress").path("failed").asInt();
        assertTrue(failed >= 1, done.toString());
        assertEquals(15, failed + done.path("progress").path("imported").asInt());
        assertCountsAddUp(done);
        assertEquals("FAILED", op.ledger("orders", LocalDate.parse(failing)).path("status").asText());
        for (JsonNode outcome : done.path("outcomes")) {
            LocalDate d = LocalDate.parse(outcome.path("date").asText());
            String expected = outcome.path("outcome").asText().equals("IMPORTED") ? "IMPORTED" : "FAILED";
            assertEquals(expected, op.ledger("orders", d).path("status").asText(), d.toString());
            assertEquals(outcome.path("outcome").asText().equals("IMPORTED") ? 1 : 0, op.records("orders", d));
        }
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterQueueWithoutHurtingItsBatch() {
        Operator op = operator();
        op.sync("orders", true, 10, "{\"recordsPerDate\":1}");
        String queue = CLOUD.cloud().standIns().queueUrl("ImportQueue");
        String poison = "poison-" + op.clientId;
        CLOUD.cloud().standIns().sqs().sendMessage(r -> r.queueUrl(queue).messageBody(poison));
        Answer started = expect(202, op.create("orders", "{\"mode\":\"DEFAULT\"}"));
        JsonNode done = op.awaitEnd("orders", started.id());
        assertEquals("SUCCEEDED", done.path("status").asText());
        String dlq = CLOUD.cloud().standIns().queueUrl("ImportDeadLetterQueue");
        Instant deadline = Instant.now().plusSeconds(30);
        List<String> dead = new ArrayList<>();
        while (!dead.contains(poison) && Instant.now().isBefore(deadline)) {
            for (Message m : CLOUD.cloud().standIns().sqs().receiveMessage(r -> r.queueUrl(dlq).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
                dead.add(m.body());
            }
        }
        assertTrue(dead.contains(poison), "the poison message is in the DLQ: " + dead);
    }

    @Test
    void cancellingMidRunLetsInFlightDatesFinishAndCancelsTheRest() {
        Operator op = operator();
        op.sync("orders", true, 40, "{\"recordsPerDate\":1,\"latencyMillis\":150}");
        Answer started = expect(202, op.create("orders", "{\"mode\":\"DEFAULT\"}"));
        op.await("orders", started.id(), e -> e.path("progress").path("imported").asInt() >= 1, Duration.ofSeconds(30));
        expect(202, op.cancel("orders", started.id()));
        JsonNode done = op.awaitEnd("orders", started.id());
        assertEquals("CANCELLED", done.path("status").asText());
        int imported = done.path("progress").path("imported").asInt();
        int cancelled = done.path("progress").path("cancelled").asInt();
        assertTrue(imported >= 1 && cancelled >= 1, done.path("progress").toString());
        assertCountsAddUp(done);
        for (JsonNode outcome : done.path("outcomes")) {
            LocalDate d = LocalDate.parse(outcome.path("date").asText());
            boolean wasImported = outcome.path("outcome").asText().equals("IMPORTED");
            assertEquals(wasImported ? 1 : 0, op.ledger("orders", d).path("importCount").asInt(), d.toString());
            assertEquals(wasImported ? 1 : 0, op.records("orders", d), d.toString());
        }
        assertTrue(op.sync("orders").path("activeExecutionId").isNull());
    }

    @Test
    void sendTaskSuccessForTheConfirmationFailsOnceAndTheRetriedConfirmationResendsIt() {
        Operator op = operator();
        op.sync("orders", true, 2, "{\"recordsPerDate\":3}");
        Answer waiting = op.awaitingReimport("orders", yesterday());

        RequestRecorder.failNext("Sfn", "SendTaskSuccess", "io.syncexec.api.ExecutionApiHandler", 1);
        Answer failed = expect(503, op.confirm("orders", waiting.json()));
        assertEquals("SERVICE_UNAVAILABLE", failed.code());
        JsonNode recorded = op.get("orders", waiting.id()).json();
        assertEquals("RUNNING", recorded.path("status").asText());
        assertEquals("CONFIRMED", recorded.path("confirmation").path("decision").asText());

        JsonNode retried = expect(200, op.confirm("orders", waiting.json())).json();
        assertEquals("RUNNING", retried.path("status").asText());
        JsonNode done = op.awaitEnd("orders", waiting.id());
        assertEquals("SUCCEEDED", done.path("status").asText(), "the workflow got the confirmation; no wait for the timeout");
        assertEquals(1, done.path("progress").path("imported").asInt());
        assertCountsAddUp(done);
        assertEquals(2, op.ledger("orders", yesterday()).path("importCount").asInt());
        assertEquals(6, op.records("orders", yesterday()), "re-imported once, as confirmed");
        assertTrue(op.sync("orders").path("activeExecutionId").isNull(), "the sync is free again");
        assertEquals("ALREADY_FINISHED", expect(409, op.confirm("orders", waiting.json())).code());
    }

    @Test
    void sendTaskFailureForTheDeclineFailsOnceAndTheRetriedDeclineEndsTheWorkflow() {
        Operator op = operator();
        op.sync("orders", true, 2, "{\"recordsPerDate\":3}");
        Answer waiting = op.awaitingReimport("orders", yesterday());
        String arn = CLOUD.cloud().stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + waiting.id();

        RequestRecorder.failNext("Sfn", "SendTaskFailure", "io.syncexec.api.ExecutionApiHandler", 1);
        assertEquals("SERVICE_UNAVAILABLE", expect(503, op.decline("orders", waiting.json())).code());
        assertEquals("CANCELLED", op.get("orders", waiting.id()).json().path("status").asText());
        assertEquals(ExecutionStatus.RUNNING, CLOUD.cloud().sfn().describeExecution(r -> r.executionArn(arn)).status(),
                "the workflow did not hear the decline");

        assertEquals("CANCELLED", expect(200, op.decline("orders", waiting.json())).json().path("status").asText());
        Await.until(Duration.ofSeconds(30), "the workflow to end",
                () -> CLOUD.cloud().sfn().describeExecution(r -> r.executionArn(arn)).status() != ExecutionStatus.RUNNING);
        JsonNode done = op.awaitEnd("orders", waiting.id());
        assertEquals("CANCELLED", done.path("status").asText());
        assertCountsAddUp(done);
        assertEquals(1, op.ledger("orders", yesterday()).path("importCount").asInt(), "nothing re-imported");
        assertEquals(3, op.records("orders", yesterday()));
        assertEquals("SUCCEEDED", op.awaitEnd("orders", expect(202, op.create("orders", "{\"mode\":\"DEFAULT\"}")).id())
                .path("status").asText(), "the sync is free for the next run");
    }

    @Test
    void aDuplicatedScheduleTickStartsOneExecutionPerSync() {
        Operator op = operator();
        op.sync("orders", true, 2, "{\"recordsPerDate\":1}");
        Instant tick = Instant.now().plusSeconds(3600 * 24 * 365L + op.clientId.hashCode() % 1000);
        JsonNode first = CLOUD.cloud().fireSchedule(tick);
        JsonNode second = CLOUD.cloud().fireSchedule(tick);
        assertTrue(first.path("enqueued").asInt() >= 1, first.toString());
        assertEquals(0, second.path("enqueued").asInt(), "the first tick claimed every due sync: " + second);
        // The start queue's consumer starts the run.
        Await.until(Duration.ofSeconds(60), "the scheduled run to start", () -> op.executions("orders").size() > 0);
        JsonNode executions = op.executions("orders");
        assertEquals(1, executions.size());
        assertEquals("SCHEDULE", executions.get(0).path("trigger").asText());
        op.awaitEnd("orders", executions.get(0).path("executionId").asText());
    }
}
