package io.syncexec.workflow;

import io.syncexec.connector.Connector;
import io.syncexec.connector.ConnectorException;
import io.syncexec.connector.ConnectorLimits;
import io.syncexec.dynamodb.DynamoDbSourceGate;
import io.syncexec.execution.Execution;
import io.syncexec.sync.SourceGate;
import io.syncexec.sync.Sync;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workflow fixture with the workers keeping {@code connector.limits}: a queue that records the
 * deferred messages and hands them back once the fixture's clock reaches their delay, a source that
 * counts its calls (the most in flight, those during a pause) and throttles on demand, and paced
 * waits on the fixture's virtual clock.
 */
final class LimitsHarness {
    final WorkflowFixture fx;
    final LaterQueue queue = new LaterQueue();
    final Source source;
    final SourceGate gate;

    LimitsHarness(WorkflowFixture fx) {
        this.fx = fx;
        this.gate = new DynamoDbSourceGate(fx.standIns.dynamo(), fx.standIns.table("SyncsTable"));
        this.source = new Source(fx);
    }

    /** Saves the fixture's sync with these limits. */
    void limits(int maxConcurrentDates, Integer requestsPerMinute) {
        Sync s = fx.sync();
        fx.wiring.syncs().putDefinition(new Sync(s.clientId(), s.syncId(), s.name(), s.timezone(), s.firstDate(),
                s.supportsPeriodExecution(), s.maxRangeDays(), s.scheduleEnabled(), s.connectorType(), s.connectorConfig(),
                null, null, null, null, 0, null, null, s.paused(), s.revision(), new ConnectorLimits(maxConcurrentDates, requestsPerMinute)),
                fx.clock.instant());
    }

    /** Workers that took slots of the run (capped at {@code cap}) and hold them until the lease ends, or until told to leave. */
    void holdSlots(Execution execution, int cap, List<String> holders) {
        Instant now = fx.clock.instant();
        for (String holder : holders) {
            if (!fx.wiring.executions().enterSlot(fx.clientId, "orders", execution.executionId(), holder, cap, now,
                    now.plus(WorkflowFixture.LEASE)).entered()) {
                throw new AssertionError(holder + " found no slot free");
            }
        }
    }

    /** Dispatch, windowed by the sync's limits, sending to this harness's queue. */
    DispatchService dispatch() {
        return new DispatchService(fx.wiring.executions(), queue, fx.workflow, fx.wiring.syncs(), fx.wiring.log("dispatch"));
    }

    WorkflowStep step(Execution execution) {
        return new WorkflowStep(fx.clientId, "orders", execution.executionId(), "token-" + execution.executionId(), null);
    }

    /** A worker keeping the limits; paced waits move the virtual clock; jitter fixed at its middle. */
    ImportService worker() {
        return fx.importer(sync -> source).withSourceLimits(
                new SourceLimiter(gate, fx.wiring.executions(), fx.clock, WorkflowFixture.LEASE, fx.clock::advance, () -> 0.5), queue);
    }

    /** Deliveries of the messages deferred so far whose delay has passed on the fixture's clock, each received once. */
    List<ImportService.Delivery> due() {
        List<ImportService.Delivery> due = new ArrayList<>();
        for (Sent sent : List.copyOf(queue.sent)) {
            if (!sent.at().plus(sent.later().delay()).isAfter(fx.clock.instant()) && queue.sent.remove(sent)) {
                due.add(new ImportService.Delivery("d" + queue.ids.incrementAndGet(), "rh", sent.later().message().toJson(), 1));
            }
        }
        return due;
    }

    /** Delivers what is due until nothing is, moving the clock to the next delay each time; returns the rounds. */
    int drain(ImportService worker, int maxRounds) {
        int rounds = 0;
        while (!queue.sent.isEmpty() && rounds < maxRounds) {
            Instant next = queue.sent.stream().map(s -> s.at().plus(s.later().delay())).min(Instant::compareTo).orElseThrow();
            if (next.isAfter(fx.clock.instant())) {
                fx.clock.advance(Duration.between(fx.clock.instant(), next));
            }
            List<ImportService.Delivery> due = due();
            for (int i = 0; i < due.size(); i += 10) {
                worker.importBatch(due.subList(i, Math.min(due.size(), i + 10)));
                queue.mostQueued.accumulateAndGet(queue.sent.size() + Math.max(0, due.size() - i - 10), Math::max);
            }
            rounds++;
        }
        return rounds;
    }

    record Sent(Instant at, ImportQueue.Later later) {
    }

    /** The import queue as the workers' deferrals see it: it records, and takes every message. */
    final class LaterQueue implements ImportQueue {
        final List<Sent> sent = new CopyOnWriteArrayList<>();
        final List<Sent> all = new CopyOnWriteArrayList<>();
        final AtomicInteger ids = new AtomicInteger();

        /** The most messages on the queue at once. */
        final AtomicInteger mostQueued = new AtomicInteger();

        @Override
        public List<ImportMessage> send(List<ImportMessage> messages) {
            messages.forEach(message -> sent.add(new Sent(fx.clock.instant(), new Later(message, Duration.ZERO))));
            mostQueued.accumulateAndGet(sent.size(), Math::max);
            return List.of();
        }

        @Override
        public List<Later> sendLater(List<Later> messages) {
            messages.forEach(later -> {
                sent.add(new Sent(fx.clock.instant(), later));
                all.add(new Sent(fx.clock.instant(), later));
            });
            return List.of();
        }

        @Override
        public void retry(ImportService.Delivery delivery, Duration delay) {
            throw new UnsupportedOperationException("the fixture's workers retry through WorkflowFixture's RetryLater");
        }
    }

    /**
     * The sync's source: the demo connector behind a counter of calls (when, how many at once), that
     * answers {@code 429} with {@code retryAfter} (or without one when null) until {@code throttledUntil}.
     */
    static final class Source implements Connector {
        private final WorkflowFixture fx;
        final List<Instant> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        volatile Instant throttledUntil = Instant.MIN;
        volatile Duration retryAfter;
        /** Called while a call is in flight (a test holds calls there to see them overlap). */
        volatile Runnable during = () -> { };

        Source(WorkflowFixture fx) {
            this.fx = fx;
        }

        @Override
        public long importDate(io.syncexec.connector.ImportContext context) throws ConnectorException {
            calls.add(fx.clock.instant());
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                during.run();
                if (fx.clock.instant().isBefore(throttledUntil)) {
                    throw ConnectorException.throttled("source answered HTTP 429 (Too Many Requests)", retryAfter);
                }
                return fx.wiring.connectors().forSync(context.sync()).importDate(context);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        long callsBetween(Instant from, Instant to) {
            return calls.stream().filter(at -> !at.isBefore(from) && at.isBefore(to)).count();
        }
    }

    /** Every planned date's outcome is recorded, imported once each. */
    static Map<LocalDate, Integer> importCounts(WorkflowFixture fx, Execution execution) {
        List<LocalDate> dates = execution.plan().dates();
        Map<LocalDate, Integer> counts = new java.util.TreeMap<>();
        fx.wiring.ledger().read(fx.clientId, execution.syncId(), dates.get(0), dates.get(dates.size() - 1))
                .forEach((date, entry) -> counts.put(date, entry.importCount()));
        return counts;
    }
}
