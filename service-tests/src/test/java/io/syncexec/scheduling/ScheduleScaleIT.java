package io.syncexec.scheduling;

import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schedule at scale, on virtual time against dynalite and ElasticMQ: {@code schedule.syncs}
 * syncs (default 200) over {@code schedule.clients} clients (default 20) in 17 time zones with
 * settle delays of 0, 20 or 120 minutes, each up to date (its last complete date imported), then
 * one simulated day of 15-minute heartbeats (96). Every sync's run starts once, within one
 * heartbeat of its due instant; no empty record is written; heartbeats with nothing due write
 * nothing. Prints the figures as a table. The README's benchmark:
 * {@code -Dschedule.syncs=10000 -Dschedule.clients=1000}.
 */
@ExtendWith(StandInsExtension.class)
class ScheduleScaleIT {
    private static final int SYNCS = Integer.getInteger("schedule.syncs", 200);
    private static final int CLIENTS = Integer.getInteger("schedule.clients", 20);
    private static final Duration HEARTBEAT = Duration.ofMinutes(15);
    private static final List<String> ZONES = List.of("Pacific/Auckland", "Australia/Sydney", "Asia/Tokyo", "Asia/Shanghai",
            "Asia/Kolkata", "Asia/Dubai", "Europe/Moscow", "Europe/Paris", "Europe/London", "Atlantic/Azores", "America/Sao_Paulo",
            "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Pacific/Honolulu", "UTC");
    private static final int[] SETTLE = {0, 20, 120};

    @Test
    void oneDayOfHeartbeatsStartsEachSyncOnceAndWritesNothingWhenNothingIsDue(StandIns standIns) {
        Instant start = Instant.parse("2026-06-10T00:00:00Z"); // no DST change in these zones that day
        ScheduleHarness harness = new ScheduleHarness(standIns, start);
        String run = "scale" + System.nanoTime() % 1_000_000;
        long setupStarted = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            harness.client(run + "-c" + c);
        }
        for (int i = 0; i < SYNCS; i++) {
            String clientId = run + "-c" + (i % CLIENTS);
            String syncId = "sync" + i;
            ZoneId zone = ZoneId.of(ZONES.get(i % ZONES.size()));
            int settle = SETTLE[(i / ZONES.size()) % SETTLE.length];
            harness.sync(clientId, syncId, zone.getId(), LocalDate.of(2026, 5, 1), true, settle);
            // Up to date: every date due by the start imported, due again when the next date completes there.
            Instant due = dueAfter(start, zone, settle);
            String imported = due.minus(Duration.ofMinutes(settle)).atZone(zone).toLocalDate().minusDays(2).toString();
            String next = Long.toString(due.getEpochSecond());
            standIns.dynamo().updateItem(r -> r.tableName(harness.syncsTable)
                    .key(Map.of("clientId", AttributeValue.fromS(clientId), "syncId", AttributeValue.fromS(syncId)))
                    .updateExpression("SET watermark = :d, lastImportedDate = :d, nextDueAt = :n")
                    .expressionAttributeValues(Map.of(":d", AttributeValue.fromS(imported), ":n", AttributeValue.fromN(next))));
        }
        double setupSeconds = (System.nanoTime() - setupStarted) / 1e9;
        harness.clearCounts();

        long longestTickMs = 0;
        int largestTick = 0;
        int emptyHeartbeats = 0;
        int consumerInvocations = 0;
        long dayStarted = System.nanoTime();
        for (int beat = 1; beat <= 96; beat++) {
            harness.clock.advance(HEARTBEAT);
            long writesBefore = harness.writes();
            long tickStarted = System.nanoTime();
            ScheduleService.Tick tick = harness.tickNow();
            longestTickMs = Math.max(longestTickMs, (System.nanoTime() - tickStarted) / 1_000_000);
            assertEquals(List.of(), tick.failed());
            largestTick = Math.max(largestTick, tick.due());
            if (tick.due() == 0) {
                emptyHeartbeats++;
                assertEquals(writesBefore, harness.writes(), "a heartbeat with nothing due writes nothing");
            }
            consumerInvocations += harness.drain();
        }
        double daySeconds = (System.nanoTime() - dayStarted) / 1e9;

        long started = harness.started.stream().filter(s -> s.execution().clientId().startsWith(run)).count();
        long empty = harness.started.stream().filter(s -> s.execution().plan().datesCount() == 0).count();
        List<Long> afterDue = harness.started.stream().map(s -> {
            int i = Integer.parseInt(s.execution().syncId().substring(4));
            ZoneId zone = ZoneId.of(ZONES.get(i % ZONES.size()));
            return Duration.between(dueAfter(start, zone, SETTLE[(i / ZONES.size()) % SETTLE.length]), s.at()).toSeconds();
        }).toList();
        long earliest = afterDue.stream().mapToLong(Long::longValue).min().orElse(0);
        long latest = afterDue.stream().mapToLong(Long::longValue).max().orElse(0) / 60;
        long stepFunctionsStarts = started;
        long sqs = harness.count("sendMessageBatch") + harness.count("receiveMessage") + harness.count("deleteMessageBatch");
        long dynamo = harness.total() - sqs;
        long all = dynamo + sqs + stepFunctionsStarts;

        System.out.printf("%n| scheduled runs: %,d syncs, %,d clients, one day of 15-minute heartbeats (local mode, virtual time) | value |%n|---|---|%n",
                SYNCS, CLIENTS);
        System.out.printf("| heartbeats | 96 (%d found nothing due and wrote nothing) |%n", emptyHeartbeats);
        System.out.printf("| runs started | %,d |%n| empty records written | %d |%n", started, empty);
        System.out.printf("| latest start after its due instant | %d min (≤ one heartbeat) |%n", latest);
        System.out.printf("| AWS requests for the day (DynamoDB %,d, SQS %,d, StartExecution %,d) | %,d |%n", dynamo, sqs, stepFunctionsStarts, all);
        System.out.printf("| AWS requests per sync per day | %.2f |%n", (double) all / SYNCS);
        System.out.printf("| longest tick (wall, dynalite) | %d ms |%n| largest batch one tick invocation handled | %,d due syncs |%n",
                longestTickMs, largestTick);
        System.out.printf("| largest batch one start invocation handled | %d messages (%,d invocations) |%n",
                harness.largestConsumerBatch, consumerInvocations);
        System.out.printf("| wall time: setup / the simulated day | %.1f s / %.1f s |%n%n", setupSeconds, daySeconds);
        System.out.println("| requests by operation | count | per sync per day |\n|---|---|---|");
        new java.util.TreeMap<>(harness.requests).forEach((k, v) -> System.out.printf("| %s | %,d | %.2f |%n", k, v.get(), (double) v.get() / SYNCS));
        // By the function that makes them: the heartbeat (tick) and the start queue's consumer (its
        // StartExecution counted one per run). The consumer's receives are one per invocation, without
        // waiting: Lambda's pollers' idle long polls are left out (README).
        Map<String, Long> byCaller = new java.util.TreeMap<>();
        harness.byCaller.forEach((k, v) -> byCaller.merge(k.substring(0, k.indexOf(' ')), v.get(), Long::sum));
        byCaller.merge(ScheduleHarness.CONSUMER, stepFunctionsStarts, Long::sum);
        System.out.println("\n| requests by caller | count | per sync per day |\n|---|---|---|");
        byCaller.forEach((k, v) -> System.out.printf("| %s | %,d | %.2f |%n", k, v, (double) v / SYNCS));
        System.out.println("\n| requests by caller, operation | count | per sync per day |\n|---|---|---|");
        new java.util.TreeMap<>(harness.byCaller).forEach((k, v) -> System.out.printf("| %s | %,d | %.2f |%n", k, v.get(), (double) v.get() / SYNCS));
        System.out.printf("| %s startExecution | %,d | %.2f |%n", ScheduleHarness.CONSUMER, stepFunctionsStarts, (double) stepFunctionsStarts / SYNCS);
        System.out.println();
        assertEquals(all, byCaller.values().stream().mapToLong(Long::longValue).sum(), "every request has its caller");

        assertEquals(SYNCS, started, "each sync's run starts once in the day");
        assertEquals(0, empty);
        assertTrue(earliest >= 0, "no run starts before its date completed in its zone + its settle delay: " + earliest + " s");
        assertTrue(latest < HEARTBEAT.toMinutes(), "started within one heartbeat: " + latest);
        assertTrue(emptyHeartbeats > 0);
        assertTrue(harness.largestConsumerBatch <= 10);
        harness.close();
    }

    /**
     * When a sync of {@code zone} with {@code settle} minutes is next due after {@code start}, worked
     * out here rather than by the code under test: the first local midnight after {@code start - settle},
     * plus {@code settle} (the zones have no DST change around the start).
     */
    private static Instant dueAfter(Instant start, ZoneId zone, int settle) {
        Instant shifted = start.minus(Duration.ofMinutes(settle));
        return shifted.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant().plus(Duration.ofMinutes(settle));
    }
}
