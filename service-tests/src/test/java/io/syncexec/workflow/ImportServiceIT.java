package io.syncexec.workflow;

import io.syncexec.connector.Connector;
import io.syncexec.connector.ConnectorException;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionService;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.execution.Outcome;
import io.syncexec.execution.Trigger;
import io.syncexec.ledger.DateHistory;
import io.syncexec.ledger.LedgerEntry;
import io.syncexec.ledger.LedgerStatus;
import io.syncexec.plan.ExecutionRequest;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import io.syncexec.sync.Sync;
import io.syncexec.workflow.ImportService.Delivery;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The import worker's invariants (SPEC §3: 1, 2, 5, 6) at the service, against dynalite. */
@ExtendWith(StandInsExtension.class)
class ImportServiceIT {
    private WorkflowFixture fx;

    @BeforeEach
    void setUp(StandIns standIns) {
        fx = new WorkflowFixture(standIns);
    }

    private LedgerEntry entry(String date) {
        return fx.wiring.ledger().get(fx.clientId, "orders", LocalDate.parse(date), fx.clock.instant());
    }

    private static void assertExact(Execution execution) {
        Execution.Progress p = execution.progress();
        assertEquals(p.planned(), p.imported() + p.skipped() + p.failed() + p.cancelled() + p.pending(), p.toString());
    }

    @Test
    void everyMessageDeliveredTwiceImportsEachDateOnce() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", false));
        ImportService importer = fx.importer();
        List<Delivery> twice = new ArrayList<>(fx.deliveries(execution, 1));
        twice.addAll(fx.deliveries(execution, 2));
        assertEquals(List.of(), importer.importBatch(twice));
        assertEquals(List.of(), importer.importBatch(fx.deliveries(execution, 3)));

        Execution after = fx.reload(execution);
        assertEquals(5, after.progress().imported());
        assertEquals(0, after.progress().pending());
        assertExact(after);
        for (int day = 1; day <= 5; day++) {
            String date = "2026-11-0" + day;
            assertEquals(1, entry(date).importCount(), date);
            assertEquals(LedgerStatus.IMPORTED, entry(date).status());
            assertEquals(4, fx.destinationRecords(date), "records written once for " + date);
            assertEquals(1, fx.wiring.ledger().history(fx.clientId, "orders", LocalDate.parse(date)).size());
        }
        assertEquals(List.of("completion-" + execution.executionId()), fx.workflow.importsDone.subList(0, 1));
    }

    @Test
    void aWorkerThatDiesAfterItsClaimLeavesTheDateToBeImportedOnceAfterTheLease() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-10", "2026-11-10", false));
        Connector dies = context -> {
            throw new SimulatedCrash();
        };
        assertThrows(SimulatedCrash.class, () -> fx.importer(sync -> dies).importBatch(fx.deliveries(execution, 1)));
        assertEquals(LedgerStatus.IMPORTING, entry("2026-11-10").status());

        // Redelivered before the lease ran out: nobody may import it yet.
        assertEquals(List.of("m-2026-11-10"), fx.importer().importBatch(fx.deliveries(execution, 2)));
        assertEquals(0, fx.destinationRecords("2026-11-10"));

        fx.clock.advance(WorkflowFixture.LEASE.plusSeconds(1));
        assertEquals(LedgerStatus.FAILED, entry("2026-11-10").status(), "no date stays IMPORTING past its lease");
        assertEquals(List.of(), fx.importer().importBatch(fx.deliveries(execution, 3)));
        assertEquals(1, entry("2026-11-10").importCount());
        assertEquals(4, fx.destinationRecords("2026-11-10"));
        assertEquals(1, fx.reload(execution).progress().imported());
    }

    @Test
    void aFailingDateIsRetriedThenRecordedFailedAndCounted() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-12", "2026-11-13", false));
        AtomicInteger calls = new AtomicInteger();
        Connector flaky = context -> {
            calls.incrementAndGet();
            if (context.date().equals(LocalDate.parse("2026-11-12"))) {
                throw ConnectorException.retryable("source answered 503");
            }
            return 7;
        };
        ImportService importer = fx.importer(sync -> flaky);
        for (int attempt = 1; attempt < WorkflowFixture.MAX_ATTEMPTS; attempt++) {
            List<Delivery> only = fx.deliveries(execution, attempt).subList(0, 1);
            assertEquals(List.of("m-2026-11-12"), importer.importBatch(only), "retried on attempt " + attempt);
            assertEquals(LedgerStatus.FAILED, entry("2026-11-12").status());
        }
        assertEquals(List.of(), importer.importBatch(fx.deliveries(execution, WorkflowFixture.MAX_ATTEMPTS)));
        Execution after = fx.reload(execution);
        assertEquals(1, after.progress().failed());
        assertEquals(1, after.progress().imported());
        assertExact(after);
        Execution.DateOutcome failed = after.outcomes().get(0);
        assertEquals(Outcome.FAILED, failed.outcome());
        assertEquals("source answered 503", failed.error());
        assertEquals(4, calls.get());
        assertEquals(2, fx.retried.size(), "retries go back to the queue with a delay");
        // The date's history keeps the run's failed attempt once (not each retry), with its short error.
        DateHistory history = fx.wiring.ledger().dateHistory(fx.clientId, "orders", LocalDate.parse("2026-11-12"), Instant.now());
        assertEquals(1, history.failedAttempts());
        assertEquals(execution.executionId(), history.failures().get(0).executionId());
        assertEquals("source answered 503", history.failures().get(0).error());
        assertEquals(0, history.failures().get(0).importCount());
        assertEquals(List.of(), history.imports());
        assertEquals(0, fx.wiring.ledger().dateHistory(fx.clientId, "orders", LocalDate.parse("2026-11-13"), Instant.now()).failedAttempts());
    }

    @Test
    void aMalformedMessageIsReportedWithoutFailingTheRestOfItsBatch() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-14", "2026-11-15", false));
        List<Delivery> batch = new ArrayList<>(fx.deliveries(execution, 1));
        batch.add(1, new Delivery("poison", "rh", "{not json", 1));
        batch.add(new Delivery("stranger", "rh", "{\"hello\":\"world\"}", 1));
        assertEquals(List.of("poison", "stranger"), fx.importer().importBatch(batch));
        assertEquals(2, fx.reload(execution).progress().imported());
    }

    @Test
    void aCancelledExecutionImportsNothingMoreAndCountsTheRestCancelled() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-16", "2026-11-18", false));
        fx.importer().importBatch(fx.deliveries(execution, 1).subList(0, 1));
        fx.wiring.executionService().cancel(fx.reload(execution), "operator-2");
        fx.importer().importBatch(fx.deliveries(execution, 1).subList(1, 3));
        Execution after = fx.reload(execution);
        assertEquals(1, after.progress().imported());
        assertEquals(2, after.progress().cancelled());
        assertEquals(0, entry("2026-11-17").importCount());
        assertEquals(0, fx.destinationRecords("2026-11-18"));
        assertExact(after);
        assertEquals(1, fx.workflow.importsDone.size(), "the last outcome resumes the workflow");
    }

    @Test
    void aNonForcedRunSkipsADateImportedSinceItsPlan() {
        Execution first = fx.start(WorkflowFixture.range("2026-11-19", "2026-11-19", false));
        // Another run imports the date between the plan and the claim (here: the same date, forced).
        fx.importer().importBatch(fx.deliveries(first, 1));
        fx.wiring.syncs().unlock(fx.clientId, "orders", first.executionId());
        Execution again = fx.start(WorkflowFixture.range("2026-11-19", "2026-11-20", true));
        fx.wiring.executions().decide(again, new Execution.Confirmation(Execution.Decision.CONFIRMED, "op", fx.clock.instant()));
        fx.importer().importBatch(fx.deliveries(again, 1));
        assertEquals(2, entry("2026-11-19").importCount(), "a confirmed re-import imports again");
        assertEquals(8, fx.destinationRecords("2026-11-19"), "the duplicate records are visible");
        assertEquals(2, fx.wiring.ledger().history(fx.clientId, "orders", LocalDate.parse("2026-11-19")).size());
        assertEquals("op", fx.wiring.ledger().history(fx.clientId, "orders", LocalDate.parse("2026-11-19")).get(1).confirmedBy());
    }

    @Test
    void aForcedRunSkipsADateWhoseImportCountChangedAfterTheConfirmedPlan() {
        Execution seed = fx.start(WorkflowFixture.range("2026-11-21", "2026-11-21", false));
        fx.importer().importBatch(fx.deliveries(seed, 1));
        fx.wiring.syncs().unlock(fx.clientId, "orders", seed.executionId());
        Execution forced = fx.start(WorkflowFixture.range("2026-11-21", "2026-11-21", true));
        assertTrue(forced.plan().requiresConfirmation());
        fx.wiring.executions().decide(forced, new Execution.Confirmation(Execution.Decision.CONFIRMED, "op", fx.clock.instant()));
        // The ledger moves on after the confirmation: one more import than the operator saw.
        LocalDate date = LocalDate.parse("2026-11-21");
        var claim = fx.wiring.ledger().claim(fx.clientId, "orders", date, "someone-else", true, 1, fx.clock.instant(),
                fx.clock.instant().plusSeconds(60));
        fx.wiring.ledger().commit(fx.clientId, "orders", date, new io.syncexec.ledger.ImportRecord(2, "someone-else",
                "MANUAL", "x", "y", 4, fx.clock.instant(), fx.clock.instant()));
        assertTrue(claim.claimed());
        fx.importer().importBatch(fx.deliveries(forced, 1));
        Execution after = fx.reload(forced);
        assertEquals(1, after.progress().skipped(), "never more imports than the operator confirmed");
        assertEquals(2, entry("2026-11-21").importCount());
    }

    @Test
    void finalizeGivesTheTerminalStatusMovesTheWatermarkAndFreesTheSync() {
        Execution execution = fx.start(new io.syncexec.plan.ExecutionRequest(io.syncexec.plan.Mode.DEFAULT,
                null, null, null, false, false, null));
        fx.importer().importBatch(fx.deliveries(execution, 1));
        FinalizeService finalize = fx.wiring.finalizeService();
        WorkflowStep step = new WorkflowStep(fx.clientId, "orders", execution.executionId(), null,
                new WorkflowStep.Ending("COMPLETED", null));
        assertEquals(ExecutionStatus.SUCCEEDED, finalize.finish(step));
        assertEquals(ExecutionStatus.SUCCEEDED, finalize.finish(step), "finalize is idempotent");
        var sync = fx.sync();
        assertEquals(LocalDate.parse("2026-11-25"), sync.watermark());
        assertEquals(LocalDate.parse("2026-11-25"), sync.lastImportedDate());
        assertEquals(null, sync.activeExecutionId());
        assertNotNull(fx.reload(execution).finishedAt());
        fx.clock.advance(Duration.ofDays(1));
        assertEquals(1, fx.wiring.executionService().create(sync, io.syncexec.plan.ExecutionRequest.defaultRun(),
                io.syncexec.execution.Trigger.MANUAL, "op") instanceof io.syncexec.execution.ExecutionService.Started s
                ? s.execution().plan().datesCount() : -1, "the next default run plans only the new day");
    }

    @Test
    void aRedeliveryThatFindsEveryDateDoneSendsTheCompletionAgain() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-03", false));
        fx.workflow.lostCompletions.set(1);
        // The worker recording the last date dies before SendTaskSuccess: its batch comes back.
        assertThrows(WorkflowFixture.WorkerDied.class, () -> fx.importer().importBatch(fx.deliveries(execution, 1)));
        assertEquals(List.of(), fx.workflow.importsDone);
        assertEquals(List.of(), fx.importer().importBatch(fx.deliveries(execution, 2)));

        assertEquals(List.of("completion-" + execution.executionId()), fx.workflow.importsDone, "sent again, once");
        Execution after = fx.reload(execution);
        assertEquals(Execution.Progress.of(3, 3, 0, 0, 0), after.progress());
        for (String date : List.of("2026-11-01", "2026-11-02", "2026-11-03")) {
            assertEquals(1, entry(date).importCount(), date);
            assertEquals(4, fx.destinationRecords(date), "no duplicate records for " + date);
        }
    }

    @Test
    void theWorkerTakesADateOnlyWhileOneMoreFitsAndGivesTheRestBackAtOnce() {
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", false));
        // Each import takes 20 s of the invocation's 60 s; a date needs 20 s + the 5 s margin.
        AtomicLong left = new AtomicLong(60_000);
        Connector slow = context -> {
            left.addAndGet(-20_000);
            return 4;
        };
        List<Delivery> batch = fx.deliveries(execution, 1);
        List<String> back = fx.importer(sync -> slow).importBatch(batch, left::get);

        assertEquals(List.of("m-2026-11-03", "m-2026-11-04", "m-2026-11-05"), back);
        assertEquals(back, fx.retried, "given back to the queue at once, not after the visibility timeout");
        Execution after = fx.reload(execution);
        assertEquals(Execution.Progress.of(5, 2, 0, 0, 0), after.progress(), "the first two dates are recorded before the worker returns");
        assertEquals(List.of(Outcome.IMPORTED, Outcome.IMPORTED, Outcome.PENDING, Outcome.PENDING, Outcome.PENDING),
                after.outcomes().stream().map(Execution.DateOutcome::outcome).toList());

        assertEquals(List.of(), fx.importer().importBatch(batch.subList(2, 5)));
        assertEquals(Execution.Progress.of(5, 5, 0, 0, 0), fx.reload(execution).progress());
        assertEquals(List.of("completion-" + execution.executionId()), fx.workflow.importsDone);
    }

    @Test
    void threeThousandSixHundredSixtyDatesFailingWithLongErrorsEndFailedWithExactCounts() {
        LocalDate last = LocalDate.parse("2026-11-25");
        fx.wiring.syncs().putDefinition(new Sync(fx.clientId, "decade", "Decade", ZoneId.of("Europe/Paris"), last.minusDays(3659),
                true, 3660, false, "demo", Map.of(), null, null, null, null), Instant.now());
        Sync decade = fx.wiring.syncs().get(fx.clientId, "decade").orElseThrow();
        Execution execution = ((ExecutionService.Started) fx.wiring.executionService().create(decade, ExecutionRequest.defaultRun(),
                Trigger.MANUAL, "operator-1")).execution();
        fx.wiring.executions().storeCompletionToken(fx.clientId, "decade", execution.executionId(), "completion-decade");
        assertEquals(3660, execution.plan().datesCount());
        String error = "source refused the request: " + "e".repeat(372);
        Connector refuses = context -> {
            throw ConnectorException.permanent(error);
        };
        ImportService importer = fx.importer(sync -> refuses);
        List<Delivery> all = fx.deliveries(execution, 1);
        for (int i = 0; i < all.size(); i += 10) {
            assertEquals(List.of(), importer.importBatch(all.subList(i, Math.min(all.size(), i + 10))));
        }
        assertEquals(List.of("completion-decade"), fx.workflow.importsDone);

        FinalizeService finalize = fx.wiring.finalizeService();
        assertEquals(ExecutionStatus.FAILED, finalize.finish(new WorkflowStep(fx.clientId, "decade", execution.executionId(), null,
                new WorkflowStep.Ending("COMPLETED", null))));
        Execution ended = fx.wiring.executions().getWithOutcomes(fx.clientId, "decade", execution.executionId()).orElseThrow();
        assertEquals(Execution.Progress.of(3660, 0, 0, 3660, 0), ended.progress());
        assertEquals(error.substring(0, 199) + "…", ended.outcomes().get(0).error(), "errors are capped at 200 characters");
        assertEquals("CONNECTOR_PERMANENT", ended.outcomes().get(0).errorCode());
        assertEquals(null, fx.wiring.syncs().get(fx.clientId, "decade").orElseThrow().activeExecutionId(), "the sync is free");
        var item = fx.standIns.dynamo().getItem(r -> r.tableName(fx.standIns.table("ExecutionsTable"))
                .key(Map.of("syncKey", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(fx.clientId + "#decade"),
                        "executionId", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(execution.executionId())))).item();
        int bytes = item.entrySet().stream().mapToInt(e -> e.getKey().length() + (e.getValue().b() != null
                ? e.getValue().b().asByteArray().length : String.valueOf(e.getValue().s() != null ? e.getValue().s() : e.getValue().n()).length())).sum();
        assertTrue(bytes < 40_000, "the execution item stays far from 400 KB: " + bytes + " bytes");
    }

    /** What a Lambda that runs out of time or memory looks like to the code after the claim. */
    private static final class SimulatedCrash extends Error {
    }
}
