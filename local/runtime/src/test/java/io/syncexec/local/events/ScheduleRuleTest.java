package io.syncexec.local.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.syncexec.standins.Await;
import io.syncexec.stepfunctions.engine.VirtualScheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rule on virtual time: the scheduler's action hands each tick to the rule's worker thread, so what
 * the target saw is awaited, and what must not have happened is read from {@link ScheduleRule#nextTick()},
 * which the scheduler's action moves before it returns.
 */
class ScheduleRuleTest {

    private static final Instant START = Instant.parse("2030-03-01T10:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final VirtualScheduler time = new VirtualScheduler(START);
    private final List<Instant> fired = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);
    private ScheduleRule rule;

    @AfterEach
    void close() {
        if (rule != null) {
            rule.close();
        }
    }

    private ScheduleRule start(String expression, ScheduleRule.Target target) {
        rule = ScheduleRule.start("local-Tick", ScheduleExpression.parse(expression), time, target, WAIT, log);
        return rule;
    }

    /** A rule whose target records each tick's time and answers "ok". */
    private ScheduleRule startRecording(String expression) {
        return start(expression, tick -> {
            fired.add(tick);
            return "ok";
        });
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    /** Waits until the target saw exactly {@code ticks} and each of them is done (its line logged). */
    private void awaitFired(Instant... ticks) {
        Await.until(WAIT, "ticks " + List.of(ticks) + " done, fired so far " + fired, () -> fired.equals(List.of(ticks))
                && List.of(ticks).stream().allMatch(tick -> log().contains(" fired at " + tick + ": ") || log().contains(" tick at " + tick + " failed: ")));
    }

    @Test
    void firesOncePerPeriodFromOnePeriodAfterItStartsAndNotBefore() {
        startRecording("rate(1 hour)");
        assertEquals(START.plus(HOUR), rule.nextTick());

        time.advance(HOUR.minusSeconds(1));
        assertEquals(START.plus(HOUR), rule.nextTick(), "no tick before the first hour has passed");
        assertEquals(List.of(), fired);

        time.advance(Duration.ofSeconds(1));
        awaitFired(START.plus(HOUR));
        assertEquals(START.plus(HOUR.multipliedBy(2)), rule.nextTick());

        time.advance(HOUR);
        awaitFired(START.plus(HOUR), START.plus(HOUR.multipliedBy(2)));
        Await.until(WAIT, "two log lines", () -> log().lines().count() == 2);
        assertEquals("schedule: local-Tick fired at 2030-03-01T11:00:00Z: ok", log().lines().findFirst().orElseThrow());
    }

    @Test
    void aTickIsGivenItsDueTimeInWholeSecondsAsEventBridgeSendsIt() {
        time.advance(Duration.ofMillis(1_500));
        startRecording("rate(5 minutes)");
        time.advance(Duration.ofMinutes(5));
        awaitFired(Instant.parse("2030-03-01T10:05:01Z"));
    }

    @Test
    void aFailedTickIsLoggedAndTheNextOneStillFires() {
        start("rate(1 minute)", tick -> {
            fired.add(tick);
            if (fired.size() == 1) {
                throw new IllegalStateException("the function failed");
            }
            return "ok";
        });
        time.advance(Duration.ofMinutes(1));
        awaitFired(START.plusSeconds(60));
        Await.until(WAIT, "the failure logged", () -> log().contains(
                "schedule: local-Tick tick at 2030-03-01T10:01:00Z failed: java.lang.IllegalStateException: the function failed"));

        time.advance(Duration.ofMinutes(1));
        awaitFired(START.plusSeconds(60), START.plusSeconds(120));
        Await.until(WAIT, "the second tick logged", () -> log().contains("schedule: local-Tick fired at 2030-03-01T10:02:00Z: ok"));
    }

    @Test
    void aTickDueWhileTheOneBeforeIsStillRunningIsSkippedNotQueued() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        start("rate(1 hour)", tick -> {
            fired.add(tick);
            try {
                assertTrue(release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "ok";
        });
        time.advance(HOUR);
        Await.until(WAIT, "the first tick running", () -> fired.equals(List.of(START.plus(HOUR))));

        time.advance(HOUR); // the first tick is still running
        assertTrue(log().contains("schedule: local-Tick skipped the tick at 2030-03-01T12:00:00Z: the tick before it is still running"),
                log());
        release.countDown();
        Await.until(WAIT, "the first tick done", () -> log().contains("fired at 2030-03-01T11:00:00Z"));

        time.advance(HOUR);
        awaitFired(START.plus(HOUR), START.plus(HOUR.multipliedBy(3)));
    }

    @Test
    void aClosedRuleNeverFiresAgain() {
        startRecording("rate(1 hour)");
        time.advance(HOUR);
        awaitFired(START.plus(HOUR));

        rule.close();
        assertEquals(0, time.pending(), "its timer is cancelled");
        time.advance(HOUR.multipliedBy(3));
        assertEquals(0, time.pending());
        assertEquals(List.of(START.plus(HOUR)), fired);
    }

    @Test
    void closeWaitsForTheTickInFlight() {
        startRecording("rate(1 hour)");
        time.advance(HOUR);
        rule.close();
        assertEquals(List.of(START.plus(HOUR)), fired, "the tick handed to the worker ran before close returned");
    }
}
