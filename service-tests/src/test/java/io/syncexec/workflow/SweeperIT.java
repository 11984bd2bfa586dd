package io.syncexec.workflow;

import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.execution.Workflow;
import io.syncexec.ledger.LedgerStatus;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC invariant 9: the sweeper ends, as Finalize would, every run that can no longer end by
 * itself, with exact counts, and frees its sync; a run that can still end is left alone.
 */
@ExtendWith(StandInsExtension.class)
class SweeperIT {
    private WorkflowFixture fx;

    @BeforeEach
    void setUp(StandIns standIns) {
        fx = new WorkflowFixture(standIns);
    }

    private Execution ended(Execution execution) {
        Execution after = fx.reload(execution);
        assertTrue(after.status().terminal(), after.status().name());
        Execution.Progress p = after.progress();
        assertEquals(p.planned(), p.imported() + p.skipped() + p.failed() + p.cancelled(), "exact counts: " + p);
        assertNull(fx.sync().activeExecutionId(), "the sync is free");
        return after;
    }

    @Test
    void aRunWhoseEveryDateHasItsOutcomeButWhoseCompletionWasLostEndsByItsOutcomes() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-04", false));
        fx.workflow.started.add(execution.executionId());
        fx.workflow.lostCompletions.set(1);
        assertThrows(WorkflowFixture.WorkerDied.class, () -> fx.importer().importBatch(fx.deliveries(execution, 1)));
        assertEquals(ExecutionStatus.RUNNING, fx.reload(execution).status(), "nothing would end it for 24 h");
        fx.wiring.sweeper().sweep();
        assertEquals(ExecutionStatus.RUNNING, fx.reload(execution).status(), "a completion may still be on its way");

        fx.clock.advance(Duration.ofHours(1)); // the next tick
        fx.wiring.sweeper().sweep();

        Execution after = ended(execution);
        assertEquals(ExecutionStatus.SUCCEEDED, after.status());
        assertEquals(Execution.Progress.of(4, 4, 0, 0, 0), after.progress());
        assertEquals(LocalDate.parse("2026-11-04"), fx.sync().lastImportedDate());
    }

    @Test
    void countersThatMissOutcomesAreRecountedFromTheOutcomeItems() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-05", "2026-11-07", false));
        fx.workflow.started.add(execution.executionId());
        fx.workflow.lostCompletions.set(1);
        assertThrows(WorkflowFixture.WorkerDied.class, () -> fx.importer().importBatch(fx.deliveries(execution, 1)));
        // As if the worker had died between its outcome items and its counters.
        fx.standIns.dynamo().updateItem(r -> r.tableName(fx.standIns.table("ExecutionsTable"))
                .key(Map.of("syncKey", AttributeValue.fromS(fx.clientId + "#orders"), "executionId", AttributeValue.fromS(execution.executionId())))
                .updateExpression("SET imported = :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
        assertEquals(2, fx.reload(execution).progress().pending());

        fx.clock.advance(Duration.ofHours(1)); // the next tick
        fx.wiring.sweeper().sweep();

        assertEquals(Execution.Progress.of(3, 3, 0, 0, 0), ended(execution).progress());
    }

    @Test
    void aRunWhoseWorkflowWasStoppedByHandEndsAsAFailedWorkflowEnds() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-08", "2026-11-12", false));
        fx.workflow.started.add(execution.executionId());
        fx.importer().importBatch(fx.deliveries(execution, 1).subList(0, 2));
        fx.workflow.states.put(execution.executionId(), Workflow.State.ENDED);

        fx.wiring.sweeper().sweep();

        Execution after = ended(execution);
        assertEquals(ExecutionStatus.PARTIALLY_FAILED, after.status());
        assertEquals(Execution.Progress.of(5, 2, 0, 3, 0), after.progress(), "dates without an outcome count as failed");
        assertEquals(LedgerStatus.IMPORTED, fx.wiring.ledger().get(fx.clientId, "orders", LocalDate.parse("2026-11-08"),
                fx.clock.instant()).status());
    }

    @Test
    void aRunWhoseLockExpiredWhileRunningEndsFailed() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-13", "2026-11-15", false));
        fx.workflow.started.add(execution.executionId());
        fx.importer().importBatch(fx.deliveries(execution, 1).subList(0, 1));
        // Past the lock: derived from the 24 h confirmation timeout, 49 h.
        fx.clock.advance(io.syncexec.execution.Workflow.lockDuration(Duration.ofHours(24)).plusHours(1));

        fx.wiring.sweeper().sweep();

        Execution after = ended(execution);
        assertEquals(ExecutionStatus.PARTIALLY_FAILED, after.status());
        assertEquals(Execution.Progress.of(3, 1, 0, 2, 0), after.progress());
    }

    @Test
    void aConfirmationPastItsDeadlineEndsExpired() {
        Execution first = fx.start(WorkflowFixture.range("2026-11-16", "2026-11-17", false));
        fx.importer().importBatch(fx.deliveries(first, 1));
        fx.wiring.finalizeService()
                .finish(new WorkflowStep(fx.clientId, "orders", first.executionId(), null, new WorkflowStep.Ending("COMPLETED", null)));
        Execution reimport = fx.start(WorkflowFixture.range("2026-11-16", "2026-11-17", true));
        fx.workflow.started.add(reimport.executionId());
        assertEquals(ExecutionStatus.AWAITING_CONFIRMATION, reimport.status());

        fx.clock.advance(Duration.ofHours(24).plusMinutes(1));
        fx.wiring.sweeper().sweep();
        assertEquals(ExecutionStatus.AWAITING_CONFIRMATION, fx.reload(reimport).status(), "the workflow's own timeout goes first");

        fx.clock.advance(Duration.ofMinutes(15));
        fx.wiring.sweeper().sweep();
        Execution after = ended(reimport);
        assertEquals(ExecutionStatus.EXPIRED, after.status());
        assertEquals(Execution.Progress.of(2, 0, 0, 0, 2), after.progress());
        assertEquals(1, fx.wiring.ledger().get(fx.clientId, "orders", LocalDate.parse("2026-11-16"), fx.clock.instant()).importCount(),
                "nothing was re-imported");
    }

    @Test
    void aRunThatCanStillEndByItselfIsLeftAlone() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-18", "2026-11-20", false));
        fx.workflow.started.add(execution.executionId());
        fx.importer().importBatch(fx.deliveries(execution, 1).subList(0, 1));
        var before = fx.reload(execution);

        fx.wiring.sweeper().sweep();

        Execution after = fx.reload(execution);
        assertEquals(ExecutionStatus.RUNNING, after.status());
        assertEquals(before.progress(), after.progress());
        assertEquals(execution.executionId(), fx.sync().activeExecutionId());
        assertEquals(List.of(), fx.workflow.importsDone);
    }
}
