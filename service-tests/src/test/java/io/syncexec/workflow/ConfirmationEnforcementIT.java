package io.syncexec.workflow;

import io.syncexec.dynamodb.DynamoDbExecutionRepository;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A re-import happens only after a person confirmed it, whatever reaches the queue; task tokens
 * live apart from executions and are removed once used (SPEC §3 invariants 3 and 7).
 */
@ExtendWith(StandInsExtension.class)
class ConfirmationEnforcementIT {
    private WorkflowFixture fx;

    @BeforeEach
    void setUp(StandIns standIns) {
        fx = new WorkflowFixture(standIns);
    }

    /** A date imported once, and a forced re-import of it waiting for its confirmation. */
    private Execution awaitingReimport() {
        Execution seed = fx.start(WorkflowFixture.range("2026-11-03", "2026-11-03", false));
        fx.importer().importBatch(fx.deliveries(seed, 1));
        fx.wiring.syncs().unlock(fx.clientId, "orders", seed.executionId());
        Execution forced = fx.start(WorkflowFixture.range("2026-11-03", "2026-11-03", true));
        assertEquals(ExecutionStatus.AWAITING_CONFIRMATION, forced.status());
        return forced;
    }

    private int importCount() {
        return fx.wiring.ledger().get(fx.clientId, "orders", LocalDate.parse("2026-11-03"), fx.clock.instant()).importCount();
    }

    @Test
    void aMessageForARunAwaitingConfirmationImportsNothing() {
        Execution forced = awaitingReimport();

        assertEquals(List.of(), fx.importer().importBatch(fx.deliveries(forced, 1)));

        assertEquals(1, importCount(), "no re-import without the confirmation");
        assertEquals(4, fx.destinationRecords("2026-11-03"));
        assertEquals(0, fx.reload(forced).progress().imported() + fx.reload(forced).progress().skipped());
    }

    @Test
    void aRunningReimportWithoutAConfirmationOnRecordImportsNothing() {
        Execution forced = awaitingReimport();
        // Someone moves the record to RUNNING without deciding through the API.
        fx.standIns.dynamo().updateItem(r -> r.tableName(fx.standIns.table("ExecutionsTable"))
                .key(Map.of("syncKey", AttributeValue.fromS(fx.clientId + "#orders"),
                        "executionId", AttributeValue.fromS(forced.executionId())))
                .updateExpression("SET #s = :r").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":r", AttributeValue.fromS("RUNNING"))));

        fx.importer().importBatch(fx.deliveries(forced, 1));

        assertEquals(1, importCount());
        assertEquals(4, fx.destinationRecords("2026-11-03"));
    }

    @Test
    void aConfirmationOfAnotherPlanDoesNotCount() {
        Execution forced = awaitingReimport();
        fx.standIns.dynamo().updateItem(r -> r.tableName(fx.standIns.table("ExecutionsTable"))
                .key(Map.of("syncKey", AttributeValue.fromS(fx.clientId + "#orders"),
                        "executionId", AttributeValue.fromS(forced.executionId())))
                .updateExpression("SET #s = :r, confirmation = :c").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":r", AttributeValue.fromS("RUNNING"), ":c", AttributeValue.fromM(Map.of(
                        "decision", AttributeValue.fromS("CONFIRMED"), "by", AttributeValue.fromS("op"),
                        "at", AttributeValue.fromS(fx.clock.instant().toString()), "planDigest", AttributeValue.fromS("another-plan"))))));

        fx.importer().importBatch(fx.deliveries(forced, 1));

        assertEquals(1, importCount());
    }

    @Test
    void aConfirmedReimportRecordsWhoWhenAndTheDigestThenImports() {
        Execution forced = awaitingReimport();
        Execution confirmed = fx.wiring.executionService().decide(forced, true, forced.plan().planDigest(), "op-7");

        assertEquals("op-7", confirmed.confirmation().by());
        assertEquals(forced.plan().planDigest(), confirmed.confirmation().planDigest());
        assertTrue(confirmed.confirmation().confirms(forced.plan().planDigest()));
        fx.importer().importBatch(fx.deliveries(forced, 1));
        assertEquals(2, importCount(), "a confirmed re-import imports");
    }

    @Test
    void theConfirmationTokenLivesInItsOwnPartitionAndIsRemovedOnceAnswered() {
        Execution forced = awaitingReimport();
        ExecutionRepository executions = fx.wiring.executions();
        ConfirmationService waiting = fx.wiring.confirmationService();
        waiting.awaitConfirmation(new WorkflowStep(fx.clientId, "orders", forced.executionId(), "confirm-token-1", null));

        assertEquals("confirm-token-1", executions.taskToken(fx.clientId, "orders", forced.executionId()).orElseThrow());
        var item = fx.standIns.dynamo().getItem(r -> r.tableName(fx.standIns.table("ExecutionsTable"))
                .key(Map.of("syncKey", AttributeValue.fromS(fx.clientId + "#orders"),
                        "executionId", AttributeValue.fromS(forced.executionId())))).item();
        assertFalse(item.toString().contains("confirm-token-1"), "the execution item never holds the confirmation token");
        assertTrue(fx.standIns.snapshot().toString().contains(DynamoDbExecutionRepository.TOKEN_PARTITION_PREFIX + fx.clientId + "#orders"));

        fx.wiring.executionService().decide(forced, true, forced.plan().planDigest(), "op-7");

        assertEquals(List.of("confirm-token-1"), fx.workflow.confirmed);
        assertTrue(executions.taskToken(fx.clientId, "orders", forced.executionId()).isEmpty(), "removed once answered");
        assertFalse(fx.standIns.snapshot().toString().contains("confirm-token-1"));
    }

    @Test
    void aDecisionRecordedBeforeTheWaitIsAnsweredByTheWaitAndLeavesNoToken() {
        Execution forced = awaitingReimport();
        fx.wiring.executionService().decide(forced, false, null, "op-7");

        fx.wiring.confirmationService()
                .awaitConfirmation(new WorkflowStep(fx.clientId, "orders", forced.executionId(), "confirm-token-2", null));

        assertEquals(List.of("confirm-token-2"), fx.workflow.declined);
        assertFalse(fx.standIns.snapshot().toString().contains("confirm-token-2"));
    }

    @Test
    void aWaitThatExpiredLeavesNoTokenOnceFinalized() {
        Execution forced = awaitingReimport();
        fx.wiring.confirmationService()
                .awaitConfirmation(new WorkflowStep(fx.clientId, "orders", forced.executionId(), "confirm-token-3", null));
        assertTrue(fx.standIns.snapshot().toString().contains("confirm-token-3"));

        fx.wiring.finalizeService()
                .finish(new WorkflowStep(fx.clientId, "orders", forced.executionId(), null, new WorkflowStep.Ending("EXPIRED", null)));

        assertEquals(ExecutionStatus.EXPIRED, fx.reload(forced).status());
        assertFalse(fx.standIns.snapshot().toString().contains("confirm-token-3"), "an unanswered token is forgotten too");
    }

    @Test
    void theCompletionTokenIsRemovedOnceAnswered() {
        Execution run = fx.start(WorkflowFixture.range("2026-11-05", "2026-11-06", false));
        String token = "completion-" + run.executionId();
        assertTrue(fx.standIns.snapshot().toString().contains(token));

        fx.importer().importBatch(fx.deliveries(run, 1));

        assertEquals(List.of(token), fx.workflow.importsDone);
        assertFalse(fx.standIns.snapshot().toString().contains(token), "no task token stays in any item after use");
    }
}
