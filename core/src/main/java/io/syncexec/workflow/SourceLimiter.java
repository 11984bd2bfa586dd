package io.syncexec.workflow;

import io.syncexec.connector.ConnectorException;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.RunTelemetry;
import io.syncexec.sync.SourceGate;
import io.syncexec.sync.Sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * A sync's {@code connector.limits} and its source's {@code Retry-After}, for the import worker
 * (SPEC §10): a worker imports a sync's dates only while it holds one of the slots of the sync's
 * run (a lease: {@link ExecutionRepository#enterSlot}), calls the source no faster than {@code requestsPerMinute}, and after a
 * {@code 429}/{@code 503} pauses every call of the sync until the time the source said (at most
 * {@link #MAX_PAUSE} a pause) or, without one, for an exponential back-off with jitter. A date
 * that has to wait is sent again with a delay (a deferral), never failed.
 */
public final class SourceLimiter {
    /** The longest pause one {@code Retry-After} causes; a longer one is asked again when it ends. */
    public static final Duration MAX_PAUSE = ImportQueue.MAX_DELAY;
    /** How far ahead a worker takes paced calls (and waits for them while it holds its slot). */
    static final Duration PACE_HORIZON = Duration.ofSeconds(10);
    /** How long after a throttle workers still re-check the pause before each date. */
    static final Duration WARY_AFTER_THROTTLE = Duration.ofHours(1);
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(2);
    static final Duration MAX_FULL_BACKOFF = Duration.ofSeconds(60);

    /** Waits for a paced call's start; tests pass virtual time. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final SourceGate gate;
    private final ExecutionRepository executions;
    private final Clock clock;
    private final Duration lease;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    public SourceLimiter(SourceGate gate, ExecutionRepository executions, Clock clock, Duration lease) {
        this(gate, executions, clock, lease, duration -> Thread.sleep(duration.toMillis()), () -> ThreadLocalRandom.current().nextDouble());
    }

    public SourceLimiter(SourceGate gate, ExecutionRepository executions, Clock clock, Duration lease, Sleeper sleeper,
                         DoubleSupplier random) {
        this.gate = gate;
        this.executions = executions;
        this.clock = clock;
        this.lease = lease;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** A worker's turn at a sync's source: the slot it holds and the paced starts it took. */
    public final class Turn {
        private final SourceGate.Source source;
        private final Execution execution;
        private final String holder;
        private final Deque<Instant> starts = new ArrayDeque<>();
        private int dates;

        private Turn(SourceGate.Source source, Execution execution, String holder) {
            this.source = source;
            this.execution = execution;
            this.holder = holder;
        }

        public Sync sync() {
            return source.sync();
        }

        /** The execution, as read when the slot was taken. */
        public Execution execution() {
            return execution;
        }

        /** Who holds the slot: the outcomes' counter add gives it back ({@link ExecutionRepository#recordOutcomes}). */
        public String holder() {
            return holder;
        }

        /**
         * Null when the next date may call the source now (after waiting for its paced start), or
         * until when it has to wait: the source paused the sync meanwhile, or its pace has no call
         * free within {@link #PACE_HORIZON} (or within {@code room}, the time the invocation can spare).
         */
        public Instant next(int remaining, Duration room) throws InterruptedException {
            Instant now = clock.instant();
            if (dates++ > 0 && source.throttledAt() != null && source.throttledAt().isAfter(now.minus(WARY_AFTER_THROTTLE))) {
                // This source throttles: a pause another worker met since this turn began holds here too.
                Instant paused = gate.pausedUntil(sync().clientId(), sync().syncId());
                if (paused != null && paused.isAfter(now)) {
                    return paused;
                }
            }
            Integer perMinute = sync().limits().requestsPerMinute();
            if (perMinute == null) {
                return null;
            }
            if (starts.isEmpty()) {
                Duration horizon = room.compareTo(PACE_HORIZON) < 0 ? (room.isNegative() ? Duration.ZERO : room) : PACE_HORIZON;
                SourceGate.Pace pace = gate.pace(sync().clientId(), sync().syncId(), perMinute, remaining, now, horizon, source.paceAt());
                if (pace.starts().isEmpty()) {
                    return pace.next();
                }
                starts.addAll(pace.starts());
            }
            Duration wait = Duration.between(clock.instant(), starts.poll());
            if (wait.isPositive()) {
                sleeper.sleep(wait);
            }
            return null;
        }
    }

    /** A turn at the sync's source, or why there is none now. */
    public sealed interface Entry permits Granted, Refused {
    }

    public record Granted(Turn turn) implements Entry {
    }

    /**
     * No turn now: wait until {@code until} ({@code paused}: the source asked; else every slot is
     * taken), with the execution when it was read; {@code missing}: the sync or the execution is not found (yet).
     */
    public record Refused(boolean paused, Instant until, Execution execution, Sync sync, boolean missing) implements Entry {
    }

    /**
     * Reads the sync (with its source's pause) and, unless its source paused it, takes one of its
     * {@code maxConcurrentDates} slots with the write that reads the execution.
     */
    public Entry enter(String clientId, String syncId, String executionId) {
        Instant now = clock.instant();
        SourceGate.Source source = gate.read(clientId, syncId);
        if (source == null) {
            return new Refused(false, null, null, null, true);
        }
        if (source.pausedUntil() != null && source.pausedUntil().isAfter(now)) {
            Execution execution = executions.get(clientId, syncId, executionId).orElse(null);
            return new Refused(true, source.pausedUntil(), execution, source.sync(), execution == null);
        }
        String holder = UUID.randomUUID().toString();
        ExecutionRepository.SlotEntry slot = executions.enterSlot(clientId, syncId, executionId, holder,
                source.sync().limits().maxConcurrentDates(), now, now.plus(lease));
        if (slot == null) {
            return new Refused(false, null, null, source.sync(), true);
        }
        return slot.entered() ? new Granted(new Turn(source, slot.execution(), holder))
                : new Refused(false, slot.firstLeaseEnd(), slot.execution(), source.sync(), false);
    }

    /**
     * The source asked to slow down: pauses every call of the sync until it said (at most
     * {@link #MAX_PAUSE}, and at least a second) or, when it did not say, for a back-off with jitter
     * that doubles with the date's deferrals. Returns when the pause ends.
     */
    public Instant throttled(Sync sync, ConnectorException throttle, int deferrals) {
        Instant now = clock.instant();
        Duration pause = throttle.retryAfter() != null ? throttle.retryAfter() : jittered(FIRST_BACKOFF, MAX_PAUSE, deferrals);
        pause = pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : pause;
        Instant until = now.plus(pause);
        gate.pause(sync.clientId(), sync.syncId(), until, now);
        return until;
    }

    /**
     * How long a date waits before it is delivered again: until the source's pause ends (spread
     * over a second, so the dates do not come back at once), or, when the slots were full, a
     * back-off with jitter that doubles with its deferrals up to a minute.
     */
    public Duration delay(Refused refused, int deferrals) {
        if (refused.paused()) {
            return untilThen(refused.until());
        }
        return jittered(Duration.ofSeconds(1), MAX_FULL_BACKOFF, deferrals);
    }

    /** The delay to {@code until}, spread over a second, within what SQS allows. */
    public Duration untilThen(Instant until) {
        Duration left = Duration.between(clock.instant(), until).plusMillis((long) (random.getAsDouble() * 1000));
        return left.isNegative() ? Duration.ZERO : left.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : left;
    }

    /** "Equal jitter": half the doubled delay, plus a random part of the other half. */
    private Duration jittered(Duration first, Duration max, int deferrals) {
        Duration full = first.multipliedBy(1L << Math.min(deferrals, 20));
        full = full.compareTo(max) > 0 ? max : full;
        long half = full.toMillis() / 2;
        return Duration.ofMillis(half + (long) (random.getAsDouble() * half));
    }
}
