package io.syncexec.ledger;

import java.time.Instant;

/**
 * One successful import of a date, as its history keeps it. {@code generation} is the date's
 * import count after this import (1 for the first import, 2 for the first re-import, …).
 */
public record ImportRecord(
        int generation,
        String executionId,
        String trigger,
        String requestedBy,
        String confirmedBy,
        long records,
        Instant startedAt,
        Instant finishedAt) {
}
