package io.syncexec.workflow;

import java.util.List;

/** The import queue: one message per date to import, read by the import workers. */
public interface ImportQueue {
    /** The most messages one {@link #send} takes. */
    int BATCH = 10;

    /** Sends up to {@link #BATCH} messages at once; returns those the queue did not take. */
    List<ImportMessage> send(List<ImportMessage> messages);

    /** A message to deliver after {@code delay} (at most {@link #MAX_DELAY}). */
    record Later(ImportMessage message, java.time.Duration delay) {
    }

    /** The longest delay SQS gives a message: 15 minutes. */
    java.time.Duration MAX_DELAY = java.time.Duration.ofMinutes(15);

    /** Sends up to {@link #BATCH} messages, each delivered after its delay; returns those the queue did not take. */
    List<Later> sendLater(List<Later> messages);

    /** Delivers a received message again after {@code delay}, later than the queue's visibility timeout would. */
    void retry(ImportService.Delivery delivery, java.time.Duration delay);
}
