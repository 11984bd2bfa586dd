package io.syncexec.scheduling;

import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import io.syncexec.json.Json;
import io.syncexec.observability.Log;
import io.syncexec.sync.SyncRepository;
import io.syncexec.sync.SyncSchedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * One heartbeat of the schedule. It reads the sparse due index (only syncs with the schedule
 * enabled, only those whose {@code nextDueAt} has passed, page by page), claims each due sync
 * with one conditional write that moves its {@code nextDueAt} to its next due instant (only the
 * winner of two overlapping or repeated ticks goes on), and enqueues one start per claimed sync,
 * ten per {@code SendMessageBatch}. The index's shards are walked in parallel. A consumer with bounded concurrency starts the runs
 * ({@link ScheduledStarts}). A tick that finds nothing due writes nothing.
 *
 * <p>Syncs are isolated: one that cannot be claimed or enqueued is logged and listed in the tick's
 * result, its claim given back so the next heartbeat tries again, and every other sync goes on.
 */
public final class ScheduleService {

    /** Due syncs read per index query. */
    static final int PAGE = 100;

    /**
     * What a tick did: {@code due} syncs found, {@code enqueued} starts sent; {@code failed} names
     * each sync that could not be claimed or enqueued (a shard of the due index that could not be
     * read: {@code clientId} null, {@code syncId} the shard). The runs
     * start in the start queue's consumer, so {@code started}, {@code skippedActive} and
     * {@code alreadyStarted} stay 0 here (kept for the result's readers); {@code complete} is false
     * when the tick ran out of time with due syncs left for the next heartbeat.
     */
    public record Tick(int started, int skippedActive, int alreadyStarted, List<Failure> failed, int due, int enqueued,
                       boolean complete) {
        public Tick {
            failed = List.copyOf(failed);
        }
    }

    /** A sync the tick could not start: {@code code} is the API's error code for the failure. */
    public record Failure(String clientId, String syncId, String code) {
    }

    private final SyncRepository syncs;
    private final StartQueue queue;
    private final Log log;
    private final Predicate<RuntimeException> isTransient;

    /**
     * @param log         the heartbeat's logger (the function's clock)
     * @param isTransient which failures of the stores and queues are worth retrying (throttling, a 5xx, no answer)
     */
    public ScheduleService(SyncRepository syncs, StartQueue queue, Log log, Predicate<RuntimeException> isTransient) {
        this.syncs = syncs;
        this.queue = queue;
        this.log = log;
        this.isTransient = isTransient;
    }

    public Tick tick(Instant now) {
        return tick(now, () -> true);
    }

    /**
     * @param now     the tick's time (the event's, so a tick delivered twice is the same tick)
     * @param hasTime false once the invocation should stop reading (due syncs left stay due for the next heartbeat)
     */
    public Tick tick(Instant now, BooleanSupplier hasTime) {
        // The shards are independent: read and claimed in parallel, one virtual thread each, so a
        // heartbeat that finds many syncs due claims them SHARDS at a time.
        List<Future<Tick>> shards = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int shard = 0; shard < SyncSchedule.SHARDS; shard++) {
                String name = SyncSchedule.shardName(shard);
                shards.add(pool.submit(() -> tickShard(name, now, hasTime)));
            }
        }
        int due = 0;
        int enqueued = 0;
        boolean complete = true;
        List<Failure> failed = new ArrayList<>();
        for (Future<Tick> shard : shards) {
            Tick result;
            try {
                result = shard.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a shard of the tick failed", e.getCause());
            }
            due += result.due();
            enqueued += result.enqueued();
            complete &= result.complete();
            failed.addAll(result.failed());
        }
        failed.sort(Comparator.comparing((Failure f) -> String.valueOf(f.clientId())).thenComparing(f -> String.valueOf(f.syncId())));
        return new Tick(0, 0, 0, failed, due, enqueued, complete);
    }

    /** One shard of the due index, page by page: claims and enqueues its due syncs. */
    private Tick tickShard(String shard, Instant now, BooleanSupplier hasTime) {
        int due = 0;
        int enqueued = 0;
        List<Failure> failed = new ArrayList<>();
        List<DueStart> batch = new ArrayList<>();
        SyncRepository.PageStart start = null;
        do {
            if (!hasTime.getAsBoolean()) {
                enqueued += flush(now, batch, failed);
                return new Tick(0, 0, 0, failed, due, enqueued, false);
            }
            SyncRepository.DuePage page;
            try {
                page = syncs.due(shard, now, PAGE, start);
            } catch (RuntimeException e) {
                failed.add(failure(now, null, shard, e));
                break;
            }
            for (SyncRepository.Due sync : page.syncs()) {
                due++;
                Instant next = SyncSchedule.nextDueAfter(now, sync.timezone(), sync.settleMinutes());
                try {
                    if (!syncs.claimDue(sync.clientId(), sync.syncId(), sync.nextDueAt(), next, now)) {
                        continue; // another tick claimed it, or it was redefined since the read
                    }
                } catch (RuntimeException e) {
                    failed.add(failure(now, sync.clientId(), sync.syncId(), e));
                    continue;
                }
                batch.add(new DueStart(sync.clientId(), sync.syncId(), sync.nextDueAt(), next, now));
                if (batch.size() == StartQueue.BATCH) {
                    enqueued += flush(now, batch, failed);
                }
            }
            start = page.next();
        } while (start != null);
        enqueued += flush(now, batch, failed);
        return new Tick(0, 0, 0, failed, due, enqueued, true);
    }

    /** Sends the batch; a start that could not be sent gives its claim back, so the next heartbeat finds it due again. */
    private int flush(Instant now, List<DueStart> batch, List<Failure> failed) {
        if (batch.isEmpty()) {
            return 0;
        }
        List<DueStart> notSent;
        RuntimeException error = null;
        try {
            notSent = queue.send(List.copyOf(batch));
        } catch (RuntimeException e) {
            notSent = List.copyOf(batch);
            error = e;
        }
        for (DueStart start : notSent) {
            try {
                syncs.moveDue(start.clientId(), start.syncId(), start.next(), start.dueAt());
            } catch (RuntimeException ignored) {
                // It stays claimed: its run waits for its next due instant.
            }
            failed.add(failure(now, start.clientId(), start.syncId(),
                    error != null ? error : new Refusal(Reason.SERVICE_UNAVAILABLE, "the start queue refused the message", Map.of())));
        }
        int sent = batch.size() - notSent.size();
        batch.clear();
        return sent;
    }

    /** The API's code for a failure: a backing service throttled, failed or did not answer is worth retrying. */
    private static Reason code(RuntimeException e, Predicate<RuntimeException> isTransient) {
        if (e instanceof Refusal sync) {
            return sync.reason();
        }
        return isTransient.test(e) ? Reason.SERVICE_UNAVAILABLE : Reason.INTERNAL_ERROR;
    }

    /** One JSON log line per sync that failed (never a stack trace), and its entry in the tick's result. */
    Failure failure(Instant tick, String clientId, String syncId, RuntimeException e) {
        return failure(log, isTransient, tick, clientId, syncId, e);
    }

    /** The same, told by {@code log} (the start queue's consumer's). */
    static Failure failure(Log log, Predicate<RuntimeException> isTransient, Instant tick, String clientId, String syncId, RuntimeException e) {
        String code = code(e, isTransient).name();
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        log.error("schedule.sync-failed", "tick", tick.toString(), "clientId", clientId, "syncId", syncId, "code", code,
                "error", message.length() > 200 ? message.substring(0, 200) + "…" : message);
        return new Failure(clientId, syncId, code);
    }
}
