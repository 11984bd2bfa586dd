package io.syncexec.workflow;

import io.syncexec.connector.Connector;
import io.syncexec.connector.ConnectorException;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionService;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.execution.Trigger;
import io.syncexec.execution.Workflow;
import io.syncexec.plan.ExecutionRequest;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import io.syncexec.sync.Sync;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §7's fault table (invariants 9–11): each fault of issue 9 played against the workflow's
 * services on dynalite, on virtual time (the fixture's clock: a redelivery after the visibility
 * timeout, a sweep after the next hourly tick). Every row must end terminal, with exact counts, no
 * duplicate import and its sync free. Prints the table.
 */
@ExtendWith(StandInsExtension.class)
class FaultTableIT {
    private static final Duration VISIBILITY = Duration.ofMinutes(6);
    private static final Duration TICK = Duration.ofHours(1);
    private static final int RECORDS_PER_DATE = 4;

    private record Row(String fault, ExecutionStatus expected, Execution.Progress expectedProgress, ExecutionStatus status,
                       Execution.Progress progress, long duplicates, Duration toTerminal, boolean unlocked) {
    }

    @Test
    void everyFaultEndsTerminalWithExactCountsNoDuplicateAndAFreeSync(StandIns standIns) {
        List<Row> rows = new ArrayList<>();
        rows.add(workerDiesAfterTheLastOutcomeBeforeTheSignal(new WorkflowFixture(standIns)));
        rows.add(workerKilledByItsTimeoutMidBatch(new WorkflowFixture(standIns)));
        rows.add(everyMessageDeliveredTwice(new WorkflowFixture(standIns)));
        rows.add(aSourceThatHangsPastTheFunctionTimeout(new WorkflowFixture(standIns)));
        rows.add(threeThousandSixHundredSixtyDatesFailingWithLongErrors(new WorkflowFixture(standIns)));
        rows.add(finalizeFailsForGood(new WorkflowFixture(standIns)));
        rows.add(theWorkflowStoppedByHand(new WorkflowFixture(standIns)));

        System.out.printf("%n| fault | final status | planned | imported | failed | skipped | cancelled | duplicates | to terminal (virtual) | sync unlocked |%n");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            Execution.Progress p = r.progress();
            System.out.printf("| %s | %s | %d | %d | %d | %d | %d | %d | %s | %s |%n", r.fault(), r.status(), p.planned(), p.imported(),
                    p.failed(), p.skipped(), p.cancelled(), r.duplicates(), r.toTerminal(), r.unlocked() ? "yes" : "NO");
        }
        System.out.println();
        for (Row r : rows) {
            assertEquals(r.expected(), r.status(), r.fault());
            assertEquals(r.expectedProgress(), r.progress(), r.fault());
            Execution.Progress p = r.progress();
            assertEquals(p.planned(), p.imported() + p.skipped() + p.failed() + p.cancelled(), r.fault() + ": exact counts");
            assertEquals(0, r.duplicates(), r.fault() + ": no duplicate import");
            assertTrue(r.unlocked(), r.fault() + ": the sync is free");
        }
    }

    private Row workerDiesAfterTheLastOutcomeBeforeTheSignal(WorkflowFixture fx) {
        Instant start = fx.clock.instant();
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", false));
        fx.workflow.lostCompletions.set(1);
        assertThrows(WorkflowFixture.WorkerDied.class, () -> fx.importer().importBatch(fx.deliveries(execution, 1)));
        fx.clock.advance(VISIBILITY);
        fx.importer().importBatch(fx.deliveries(execution, 2)); // the redelivery re-sends the completion
        assertEquals(1, fx.workflow.importsDone.size());
        finalizeCompleted(fx, execution);
        return row(fx, "worker dies after recording the last outcome, before the signal", execution, start,
                ExecutionStatus.SUCCEEDED, Execution.Progress.of(5, 5, 0, 0, 0));
    }

    private Row workerKilledByItsTimeoutMidBatch(WorkflowFixture fx) {
        Instant start = fx.clock.instant();
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", false));
        AtomicInteger calls = new AtomicInteger();
        Connector real = fx.wiring.connectors().forSync(fx.sync());
        Connector demo = context -> {
            if (calls.incrementAndGet() == 3) {
                throw new WorkflowFixture.WorkerDied(); // Lambda ends the invocation at its Timeout
            }
            return real.importDate(context);
        };
        assertThrows(WorkflowFixture.WorkerDied.class, () -> fx.importer(sync -> demo).importBatch(fx.deliveries(execution, 1)));
        fx.clock.advance(VISIBILITY); // the batch comes back; the dead worker's lease (3 min) is over
        fx.importer().importBatch(fx.deliveries(execution, 2));
        finalizeCompleted(fx, execution);
        return row(fx, "a worker killed by its timeout mid-batch", execution, start,
                ExecutionStatus.SUCCEEDED, Execution.Progress.of(5, 5, 0, 0, 0));
    }

    private Row everyMessageDeliveredTwice(WorkflowFixture fx) {
        Instant start = fx.clock.instant();
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", false));
        List<ImportService.Delivery> twice = new ArrayList<>(fx.deliveries(execution, 1));
        twice.addAll(fx.deliveries(execution, 1));
        fx.importer().importBatch(twice.subList(0, 5));
        fx.importer().importBatch(twice.subList(5, 10));
        finalizeCompleted(fx, execution);
        return row(fx, "every message delivered twice", execution, start, ExecutionStatus.SUCCEEDED, Execution.Progress.of(5, 5, 0, 0, 0));
    }

    private Row aSourceThatHangsPastTheFunctionTimeout(WorkflowFixture fx) {
        Instant start = fx.clock.instant();
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-03", false));
        // The connector's deadline (below the function's Timeout) ends each attempt; the last one records FAILED.
        Connector hangs = context -> {
            throw ConnectorException.retryable("http connector: source GET https://source.example:443 timed out");
        };
        for (int attempt = 1; attempt <= WorkflowFixture.MAX_ATTEMPTS; attempt++) {
            fx.importer(sync -> hangs).importBatch(fx.deliveries(execution, attempt));
            fx.clock.advance(VISIBILITY);
        }
        finalizeCompleted(fx, execution);
        return row(fx, "a source that hangs past the function timeout", execution, start,
                ExecutionStatus.FAILED, Execution.Progress.of(3, 0, 0, 3, 0));
    }

    private Row threeThousandSixHundredSixtyDatesFailingWithLongErrors(WorkflowFixture fx) {
        Instant start = fx.clock.instant();
        LocalDate last = LocalDate.parse("2026-11-25");
        fx.wiring.syncs().putDefinition(new Sync(fx.clientId, "orders", "Orders", ZoneId.of("Europe/Paris"), last.minusDays(3659),
                true, 3660, false, "demo", Map.of("recordsPerDate", RECORDS_PER_DATE), null, null, null, null));
        Execution execution = ((ExecutionService.Started) fx.wiring.executionService().create(fx.sync(), ExecutionRequest.defaultRun(),
                Trigger.MANUAL, "operator-1")).execution();
        fx.wiring.executions().storeCompletionToken(fx.clientId, "orders", execution.executionId(), "completion");
        String error = "source refused the request: " + "e".repeat(372);
        Connector refuses = context -> {
            throw ConnectorException.permanent(error);
        };
        ImportService importer = fx.importer(sync -> refuses);
        List<ImportService.Delivery> all = fx.deliveries(execution, 1);
        for (int i = 0; i < all.size(); i += 10) {
            importer.importBatch(all.subList(i, Math.min(all.size(), i + 10)));
        }
        finalizeCompleted(fx, execution);
        return row(fx, "3,660 dates failing with 400-character errors", execution, start,
                ExecutionStatus.FAILED, Execution.Progress.of(3660, 0, 0, 3660, 0));
    }

    private Row finalizeFailsForGood(WorkflowFixture fx) {
        Instant start = fx.clock.instant();
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", false));
        fx.importer().importBatch(fx.deliveries(execution, 1));
        // Finalize failed after all its retries: the workflow ended, the run did not.
        fx.workflow.states.put(execution.executionId(), Workflow.State.ENDED);
        sweepAfterTheNextTick(fx);
        return row(fx, "Finalize fails for good", execution, start, ExecutionStatus.SUCCEEDED, Execution.Progress.of(5, 5, 0, 0, 0));
    }

    private Row theWorkflowStoppedByHand(WorkflowFixture fx) {
        Instant start = fx.clock.instant();
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", false));
        fx.importer().importBatch(fx.deliveries(execution, 1).subList(0, 2));
        fx.workflow.states.put(execution.executionId(), Workflow.State.ENDED);
        sweepAfterTheNextTick(fx);
        return row(fx, "the workflow stopped by hand", execution, start,
                ExecutionStatus.PARTIALLY_FAILED, Execution.Progress.of(5, 2, 0, 3, 0));
    }

    private static void finalizeCompleted(WorkflowFixture fx, Execution execution) {
        new FinalizeService(fx.wiring.executions(), fx.wiring.syncs(), fx.wiring.ledger(), fx.wiring.calendar())
                .finish(new WorkflowStep(fx.clientId, execution.syncId(), execution.executionId(), null,
                        new WorkflowStep.Ending("COMPLETED", null)));
    }

    private static void sweepAfterTheNextTick(WorkflowFixture fx) {
        fx.clock.advance(TICK);
        fx.wiring.sweeper().sweep();
    }

    private static Row row(WorkflowFixture fx, String fault, Execution execution, Instant start,
                           ExecutionStatus expected, Execution.Progress expectedProgress) {
        Execution ended = fx.reload(execution);
        assertTrue(ended.status().terminal(), fault + ": " + ended.status());
        // A duplicate: a date imported more than once (ledger), or with more records than one import writes.
        List<LocalDate> dates = ended.plan().dates();
        var entries = fx.wiring.ledger().read(fx.clientId, execution.syncId(), dates.get(0), dates.get(dates.size() - 1));
        long duplicates = entries.values().stream().filter(e -> e.importCount() > 1).count();
        if (dates.size() <= 31) {
            duplicates += dates.stream().filter(d -> fx.destinationRecords(d.toString()) > RECORDS_PER_DATE).count();
        }
        return new Row(fault, expected, expectedProgress, ended.status(), ended.progress(), duplicates,
                Duration.between(start, ended.finishedAt()), fx.sync().activeExecutionId() == null);
    }
}
