package io.syncexec.sync;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Sync definitions and their state: the lock of a sync's one active run, its watermark, its schedule
 * (the due index the heartbeat pages through) and its source's pause. Conditional writes answer
 * whether they wrote.
 */
public interface SyncRepository {
    Optional<Sync> get(String clientId, String syncId);

    List<Sync> list(String clientId);

    /**
     * Creates or updates the definition of a sync, keeping its lock. The watermark (every date
     * from the first date to it was imported) stays while the first date stays or moves later; a
     * first date moved earlier removes it, so the next default run plans the new dates. One
     * conditional write; a second one only when the first date moves earlier.
     *
     * With the schedule enabled the sync enters the due index due at the last due instant before
     * {@code now}, so the next heartbeat looks at it once (its plan says whether anything is
     * missing; nothing is recorded when nothing is), and then once a day. With the schedule
     * disabled it leaves the index.
     *
     * @return true when the sync was created
     */
    boolean putDefinition(Sync definition, Instant now);

    /**
     * An admin's save: writes {@code definition} (its revision the new version, its pause with author)
     * only if the stored version is still {@code expectedVersion} (0: the sync does not exist yet, or was
     * never changed through the API). One conditional write; the caller read the stored definition, so
     * it knows whether the first date moves earlier ({@code removeWatermark}) and what changes.
     *
     * @return false when the stored version is another one: someone saved meanwhile, nothing was written
     */
    boolean putDefinition(Sync definition, Instant now, long expectedVersion, boolean exists, boolean removeWatermark);

    /**
     * Takes the sync's lock for {@code executionId} until {@code until}, if no other execution
     * holds an unexpired one and the sync is not paused. One conditional write; exactly one of concurrent callers wins.
     */
    boolean tryLock(String clientId, String syncId, String executionId, Instant now, Instant until);

    /** Releases the lock if {@code executionId} still holds it; a no-op otherwise. */
    void unlock(String clientId, String syncId, String executionId);

    /**
     * Moves the watermark forward to {@code watermark} and the last imported date up to
     * {@code lastImported}; never backwards, whatever the order of concurrent callers. The
     * watermark moves only while the sync's first date is still {@code firstDate}, the one it was
     * computed from: a first date moved earlier meanwhile leaves it removed.
     */
    void advance(String clientId, String syncId, LocalDate firstDate, LocalDate watermark, LocalDate lastImported);

    /** A sync the due index holds: enough to claim it and compute its next due instant. */
    record Due(String clientId, String syncId, Instant nextDueAt, ZoneId timezone, int settleMinutes) {
    }

    /**
     * One page of the due index: the syncs of {@code shard} due at or before {@code now}, oldest due
     * first, and where the next page starts (null after the last).
     */
    record DuePage(List<Due> syncs, PageStart next) {
    }

    /** Where a page of the due index starts: opaque to callers, who hand it back for the next page. */
    /** Where the next page of {@link #due} starts: meaningful only to the repository that gave it. */
    interface PageStart {
    }

    /**
     * One page of the syncs of {@code shard} whose {@code nextDueAt} is at or before {@code now}:
     * one {@code Query} on the sparse due index (only syncs with the schedule enabled are in it),
     * so its cost grows with the due syncs, never with all syncs.
     */
    DuePage due(String shard, Instant now, int limit, PageStart start);

    /**
     * Claims a due sync: moves {@code nextDueAt} from {@code expected} (the value read) to
     * {@code next}, and records when it was checked. One conditional write: of two ticks that read
     * the same value (overlapping, or one delivered twice), exactly one wins.
     */
    boolean claimDue(String clientId, String syncId, Instant expected, Instant next, Instant now);

    /**
     * Moves {@code nextDueAt} from {@code from} (a value this caller set) to {@code to}: a claim
     * whose start could not be enqueued is given back, a start that found the sync busy comes back
     * sooner. A no-op when someone moved it since.
     */
    void moveDue(String clientId, String syncId, Instant from, Instant to);

    /** Until when the sync's source asked to wait ({@link SourceGate}); null when it did not, or the sync is gone. */
    Instant sourcePausedUntil(String clientId, String syncId);
}
