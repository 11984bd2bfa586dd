package io.syncexec.workflow;

import io.syncexec.execution.Execution;
import io.syncexec.execution.RunTelemetry;
import io.syncexec.workflow.ImportService.Delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The dates of one batch that wait for their source: each is sent again as a new message delivered
 * after its delay, carrying the attempts its deliveries spent, and its delivery is acknowledged. SQS
 * counts receipts per message, so a wait spends no attempt (a {@code ChangeMessageVisibility} would
 * spend one: it is only the fallback when the queue does not take a message).
 */
final class Deferrals {
    private record Deferred(Delivery delivery, ImportQueue.Later later) {
    }

    private final ImportQueue queue;
    private final ImportService.RetryLater retryLater;
    private final RunTelemetry telemetry;
    private final Execution execution;
    private final List<Deferred> deferred = new ArrayList<>();

    Deferrals(ImportQueue queue, ImportService.RetryLater retryLater, RunTelemetry telemetry, Execution execution) {
        this.queue = queue;
        this.retryLater = retryLater;
        this.telemetry = telemetry;
        this.execution = execution;
    }

    /** {@code message} (delivered as {@code delivery}) waits {@code delay}; the receipts before this one were attempts. */
    void add(Delivery delivery, ImportMessage message, Duration delay) {
        deferred.add(new Deferred(delivery, new ImportQueue.Later(message.deferred(Math.max(0, delivery.receiveCount() - 1)), delay)));
    }

    /**
     * Sends the waiting dates, ten per request; returns the ids of the deliveries to report as
     * failures (those the queue did not take, retried through their visibility instead).
     */
    List<String> send(String why, Instant pausedUntil) {
        if (deferred.isEmpty()) {
            return List.of();
        }
        List<String> failed = new ArrayList<>();
        for (int from = 0; from < deferred.size(); from += ImportQueue.BATCH) {
            List<Deferred> chunk = deferred.subList(from, Math.min(deferred.size(), from + ImportQueue.BATCH));
            List<ImportQueue.Later> unsent;
            try {
                unsent = queue.sendLater(chunk.stream().map(Deferred::later).toList());
            } catch (RuntimeException e) {
                unsent = chunk.stream().map(Deferred::later).toList();
            }
            for (Deferred d : chunk) {
                if (unsent.contains(d.later())) {
                    retryLater.retry(d.delivery(), d.later().delay());
                    failed.add(d.delivery().messageId());
                }
            }
        }
        long longest = deferred.stream().mapToLong(d -> d.later().delay().toSeconds()).max().orElse(0);
        telemetry.datesDeferred(execution.clientId(), execution.syncId(), execution.executionId(),
                deferred.stream().map(d -> d.later().message().date().toString()).toList(), why, pausedUntil, longest);
        return failed;
    }
}
