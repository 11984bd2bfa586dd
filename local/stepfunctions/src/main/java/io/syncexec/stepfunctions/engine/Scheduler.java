package io.syncexec.stepfunctions.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * The engine's only source of time: the current instant and delayed actions (Wait states, retry
 * intervals, task timeouts and heartbeats). {@link RealScheduler} in the server,
 * {@link VirtualScheduler} in tests.
 */
public interface Scheduler {

    Instant now();

    /** Runs {@code action} once {@code delay} has passed; the action must be short (it only hands work on). */
    Cancellable schedule(Duration delay, Runnable action);

    /** Stops the scheduler's own threads, if it has any. */
    default void close() {
    }

    interface Cancellable {
        void cancel();
    }
}
