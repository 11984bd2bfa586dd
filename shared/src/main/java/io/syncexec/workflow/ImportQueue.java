package io.syncexec.workflow;

import java.util.List;

/** The import queue: one message per date to import, read by the import workers. */
public interface ImportQueue {
    /** The most messages one {@link #send} takes. */
    int BATCH = 10;

    /** Sends up to {@link #BATCH} messages at once; returns those the queue did not take. */
    List<ImportMessage> send(List<ImportMessage> messages);
}
