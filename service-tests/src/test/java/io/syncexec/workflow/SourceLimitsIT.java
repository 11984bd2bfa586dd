package io.syncexec.workflow;

import io.syncexec.execution.Execution;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import io.syncexec.workflow.ImportService.Delivery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §10 at the worker, against dynalite: the cap across workers as leases, the pace of
 * {@code requestsPerMinute}, {@code Retry-After} obeyed by every worker of the sync, waits that
 * fail no date and spend no attempt, and windowed dispatch. Virtual time: the fixture's clock.
 */
@ExtendWith(StandInsExtension.class)
class SourceLimitsIT {
    private WorkflowFixture fx;
    private LimitsHarness h;

    @BeforeEach
    void setUp(StandIns standIns) {
        fx = new WorkflowFixture(standIns);
        h = new LimitsHarness(fx);
    }

    @Test
    void noMoreDatesOfASyncAreImportedAtOnceThanItsCapWhateverTheWorkers() throws Exception {
        h.limits(2, null);
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-06", false));
        List<Delivery> all = fx.deliveries(execution, 1);
        CountDownLatch release = new CountDownLatch(1);
        h.source.during = () -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        ExecutorService workers = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<String>>> batches = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                List<Delivery> batch = all.subList(2 * w, 2 * w + 2);
                batches.add(workers.submit(() -> h.worker().importBatch(batch)));
            }
            // Two workers hold the two slots, each with a call in flight; the third finds none and defers its dates.
            await(() -> h.source.inFlight.get() == 2 && h.queue.sent.size() == 2);
            assertEquals(2, h.source.mostInFlight.get());
            release.countDown();
            for (Future<List<String>> batch : batches) {
                assertEquals(List.of(), batch.get(30, TimeUnit.SECONDS), "nothing goes back through its visibility timeout");
            }
        } finally {
            release.countDown();
            workers.shutdownNow();
        }
        assertTrue(h.queue.all.stream().allMatch(s -> s.later().message().failures() == 0), "a wait spends no attempt");
        h.drain(h.worker(), 10);
        Execution done = fx.reload(execution);
        assertEquals(Execution.Progress.of(6, 6, 0, 0, 0), done.progress());
        assertEquals(2, h.source.mostInFlight.get());
        assertEquals(6, h.source.calls.size(), "each date called its source once");
    }

    @Test
    void aWorkerThatDiedHoldingSlotsKeepsThemNoLongerThanTheirLease() {
        h.limits(2, null);
        Instant start = fx.clock.instant();
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-03", false));
        // Two workers took the slots and died: nobody gives them back.
        h.holdSlots(execution, 2, List.of("dead-1", "dead-2"));
        h.worker().importBatch(fx.deliveries(execution, 1));
        assertEquals(0, h.source.calls.size(), "the sync is at its cap");
        assertEquals(3, h.queue.sent.size());

        int rounds = h.drain(h.worker(), 20);
        Execution done = fx.reload(execution);
        assertEquals(Execution.Progress.of(3, 3, 0, 0, 0), done.progress());
        Instant firstCall = h.source.calls.get(0);
        assertTrue(!firstCall.isBefore(start.plus(WorkflowFixture.LEASE)), "no call before the dead leases ended: " + firstCall);
        assertTrue(firstCall.isBefore(start.plus(WorkflowFixture.LEASE).plus(SourceLimiter.MAX_FULL_BACKOFF)),
                "the slots came back with their lease: " + firstCall + " after " + rounds + " rounds");
        assertTrue(h.queue.all.stream().allMatch(s -> s.later().message().failures() == 0), "waiting for a slot spends no attempt");
    }

    @Test
    void retryAfterPausesEveryCallOfTheSyncAndFailsNoDate() {
        Instant start = fx.clock.instant();
        h.source.throttledUntil = start.plusSeconds(20);
        h.source.retryAfter = Duration.ofSeconds(20);
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-10", false));
        List<Delivery> all = fx.deliveries(execution, 1);
        h.worker().importBatch(all.subList(0, 5));
        assertEquals(1, h.source.calls.size(), "the first 429 stops the batch");
        assertEquals(io.syncexec.ledger.LedgerStatus.IMPORTING, fx.wiring.ledger().get(fx.clientId, "orders",
                LocalDate.parse("2026-11-01"), fx.clock.instant()).status(), "a date waiting for its source is not failed");
        fx.clock.advance(Duration.ofSeconds(5));
        h.worker().importBatch(all.subList(5, 10)); // another worker, during the pause
        assertEquals(1, h.source.calls.size(), "no call while Retry-After runs");
        assertEquals(10, h.queue.sent.size());
        assertTrue(h.queue.sent.stream().allMatch(s -> !s.at().plus(s.later().delay()).isBefore(start.plusSeconds(20))),
                "every date waits for the end of the pause");

        // SQS delivers an original message again as well as its deferred copy: the date is imported once.
        fx.clock.advance(Duration.ofSeconds(16));
        h.worker().importBatch(all.subList(0, 1));
        h.drain(h.worker(), 20);

        Execution done = fx.reload(execution);
        assertEquals(Execution.Progress.of(10, 10, 0, 0, 0), done.progress());
        assertEquals(0, h.source.callsBetween(start.plusMillis(1), start.plusSeconds(20)), "calls during the pause");
        LimitsHarness.importCounts(fx, execution).forEach((date, count) -> assertEquals(1, count, date + " imported once"));
        assertEquals(List.of(), fx.retried, "a wait is never a failed delivery");
    }

    @Test
    void withoutRetryAfterTheSyncBacksOffAndTheWaitSpendsNoAttempt() {
        Instant start = fx.clock.instant();
        h.source.throttledUntil = start.plus(Duration.ofMinutes(2));
        h.source.retryAfter = null;
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-03", false));
        h.worker().importBatch(fx.deliveries(execution, 3)); // delivered twice before, each time failed by a worker that died
        h.drain(h.worker(), 50);
        Execution done = fx.reload(execution);
        assertEquals(Execution.Progress.of(3, 3, 0, 0, 0), done.progress(), "more throttles than attempts, no failed date");
        assertTrue(h.source.calls.size() > WorkflowFixture.MAX_ATTEMPTS, "throttled " + h.source.calls.size() + " times");
        assertTrue(h.queue.all.stream().allMatch(s -> s.later().message().failures() == 2),
                "the attempts spent before are carried, no more");
        List<Instant> calls = h.source.calls;
        for (int i = 2; i < WorkflowFixture.MAX_ATTEMPTS + 1; i++) {
            assertTrue(Duration.between(calls.get(i - 1), calls.get(i)).compareTo(Duration.between(calls.get(i - 2), calls.get(i - 1))) > 0,
                    "each wait longer than the one before: " + calls);
        }
    }

    @Test
    void requestsPerMinutePacesTheSourceCalls() {
        h.limits(4, 60);
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-20", false));
        List<Delivery> all = fx.deliveries(execution, 1);
        h.worker().importBatch(all.subList(0, 10));
        h.worker().importBatch(all.subList(10, 20)); // a second worker shares the same pace
        h.drain(h.worker(), 50);
        assertEquals(Execution.Progress.of(20, 20, 0, 0, 0), fx.reload(execution).progress());
        List<Instant> calls = h.source.calls;
        for (int i = 1; i < calls.size(); i++) {
            assertTrue(Duration.between(calls.get(i - 1), calls.get(i)).compareTo(Duration.ofSeconds(1)) >= 0,
                    "60 a minute: one a second at most, call " + i + ": " + calls);
        }
    }

    // Windowed dispatch (docs/fairness.md): a run keeps at most its window (maxConcurrentDates × 10) of
    // dates on the queue, the workers bring the next ones as dates finish, every date imported once.

    @Test
    void aRunKeepsAtMostItsWindowOnTheQueueAndImportsEveryDateOnce() {
        h.limits(1, null); // a window of 10 dates
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-25", false));
        h.dispatch().dispatch(h.step(execution));
        assertEquals(10, h.queue.sent.size(), "dispatch sends the window only");
        assertEquals(List.of(LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-10")),
                List.of(h.queue.sent.get(0).later().message().date(), h.queue.sent.get(9).later().message().date()));

        h.drain(h.worker(), 20);
        Execution done = fx.reload(execution);
        assertEquals(Execution.Progress.of(25, 25, 0, 0, 0), done.progress());
        assertEquals(10, h.queue.mostQueued.get(), "never more than the window on the queue");
        LimitsHarness.importCounts(fx, execution).forEach((date, count) -> assertEquals(1, count, date + " imported once"));
        assertEquals(List.of("token-" + execution.executionId()), fx.workflow.importsDone, "the last outcome resumes the workflow once");
    }

    @Test
    void aRepeatedDeliveryBringsItsSuccessorWhenItsFirstWorkerDiedBeforeSendingIt() {
        h.limits(1, null);
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-12", false));
        h.dispatch().dispatch(h.step(execution));
        List<ImportService.Delivery> first = h.due();
        // The first worker imports 2026-11-01 and dies before its successor (2026-11-11) is sent: no queue for it.
        fx.importer(sync -> h.source).importBatch(first.subList(0, 1));
        h.worker().importBatch(first.subList(1, 10));
        assertEquals(1, h.queue.sent.size(), "only 2026-11-02's successor: " + h.queue.sent);
        // SQS delivers 2026-11-01 again after the visibility timeout (second receipt).
        ImportService.Delivery again = new ImportService.Delivery("again", "rh", first.get(0).body(), 2);
        h.worker().importBatch(List.of(again));
        h.drain(h.worker(), 10);
        assertEquals(Execution.Progress.of(12, 12, 0, 0, 0), fx.reload(execution).progress());
        assertEquals(12, h.source.calls.size(), "each date called its source once");
    }

    @Test
    void aCancelInTheMiddleOfAWindowedRunCountsEveryRemainingDateCancelled() {
        h.limits(1, null);
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-25", false));
        h.dispatch().dispatch(h.step(execution));
        List<ImportService.Delivery> due = h.due();
        h.worker().importBatch(due.subList(0, 4));
        fx.wiring.executionService().cancel(fx.reload(execution), "operator-1");
        h.worker().importBatch(due.subList(4, 10));
        h.drain(h.worker(), 20);
        Execution done = fx.reload(execution);
        assertEquals(Execution.Progress.of(25, 4, 0, 0, 21), done.progress());
        assertTrue(h.queue.mostQueued.get() <= 10);
        assertEquals(List.of("token-" + execution.executionId()), fx.workflow.importsDone);
    }

    @Test
    void aCancelBeforeDispatchCancelsEveryChainWithoutSendingIt() {
        h.limits(1, null);
        Execution execution = fx.start(WorkflowFixture.range("2026-11-01", "2026-11-25", false));
        fx.wiring.executionService().cancel(fx.reload(execution), "operator-1");
        h.dispatch().dispatch(h.step(execution));
        assertEquals(0, h.queue.sent.size());
        assertEquals(Execution.Progress.of(25, 0, 0, 0, 25), fx.reload(execution).progress());
        assertEquals(List.of("token-" + execution.executionId()), fx.workflow.importsDone);
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached within 30 s");
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
