package io.syncexec.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the workers know of a sync's source between imports: whether it asked to wait
 * ({@code Retry-After}) and the pace of its {@code requestsPerMinute}.
 */
public interface SourceGate {
    /**
     * The sync as a worker needs it: its definition, until when its source asked to wait (null for
     * no pause), when its source last throttled (null for never) and where its pacing stands (null
     * before its first paced call).
     */
    record Source(Sync sync, Instant pausedUntil, Instant throttledAt, Instant paceAt) {
    }

    /** The sync and its source's state, in one read (the one the worker made anyway); null when the sync does not exist. */
    Source read(String clientId, String syncId);

    /** Nobody enters before {@code until}: the source asked to wait. Never moves an existing pause earlier. */
    void pause(String clientId, String syncId, Instant until, Instant now);

    /** Until when the sync's source asked to wait; null when it did not (or the sync is gone). */
    Instant pausedUntil(String clientId, String syncId);

    /**
     * When each of up to {@code wanted} source calls may start, at {@code perMinute} calls a minute
     * across all workers: only the calls that may start within {@code horizon} from {@code now} are
     * taken, and {@code next} says when the one after them may. One conditional write on the
     * sync's {@code paceAt}; a concurrent taker makes it read and try again.
     */
    Pace pace(String clientId, String syncId, int perMinute, int wanted, Instant now, Duration horizon, Instant known);

    /** When the calls taken may start, and when the next one may. */
    record Pace(List<Instant> starts, Instant next) {
    }
}
