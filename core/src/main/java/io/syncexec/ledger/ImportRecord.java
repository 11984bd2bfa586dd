package io.syncexec.ledger;

import java.time.Instant;

/**
 * One successful import of a date, as its history keeps it. {@code generation} is the date's
 * import count after this import (1 for the first import, 2 for the first re-import, …).
 * {@code confirmedBy} and {@code confirmedAt} say who confirmed the run's plan and when (null for
 * a run that needed no confirmation; {@code confirmedAt} is null in items written before it was kept).
 */
public record ImportRecord(
        int generation,
        String executionId,
        String trigger,
        String requestedBy,
        String confirmedBy,
        Instant confirmedAt,
        long records,
        Instant startedAt,
        Instant finishedAt) {

    public ImportRecord(int generation, String executionId, String trigger, String requestedBy, String confirmedBy,
                        long records, Instant startedAt, Instant finishedAt) {
        this(generation, executionId, trigger, requestedBy, confirmedBy, null, records, startedAt, finishedAt);
    }
}
