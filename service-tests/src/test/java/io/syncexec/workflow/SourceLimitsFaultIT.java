package io.syncexec.workflow;

import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.syncexec.workflow.FaultTableIT.finalizeCompleted;
import static io.syncexec.workflow.FaultTableIT.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault table's rows of issue 20 (SPEC §10), played as {@link FaultTableIT}'s are: on dynalite,
 * on virtual time, every row terminal with exact counts, no duplicate and its sync free. Prints them.
 */
@ExtendWith(StandInsExtension.class)
class SourceLimitsFaultIT {

    @Test
    void everySourceLimitFaultEndsTerminalWithExactCountsNoDuplicateAndAFreeSync(StandIns standIns) {
        List<FaultTableIT.Row> rows = new ArrayList<>();
        rows.add(theSourceThrottlesLongerThanTheWorkersTimeout(new LimitsHarness(new WorkflowFixture(standIns))));
        rows.add(aWorkerDiesHoldingSlots(new LimitsHarness(new WorkflowFixture(standIns))));
        rows.add(theSyncsLimitsAreLoweredWhileItsRunIsGoing(new LimitsHarness(new WorkflowFixture(standIns))));
        FaultTableIT.printAndCheck(rows);
    }

    private FaultTableIT.Row theSourceThrottlesLongerThanTheWorkersTimeout(LimitsHarness h) {
        WorkflowFixture fx = h.fx;
        Instant start = fx.clock.instant();
        h.source.throttledUntil = start.plus(Duration.ofHours(1));
        h.source.retryAfter = Duration.ofHours(1);
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-10", false));
        h.dispatch().dispatch(h.step(execution));
        h.drain(h.worker(), 100);
        finalizeCompleted(fx, execution);
        long deferrals = h.queue.all.stream().mapToInt(s -> s.later().message().deferrals()).max().orElse(0);
        assertTrue(deferrals > WorkflowFixture.MAX_ATTEMPTS, "waited " + deferrals + " times, more than the attempts it has");
        assertTrue(h.queue.all.stream().allMatch(s -> s.later().delay().compareTo(ImportQueue.MAX_DELAY) <= 0), "15 min a pause at most");
        return row(fx, "the source answers 429 Retry-After: 3600 for 1 h (longer than the worker's timeout and SQS's 15 min delay)",
                execution, start, ExecutionStatus.SUCCEEDED, Execution.Progress.of(10, 10, 0, 0, 0));
    }

    private FaultTableIT.Row aWorkerDiesHoldingSlots(LimitsHarness h) {
        WorkflowFixture fx = h.fx;
        h.limits(2, null);
        Instant start = fx.clock.instant();
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-10", false));
        h.holdSlots(execution, 2, List.of("dead-1", "dead-2"));
        h.dispatch().dispatch(h.step(execution));
        h.drain(h.worker(), 100);
        finalizeCompleted(fx, execution);
        assertTrue(!h.source.calls.get(0).isBefore(start.plus(WorkflowFixture.LEASE)), "the dead slots held until their lease ended");
        return row(fx, "a worker dies holding both slots of a sync capped at 2 (lease 3 min)", execution, start,
                ExecutionStatus.SUCCEEDED, Execution.Progress.of(10, 10, 0, 0, 0));
    }

    private FaultTableIT.Row theSyncsLimitsAreLoweredWhileItsRunIsGoing(LimitsHarness h) {
        WorkflowFixture fx = h.fx;
        h.limits(4, null);
        Instant start = fx.clock.instant();
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-25", false));
        h.dispatch().dispatch(h.step(execution));
        // Three workers are importing when an admin lowers the cap to 1 and paces the sync at 30 a minute.
        List<String> busy = List.of("busy-1", "busy-2", "busy-3");
        h.holdSlots(execution, 4, busy);
        h.limits(1, 30);
        List<ImportService.Delivery> due = h.due();
        for (int i = 0; i < due.size(); i += 10) {
            h.worker().importBatch(due.subList(i, Math.min(due.size(), i + 10)));
        }
        assertEquals(0, h.source.calls.size(), "no new date while more than the new cap are importing");
        assertEquals(25, h.queue.sent.size(), "every date waits, none failed");
        busy.forEach(worker -> fx.wiring.executions().leaveSlot(fx.clientId, "orders", execution.executionId(), worker));
        h.drain(h.worker(), 200);
        finalizeCompleted(fx, execution);
        assertEquals(1, h.source.mostInFlight.get());
        List<Instant> calls = h.source.calls;
        for (int i = 1; i < calls.size(); i++) {
            assertTrue(Duration.between(calls.get(i - 1), calls.get(i)).compareTo(Duration.ofSeconds(2)) >= 0, "30 a minute: " + calls);
        }
        return row(fx, "a sync's limits lowered while its run is going (4 → 1 date at once, 30 calls a minute)", execution, start,
                ExecutionStatus.SUCCEEDED, Execution.Progress.of(25, 25, 0, 0, 0));
    }
}
