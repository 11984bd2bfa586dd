package io.syncexec.workflow;

import io.syncexec.connector.Connector;
import io.syncexec.connector.ConnectorException;
import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

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
    private static final Duration CONFIRMATION_TIMEOUT = Duration.ofSeconds(86400); // the fixture's CONFIRMATION_TIMEOUT_SECONDS

    record Row(String fault, ExecutionStatus expected, Execution.Progress expectedProgress, ExecutionStatus status,
                       Execution.Progress progress, long duplicates, Duration toTerminal, boolean unlocked) {
    }

    @Test
    void everyFaultEndsTerminalWithExactCountsNoDuplicateAndAFreeSync(StandIns standIns) {
        List<Row> rows = new ArrayList<>();
        rows.add(theConfirmationSignalFailsOnce(new WorkflowFixture(standIns)));
        rows.add(workerDiesAfterTheLastOutcomeBeforeTheSignal(new WorkflowFixture(standIns)));
        rows.add(workerKilledByItsTimeoutMidBatch(new WorkflowFixture(standIns)));
        rows.add(everyMessageDeliveredTwice(new WorkflowFixture(standIns)));
        rows.add(aSourceThatHangsPastTheFunctionTimeout(new WorkflowFixture(standIns)));
        rows.add(thirtyPercentConnectorFailures(new WorkflowFixture(standIns)));
        rows.add(finalizeFailsForGood(new WorkflowFixture(standIns)));
        rows.add(startExecutionFails(new WorkflowFixture(standIns)));
        rows.add(dynamoDbThrottlesTenPercentOfWrites(standIns));
        rows.add(threeThousandSixHundredSixtyDatesFailingWithLongErrors(new WorkflowFixture(standIns)));
        rows.add(cancelMidRun(new WorkflowFixture(standIns)));
        rows.add(theConfirmationExpires(new WorkflowFixture(standIns)));
        rows.add(aSyncWithAFirstDateTypo(new WorkflowFixture(standIns)));
        rows.add(theWorkflowStoppedByHand(new WorkflowFixture(standIns)));

        printAndCheck(rows);
    }

    /** Prints the rows as the README's fault table and checks each: terminal as expected, exact counts, no duplicate, sync free. */
    static void printAndCheck(List<Row> rows) {
        System.out.printf("%n| fault | final status | planned | imported | failed | skipped | cancelled | duplicates | to terminal (virtual) | sync unlocked |%n");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            Execution.Progress p = r.progress();
            System.out.printf("| %s | %s | %d | %d | %d | %d | %d | %d | %s | %s |%n", r.fault(), r.status(), p.planned(), p.imported(),
                    p.failed(), p.skipped(), p.cancelled(), r.duplicates(), virtual(r.toTerminal()), r.unlocked() ? "yes" : "NO");
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

    private Row theConfirmationSignalFailsOnce(WorkflowFixture fx) {
        Execution reimport = awaitingConfirmation(fx, "confirm-token");
        Instant start = reimport.createdAt();
        ExecutionService service = fx.wiring.executionService();
        String digest = reimport.plan().planDigest();
        fx.workflow.failingConfirms.set(1);
        Refusal failed = assertThrows(Refusal.class,
                () -> service.decide(fx.reload(reimport), true, digest, "operator-2"));
        assertEquals(Reason.SERVICE_UNAVAILABLE, failed.reason()); // 503: recorded, not delivered
        assertEquals(List.of(), fx.workflow.confirmed);
        assertEquals(ExecutionStatus.RUNNING, fx.reload(reimport).status());
        service.decide(fx.reload(reimport), true, digest, "operator-2"); // the retry re-sends the recorded decision
        assertEquals(List.of("confirm-token"), fx.workflow.confirmed);
        assertTrue(fx.wiring.executions().taskToken(fx.clientId, "orders", reimport.executionId()).isEmpty());
        fx.importer().importBatch(fx.deliveries(reimport, 1));
        finalizeCompleted(fx, reimport);
        return row(fx, "SendTaskSuccess for the confirmation fails once (the retry re-sends it)", reimport, start,
                ExecutionStatus.SUCCEEDED, Execution.Progress.of(5, 5, 0, 0, 0));
    }

    private Row thirtyPercentConnectorFailures(WorkflowFixture fx) {
        Instant start = fx.clock.instant();
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-10", false));
        Connector real = fx.wiring.connectors().forSync(fx.sync().connection());
        // 3 dates of 10 fail on every attempt (retryable); the last attempt records FAILED.
        Connector flaky = context -> {
            if (context.date().getDayOfMonth() % 3 == 0) {
                throw ConnectorException.retryable("http connector: source answered 503 Service Unavailable");
            }
            return real.importDate(context);
        };
        List<ImportService.Delivery> batch = fx.deliveries(execution, 1);
        for (int attempt = 1; attempt <= WorkflowFixture.MAX_ATTEMPTS; attempt++) {
            fx.retried.clear();
            fx.importer(sync -> flaky).importBatch(batch);
            List<String> back = List.copyOf(fx.retried);
            assertEquals(attempt < WorkflowFixture.MAX_ATTEMPTS ? 3 : 0, back.size());
            batch = fx.deliveries(execution, attempt + 1).stream().filter(d -> back.contains(d.messageId())).toList();
            if (batch.isEmpty()) {
                break;
            }
            fx.clock.advance(VISIBILITY); // the failed dates come back
        }
        assertEquals(1, fx.workflow.importsDone.size());
        finalizeCompleted(fx, execution);
        return row(fx, "30 % connector failures (3 of 10 dates, retried, then FAILED)", execution, start,
                ExecutionStatus.PARTIALLY_FAILED, Execution.Progress.of(10, 7, 0, 3, 0));
    }

    private Row startExecutionFails(WorkflowFixture fx) {
        Instant start = fx.clock.instant();
        fx.workflow.startFails = true;
        Refusal refused = assertThrows(Refusal.class, () -> fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", false)));
        assertEquals(Reason.SERVICE_UNAVAILABLE, refused.reason());
        assertEquals(List.of(), fx.workflow.started);
        Execution execution = fx.wiring.executions().list(fx.clientId, "orders", 1, null).executions().get(0);
        assertEquals(execution.executionId(), refused.details().get("executionId"));
        return row(fx, "StartExecution fails (the start answers 503)", execution, start,
                ExecutionStatus.FAILED, Execution.Progress.of(5, 0, 0, 0, 5));
    }

    private Row dynamoDbThrottlesTenPercentOfWrites(StandIns standIns) {
        ThrottleEveryTenthWrite throttle = new ThrottleEveryTenthWrite();
        try (DynamoDbClient throttled = DynamoDbClient.builder()
                .endpointOverride(standIns.dynamoEndpoint())
                .region(Region.of(StandIns.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(StandIns.ACCESS_KEY_ID, StandIns.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).addExecutionInterceptor(throttle))
                .build()) {
            WorkflowFixture fx = new WorkflowFixture(standIns, throttled);
            Instant start = fx.clock.instant();
            Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-10", false));
            List<ImportService.Delivery> deliveries = fx.deliveries(execution, 1);
            fx.importer().importBatch(deliveries.subList(0, 5));
            fx.importer().importBatch(deliveries.subList(5, 10));
            finalizeCompleted(fx, execution);
            // Every 10th write answered ProvisionedThroughputExceededException; the SDK's standard retry absorbed each.
            assertTrue(throttle.throttled.get() > 0, throttle.throttled + " of " + throttle.writes);
            System.out.printf("DynamoDB throttled %d of %d write attempts; the SDK's standard retry absorbed each%n",
                    throttle.throttled.get(), throttle.writes.get());
            assertEquals(List.of(), fx.retried);
            return row(fx, "DynamoDB throttles 10 % of writes", execution, start,
                    ExecutionStatus.SUCCEEDED, Execution.Progress.of(10, 10, 0, 0, 0));
        }
    }

    /** Answers every 10th DynamoDB write attempt as DynamoDB does when it throttles, before it is sent. */
    private static final class ThrottleEveryTenthWrite implements ExecutionInterceptor {
        final AtomicInteger writes = new AtomicInteger();
        final AtomicInteger throttled = new AtomicInteger();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            SdkRequest request = context.request();
            boolean write = request instanceof PutItemRequest || request instanceof UpdateItemRequest
                    || request instanceof DeleteItemRequest || request instanceof BatchWriteItemRequest
                    || request instanceof TransactWriteItemsRequest;
            if (write && writes.incrementAndGet() % 10 == 0) {
                throttled.incrementAndGet();
                String message = "The level of configured provisioned throughput for the table was exceeded.";
                throw ProvisionedThroughputExceededException.builder().message(message).statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                                .errorMessage(message).serviceName("DynamoDb").build())
                        .build();
            }
        }
    }

    private Row cancelMidRun(WorkflowFixture fx) {
        Instant start = fx.clock.instant();
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-10", false));
        List<ImportService.Delivery> deliveries = fx.deliveries(execution, 1);
        fx.importer().importBatch(deliveries.subList(0, 4));
        fx.clock.advance(Duration.ofMinutes(1));
        fx.wiring.executionService().cancel(fx.reload(execution), "operator-1");
        fx.importer().importBatch(deliveries.subList(4, 10)); // the rest: nothing imported, each CANCELLED
        assertEquals(1, fx.workflow.importsDone.size());
        finalizeCompleted(fx, execution);
        return row(fx, "cancel mid-run (after 4 of 10 dates)", execution, start,
                ExecutionStatus.CANCELLED, Execution.Progress.of(10, 4, 0, 0, 6));
    }

    private Row theConfirmationExpires(WorkflowFixture fx) {
        Execution reimport = awaitingConfirmation(fx, "expiring-token");
        Instant start = reimport.createdAt();
        fx.clock.advance(CONFIRMATION_TIMEOUT); // the wait's timeout: the workflow goes to Finalize with EXPIRED
        fx.wiring.finalizeService()
                .finish(new WorkflowStep(fx.clientId, reimport.syncId(), reimport.executionId(), null,
                        new WorkflowStep.Ending("EXPIRED", null)));
        assertTrue(fx.wiring.executions().taskToken(fx.clientId, "orders", reimport.executionId()).isEmpty());
        Refusal late = assertThrows(Refusal.class, () -> fx.wiring.executionService()
                .decide(fx.reload(reimport), true, reimport.plan().planDigest(), "operator-2"));
        assertEquals(Reason.ALREADY_FINISHED, late.reason());
        assertEquals(List.of(), fx.workflow.confirmed);
        return row(fx, "the confirmation expires", reimport, start, ExecutionStatus.EXPIRED, Execution.Progress.of(5, 0, 0, 0, 5));
    }

    private Row aSyncWithAFirstDateTypo(WorkflowFixture fx) {
        // Stored before PUT refused such dates (or written to the table directly): 0202-01-01 for 2020-01-01.
        LocalDate typo = LocalDate.of(202, 1, 1);
        fx.wiring.syncs().putDefinition(new Sync(fx.clientId, "orders", "Orders", ZoneId.of("Europe/Paris"), typo,
                true, 366, false, "demo", Map.of("recordsPerDate", RECORDS_PER_DATE), null, null, null, null), Instant.now());
        Instant start = fx.clock.instant();
        Execution execution = ((ExecutionService.Started) fx.wiring.executionService().create(fx.sync(), ExecutionRequest.defaultRun(),
                Trigger.MANUAL, "operator-1")).execution();
        fx.wiring.executions().storeCompletionToken(fx.clientId, "orders", execution.executionId(), "completion");
        assertEquals(Sync.MAX_DEFAULT_RUN_DATES, execution.plan().datesCount());
        assertEquals(typo, execution.plan().dates().get(0));
        assertTrue(execution.plan().remainingDates() > 0, "the next default run continues");
        Connector refuses = context -> {
            throw ConnectorException.permanent("source answered 400: no data before 2019-06-01, asked for " + context.date());
        };
        ImportService importer = fx.importer(sync -> refuses);
        List<ImportService.Delivery> all = fx.deliveries(execution, 1);
        for (int i = 0; i < all.size(); i += 10) {
            importer.importBatch(all.subList(i, Math.min(all.size(), i + 10)));
        }
        finalizeCompleted(fx, execution);
        return row(fx, "a sync with a firstDate typo (0202-01-01, stored): a default run plans 3,660 dates", execution, start,
                ExecutionStatus.FAILED, Execution.Progress.of(3660, 0, 0, 3660, 0));
    }

    /** The first 5 days of November imported by a first run, then a re-import of them waiting for its confirmation. */
    private static Execution awaitingConfirmation(WorkflowFixture fx, String taskToken) {
        Execution first = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", false));
        fx.importer().importBatch(fx.deliveries(first, 1));
        finalizeCompleted(fx, first);
        fx.clock.advance(Duration.ofMinutes(1));
        Execution reimport = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-05", true));
        assertEquals(ExecutionStatus.AWAITING_CONFIRMATION, reimport.status());
        fx.wiring.confirmationService()
                .awaitConfirmation(new WorkflowStep(fx.clientId, reimport.syncId(), reimport.executionId(), taskToken, null));
        return reimport;
    }

    /** A virtual duration as the README's table shows it: 0, 6 min, 1 h, 24 h 1 min. */
    static String virtual(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        List<String> parts = new ArrayList<>();
        if (d.toHours() > 0) {
            parts.add(d.toHours() + " h");
        }
        if (d.toMinutesPart() > 0) {
            parts.add(d.toMinutesPart() + " min");
        }
        if (d.toSecondsPart() > 0 || parts.isEmpty()) {
            parts.add(d.toSecondsPart() + " s");
        }
        return String.join(" ", parts);
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
        Connector real = fx.wiring.connectors().forSync(fx.sync().connection());
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
                true, 3660, false, "demo", Map.of("recordsPerDate", RECORDS_PER_DATE), null, null, null, null), Instant.now());
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

    static void finalizeCompleted(WorkflowFixture fx, Execution execution) {
        fx.wiring.finalizeService()
                .finish(new WorkflowStep(fx.clientId, execution.syncId(), execution.executionId(), null,
                        new WorkflowStep.Ending("COMPLETED", null)));
    }

    private static void sweepAfterTheNextTick(WorkflowFixture fx) {
        fx.clock.advance(TICK);
        fx.wiring.sweeper().sweep();
    }

    static Row row(WorkflowFixture fx, String fault, Execution execution, Instant start,
                           ExecutionStatus expected, Execution.Progress expectedProgress) {
        Execution ended = fx.reload(execution);
        assertTrue(ended.status().terminal(), fault + ": " + ended.status());
        // A duplicate: a date imported more than once by this run (ledger: more imports than before the
        // plan plus one; a confirmed re-import is the one), or with more records than those imports wrote.
        List<LocalDate> dates = ended.plan().dates();
        var entries = fx.wiring.ledger().read(fx.clientId, execution.syncId(), dates.get(0), dates.get(dates.size() - 1));
        long duplicates = entries.entrySet().stream()
                .filter(e -> e.getValue().importCount() > ended.plan().importCountAtPlan(e.getKey()) + 1).count();
        if (dates.size() <= 31) {
            duplicates += dates.stream().filter(d -> fx.destinationRecords(d.toString())
                    > (long) RECORDS_PER_DATE * (ended.plan().importCountAtPlan(d) + 1)).count();
        }
        return new Row(fault, expected, expectedProgress, ended.status(), ended.progress(), duplicates,
                Duration.between(start, ended.finishedAt()), fx.sync().activeExecutionId() == null);
    }
}
