package io.syncexec.workflow;

import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionIds;
import io.syncexec.execution.ExecutionService;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.execution.Outcome;
import io.syncexec.execution.Trigger;
import io.syncexec.execution.Workflow;
import io.syncexec.ledger.LedgerEntry;
import io.syncexec.ledger.LedgerStatus;
import io.syncexec.plan.ExecutionRequest;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §3 invariant 4, "no phantom already running": a start that finds the sync locked by an
 * execution whose workflow is over (Finalize failed for good, the workflow was stopped or timed
 * out, or it never started) ends that execution as Finalize ends a failed workflow and goes ahead;
 * while the workflow runs, or may still be starting, the start is refused and writes nothing.
 */
@ExtendWith(StandInsExtension.class)
class EndedWorkflowLockIT {
    private WorkflowFixture fx;

    @BeforeEach
    void setUp(StandIns standIns) {
        fx = new WorkflowFixture(standIns);
    }

    private ExecutionService.Created startDefault() {
        return fx.wiring.executionService().create(fx.sync(), ExecutionRequest.defaultRun(), Trigger.MANUAL, "operator-2");
    }

    private Refusal refusedDefault() {
        var before = fx.standIns.snapshot();
        Refusal refused = assertThrows(Refusal.class, this::startDefault);
        assertEquals(Reason.EXECUTION_IN_PROGRESS, refused.reason());
        assertEquals(before, fx.standIns.snapshot(), "a refused start writes nothing");
        return refused;
    }

    private LedgerEntry entry(String date) {
        return fx.wiring.ledger().get(fx.clientId, "orders", LocalDate.parse(date), fx.clock.instant());
    }

    @Test
    void aRunWhoseWorkflowEndedWithoutFinalizingIsEndedByTheNextStartAsFinalizeWould() {
        Execution old = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", false));
        fx.importer().importBatch(fx.deliveries(old, 1).subList(0, 2));
        fx.workflow.states.put(old.executionId(), Workflow.State.ENDED);
        fx.clock.advance(Duration.ofHours(1));

        Execution next = ((ExecutionService.Started) startDefault()).execution();

        Execution ended = fx.reload(old);
        assertEquals(ExecutionStatus.PARTIALLY_FAILED, ended.status());
        assertTrue(ended.error().startsWith("The workflow stopped before it finished this execution"), ended.error());
        assertEquals(fx.clock.instant(), ended.finishedAt());
        assertEquals(Execution.Progress.of(5, 2, 0, 3, 0), ended.progress(), "dates without an outcome count as failed");
        assertEquals(List.of(Outcome.IMPORTED, Outcome.IMPORTED, Outcome.FAILED, Outcome.FAILED, Outcome.FAILED),
                ended.outcomes().stream().map(Execution.DateOutcome::outcome).toList());
        for (String date : List.of("2026-11-01", "2026-11-02")) {
            assertEquals(LedgerStatus.IMPORTED, entry(date).status(), date);
            assertEquals(1, entry(date).importCount(), date);
            assertEquals(4, fx.destinationRecords(date), "imported dates keep their records: " + date);
        }
        assertEquals(LocalDate.parse("2026-11-02"), fx.sync().watermark(), "the watermark moves as Finalize moves it");
        assertEquals(LocalDate.parse("2026-11-02"), fx.sync().lastImportedDate());
        assertEquals(next.executionId(), fx.sync().activeExecutionId());
        assertEquals(ExecutionStatus.RUNNING, next.status());
        assertEquals(23, next.plan().datesCount(), "the new default run plans every date after the watermark");
        assertEquals(List.of(old.executionId()), fx.workflow.asked, "one question to the engine");

        // The dead workflow's Finalize, redriven or late, changes nothing and leaves the new run's lock.
        FinalizeService finalize = fx.wiring.finalizeService();
        assertEquals(ExecutionStatus.PARTIALLY_FAILED, finalize.finish(new WorkflowStep(fx.clientId, "orders",
                old.executionId(), null, new WorkflowStep.Ending("COMPLETED", null))));
        assertEquals(ended, fx.reload(old));
        assertEquals(next.executionId(), fx.sync().activeExecutionId());
    }

    @Test
    void aRunThatImportedNothingBeforeItsWorkflowEndedEndsFailed() {
        Execution old = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-03", false));
        fx.workflow.states.put(old.executionId(), Workflow.State.ENDED);

        Execution next = ((ExecutionService.Started) startDefault()).execution();

        Execution ended = fx.reload(old);
        assertEquals(ExecutionStatus.FAILED, ended.status());
        assertEquals(Execution.Progress.of(3, 0, 0, 3, 0), ended.progress());
        assertEquals(0, entry("2026-11-01").importCount());
        assertEquals(null, fx.sync().watermark());
        assertEquals(next.executionId(), fx.sync().activeExecutionId());
        assertEquals(25, next.plan().datesCount());
    }

    @Test
    void aRunWhoseWorkflowFailedAfterEveryImportEndsAsItsDatesWent() {
        // The common case: every date imported, then Finalize failed for good.
        Execution old = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-03", false));
        fx.importer().importBatch(fx.deliveries(old, 1));
        fx.workflow.states.put(old.executionId(), Workflow.State.ENDED);

        startDefault();

        Execution ended = fx.reload(old);
        assertEquals(ExecutionStatus.SUCCEEDED, ended.status(), "not PARTIALLY_FAILED with nothing failed");
        assertEquals(Execution.Progress.of(3, 3, 0, 0, 0), ended.progress());
        assertNull(ended.error(), "a run whose every date went well shows no error");
        assertEquals(LocalDate.parse("2026-11-03"), fx.sync().watermark());
    }

    @Test
    void aRunWhoseWorkflowRunsStillHoldsTheSyncAndTheStartWritesNothing() {
        Execution running = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", false));
        fx.importer().importBatch(fx.deliveries(running, 1).subList(0, 1));
        fx.clock.advance(Duration.ofHours(20));

        Refusal refused = refusedDefault();

        assertEquals(running.executionId(), refused.details().get("executionId"));
        assertEquals(List.of(running.executionId()), fx.workflow.asked);
        assertEquals(ExecutionStatus.RUNNING, fx.reload(running).status());
        assertEquals(running.executionId(), fx.sync().activeExecutionId());
    }

    @Test
    void anEngineThatDoesNotAnswerLeavesTheSyncLocked() {
        Execution running = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-02", false));
        fx.workflow.unreachable = true;

        assertEquals(running.executionId(), refusedDefault().details().get("executionId"));
        assertEquals(ExecutionStatus.RUNNING, fx.reload(running).status());
    }

    @Test
    void aWorkflowNotStartedYetHoldsTheSyncUntilItsStartIsCertainlyOver() {
        Execution starting = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-02", false));
        fx.workflow.states.put(starting.executionId(), Workflow.State.NOT_STARTED);
        fx.clock.advance(ExecutionService.START_GRACE.minusSeconds(1));

        assertEquals(starting.executionId(), refusedDefault().details().get("executionId"), "its start may be on its way");

        fx.clock.advance(Duration.ofSeconds(1));
        Execution next = ((ExecutionService.Started) startDefault()).execution();
        Execution never = fx.reload(starting);
        assertEquals(ExecutionStatus.FAILED, never.status());
        assertEquals("The workflow could not be started.", never.error());
        assertEquals(Execution.Progress.of(2, 0, 0, 0, 2), never.progress(), "as a start that failed: nothing was tried");
        assertEquals(next.executionId(), fx.sync().activeExecutionId());
    }

    @Test
    void aLockWhoseExecutionIsNotRecordedYetIsAStartOnItsWay() {
        Instant now = fx.clock.instant();
        String taker = ExecutionIds.next(now);
        assertTrue(fx.wiring.syncs().tryLock(fx.clientId, "orders", taker, now, now.plus(io.syncexec.execution.Workflow.lockDuration(fx.wiring.config().confirmationTimeout()))));
        fx.clock.advance(ExecutionService.START_GRACE.minusSeconds(1));

        assertEquals(taker, refusedDefault().details().get("executionId"), "never released under a start that is recording it");
        assertEquals(List.of(), fx.workflow.asked);

        fx.clock.advance(Duration.ofSeconds(1));
        Execution next = ((ExecutionService.Started) startDefault()).execution();
        assertEquals(next.executionId(), fx.sync().activeExecutionId(), "a start that died before recording frees the sync");
    }
}
