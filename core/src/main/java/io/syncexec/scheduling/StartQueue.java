package io.syncexec.scheduling;

import java.util.List;

/** Where the schedule's tick puts the starts of due syncs; a consumer with bounded concurrency starts them. */
public interface StartQueue {
    /** The most starts one {@link #send} takes (an SQS batch). */
    int BATCH = 10;

    /**
     * Sends up to {@link #BATCH} starts in one request.
     *
     * @return the starts that were not sent
     */
    List<DueStart> send(List<DueStart> starts);
}
