package io.syncexec.stepfunctions.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Time that runs as the wall clock does (from the instant {@code clock} starts at), with delayed actions on one daemon thread. */
public final class RealScheduler implements Scheduler {

    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "stepfunctions-timer");
        thread.setDaemon(true);
        return thread;
    });

    public RealScheduler() {
        this(Clock.systemUTC());
    }

    /** @param clock the current instant (e.g. a clock offset to a chosen date); delays run in real time */
    public RealScheduler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        ScheduledFuture<?> future = timer.schedule(action, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
