package io.syncexec.scheduling;

import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.execution.Trigger;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import io.syncexec.sync.Sync;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schedule on virtual time against dynalite and ElasticMQ: a sync's default run starts at the
 * first heartbeat after its date completes in its own time zone (+ its settle delay), DST days
 * included; heartbeats with nothing due write nothing and no run records "0 dates"; overlapping
 * and repeated ticks and messages start each run once; one sync's failure holds up no other.
 * Each test runs at virtual times of its own, on a syncs table (so a due index) and a start queue of
 * its own: no other test's syncs are ever due in its ticks.
 */
@ExtendWith(StandInsExtension.class)
class ScheduleServiceIT {
    private static final Duration HEARTBEAT = Duration.ofMinutes(15);
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final String clientId = "sched" + CLIENTS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    private ScheduleHarness harness;

    @AfterEach
    void dropTheHarness() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void eachSyncsRunStartsAtTheFirstHeartbeatAfterItsDateCompletesInItsZoneAcrossTheParisDstDay(StandIns standIns) {
        // 2026-10-25 is 25 hours long in Paris (CEST -> CET).
        harness = new ScheduleHarness(standIns, Instant.parse("2026-10-24T00:00:00Z"));
        harness.client(clientId);
        LocalDate first = LocalDate.of(2026, 10, 20);
        harness.sync(clientId, "paris", "Europe/Paris", first, true, 0);
        harness.sync(clientId, "newyork", "America/New_York", first, true, 0);
        harness.sync(clientId, "auckland", "Pacific/Auckland", first, true, 0);
        harness.sync(clientId, "kolkata-settle-100", "Asia/Kolkata", first, true, 100);
        harness.sync(clientId, "off", "Europe/Paris", first, false, 0);

        int heartbeats = 0;
        int emptyHeartbeats = 0;
        Instant end = Instant.parse("2026-10-27T00:00:00Z");
        while (harness.clock.instant().isBefore(end)) {
            long writesBefore = harness.writes();
            ScheduleService.Tick tick = harness.tickNow();
            assertEquals(List.of(), tick.failed());
            if (tick.due() == 0) {
                emptyHeartbeats++;
                assertEquals(writesBefore, harness.writes(), "a heartbeat with nothing due writes nothing");
            }
            harness.drain();
            harness.clock.advance(HEARTBEAT);
            heartbeats++;
        }
        assertEquals(288, heartbeats);
        assertTrue(emptyHeartbeats > 270, "heartbeats with nothing due: " + emptyHeartbeats);

        // The first heartbeat finds every enabled sync due (dates since 2026-10-20 missing); then one run per completed date.
        assertEquals(List.of("2026-10-24T00:00:00Z", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", "2026-10-26T23:00:00Z"),
                startTimes("paris"), "Paris: midnight CEST, then after the 25-hour day midnight CET");
        assertEquals(List.of("2026-10-24T00:00:00Z", "2026-10-24T04:00:00Z", "2026-10-25T04:00:00Z", "2026-10-26T04:00:00Z"),
                startTimes("newyork"));
        assertEquals(List.of("2026-10-24T00:00:00Z", "2026-10-24T11:00:00Z", "2026-10-25T11:00:00Z", "2026-10-26T11:00:00Z"),
                startTimes("auckland"));
        // Midnight in Kolkata is 18:30Z; + 100 minutes = 20:10Z, started by the 20:15Z heartbeat.
        assertEquals(List.of("2026-10-24T00:00:00Z", "2026-10-24T20:15:00Z", "2026-10-25T20:15:00Z", "2026-10-26T20:15:00Z"),
                startTimes("kolkata-settle-100"));
        assertEquals(List.of(), startTimes("off"));

        // Each daily run imports the date that just completed there, and no run was recorded with nothing to do.
        List<ScheduleHarness.Started> paris = harness.startedOf(clientId, "paris");
        assertEquals(List.of("2026-10-24", "2026-10-25", "2026-10-26"),
                paris.subList(1, 4).stream().map(s -> s.execution().plan().dates().toString().replaceAll("[\\[\\]]", "")).toList());
        for (String syncId : List.of("paris", "newyork", "auckland", "kolkata-settle-100")) {
            List<Execution> runs = harness.wiring.executions().list(clientId, syncId, 50, null).executions();
            assertEquals(4, runs.size(), syncId);
            assertEquals(runs.stream().map(Execution::createdAt).sorted(java.util.Comparator.reverseOrder()).toList(),
                    runs.stream().map(Execution::createdAt).toList(), "the run history lists scheduled runs newest first: " + syncId);
            for (Execution run : runs) {
                assertEquals(Trigger.SCHEDULE, run.trigger());
                assertTrue(run.plan().datesCount() > 0, "no empty scheduled record: " + run);
            }
        }
        Sync paris1 = harness.wiring.syncs().get(clientId, "paris").orElseThrow();
        assertEquals(Instant.parse("2026-10-27T23:00:00Z"), paris1.nextDueAt(), "next due: the end of 2026-10-27 in Paris");
        assertEquals(Instant.parse("2026-10-26T23:00:00Z"), paris1.lastCheckedAt());
        assertNull(harness.wiring.syncs().get(clientId, "off").orElseThrow().nextDueAt(), "a disabled sync is not in the index");
    }

    @Test
    void aDueSyncWithNothingMissingWritesNoRecordAndIsDueAgainTheNextDay(StandIns standIns) {
        harness = new ScheduleHarness(standIns, Instant.parse("2026-09-10T06:00:00Z"));
        harness.client(clientId);
        harness.sync(clientId, "future", "Europe/Paris", LocalDate.of(2026, 9, 20), true, 0);

        ScheduleService.Tick tick = harness.tickNow();
        assertEquals(1, tick.due());
        assertEquals(1, tick.enqueued());
        harness.drain();
        assertEquals(List.of(), harness.wiring.executions().list(clientId, "future", 10, null).executions(),
                "nothing to import: nothing recorded");
        assertEquals(Instant.parse("2026-09-10T22:00:00Z"), harness.wiring.syncs().get(clientId, "future").orElseThrow().nextDueAt());
        assertEquals(0, harness.tickNow().due(), "not due again before its next date completes");
    }

    @Test
    void overlappingTicksATickDeliveredTwiceAndAStartDeliveredTwiceStartEachDueSyncOnce(StandIns standIns) throws Exception {
        harness = new ScheduleHarness(standIns, Instant.parse("2026-08-12T09:00:00Z"));
        harness.client(clientId);
        for (int i = 0; i < 25; i++) {
            harness.sync(clientId, "s" + i, i % 2 == 0 ? "Europe/Paris" : "America/Los_Angeles", LocalDate.of(2026, 8, 1), true, 0);
        }
        Instant now = harness.clock.instant();
        List<CompletableFuture<ScheduleService.Tick>> ticks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ticks.add(CompletableFuture.supplyAsync(() -> harness.tick().tick(now)));
        }
        int enqueued = 0;
        for (CompletableFuture<ScheduleService.Tick> tick : ticks) {
            enqueued += tick.get().enqueued();
        }
        enqueued += harness.tick().tick(now).enqueued(); // the same tick delivered again
        assertEquals(25, enqueued, "each due sync claimed by exactly one tick");

        // Every start delivered twice (SQS is at-least-once): the second finds its run.
        List<String> bodies = new ArrayList<>();
        for (var message : standIns.sqs().receiveMessage(r -> r.queueUrl(harness.queueUrl).maxNumberOfMessages(10)).messages()) {
            bodies.add(message.body());
        }
        for (String body : bodies) {
            standIns.sqs().sendMessage(r -> r.queueUrl(harness.queueUrl).messageBody(body));
        }
        harness.drain();
        assertEquals(25, harness.started.size());
        for (int i = 0; i < 25; i++) {
            assertEquals(1, harness.wiring.executions().list(clientId, "s" + i, 10, null).executions().size(), "s" + i);
        }
        assertTrue(harness.largestConsumerBatch <= 10);
    }

    @Test
    void oneSyncsFailureIsReportedForRetryAndEveryOtherSyncStillStarts(StandIns standIns) {
        harness = new ScheduleHarness(standIns, Instant.parse("2026-07-15T12:00:00Z"));
        harness.client(clientId);
        for (String syncId : List.of("a-typo", "b-start-fails", "c-healthy")) {
            harness.sync(clientId, syncId, "Europe/Paris", LocalDate.of(2026, 7, 10), true, 0);
        }
        // Stored before firstDate was checked at PUT.
        standIns.dynamo().updateItem(r -> r.tableName(harness.syncsTable)
                .key(Map.of("clientId", AttributeValue.fromS(clientId), "syncId", AttributeValue.fromS("a-typo")))
                .updateExpression("SET firstDate = :typo").expressionAttributeValues(Map.of(":typo", AttributeValue.fromS("0202-01-01"))));
        harness.failingStarts.add("b-start-fails");

        ScheduleService.Tick tick = harness.tickNow();
        assertEquals(3, tick.enqueued());
        harness.drain();

        assertEquals(List.of("a-typo", "c-healthy"), harness.started.stream().map(s -> s.execution().syncId()).sorted().toList());
        Execution typo = harness.wiring.executions().list(clientId, "a-typo", 10, null).executions().get(0);
        assertEquals(Sync.MAX_DEFAULT_RUN_DATES, typo.plan().datesCount(), "the typo sync's run is bounded, and runs");
        // StartExecution failed: the run is recorded FAILED, the sync is free; its dates wait for its next due run.
        List<Execution> failedStart = harness.wiring.executions().list(clientId, "b-start-fails", 10, null).executions();
        assertEquals(ExecutionStatus.FAILED, failedStart.get(0).status());
        assertNull(harness.wiring.syncs().get(clientId, "b-start-fails").orElseThrow().activeExecutionId());
    }

    private List<String> startTimes(String syncId) {
        return harness.startedOf(clientId, syncId).stream().map(s -> s.at().toString()).toList();
    }

    @Test
    void aPausedSyncStartsNoScheduledRunEvenWhenItsStartWasQueuedBeforeThePauseAndResumedItIsDueAgain(StandIns standIns) {
        harness = new ScheduleHarness(standIns, Instant.parse("2026-10-10T06:00:00Z"));
        harness.client(clientId);
        harness.sync(clientId, "migrating", "Europe/Paris", LocalDate.of(2026, 10, 1), true, 0);
        assertEquals(1, harness.tickNow().enqueued());

        // Paused after the heartbeat queued its start: the start finds it paused and writes nothing.
        Sync sync = harness.wiring.syncs().get(clientId, "migrating").orElseThrow();
        Instant now = harness.clock.instant();
        harness.wiring.syncs().putDefinition(sync.administered(sync.connectorConfig(),
                new io.syncexec.sync.SyncPause("Source migrating", "admin-1", now), sync.revision()), now);
        long writes = harness.writes();
        harness.drain();
        assertEquals(List.of(), harness.startedOf(clientId, "migrating"));
        assertEquals(List.of(), harness.wiring.executions().list(clientId, "migrating", 10, null).executions());
        assertEquals(writes, harness.writes(), "a paused sync's queued start writes nothing");
        harness.clock.advance(Duration.ofDays(2));
        assertEquals(0, harness.tickNow().due(), "a paused sync is not in the due index: the heartbeat never finds it");

        harness.wiring.syncs().putDefinition(sync.administered(sync.connectorConfig(), null, sync.revision()), harness.clock.instant());
        assertEquals(1, harness.tickNow().enqueued(), "resumed, it is due at once");
        harness.drain();
        assertEquals(1, harness.startedOf(clientId, "migrating").size());
    }
}
