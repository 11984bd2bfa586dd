package io.syncexec.connector;

import java.time.LocalDate;
import java.util.Objects;

/**
 * One import of one date.
 *
 * @param sync        the sync, as its connector sees it
 * @param date        the date to import, in the sync's time zone
 * @param generation  the date's import count after this import: 1 for the first import, 2 for the
 *                    first re-import, and so on; a retry of the same import keeps its generation
 * @param executionId the execution that imports the date
 * @param deadline    when the import must be over, whatever the connector's config says (the import
 *                    worker's time budget per date, below its function timeout); null for none
 */
public record ImportContext(SyncConnection sync, LocalDate date, int generation, String executionId, java.time.Instant deadline) {

    /** An import without a deadline of its own (the connector's own timeouts apply). */
    public ImportContext(SyncConnection sync, LocalDate date, int generation, String executionId) {
        this(sync, date, generation, executionId, null);
    }

    public ImportContext {
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(executionId, "executionId");
        if (generation < 1) {
            throw new IllegalArgumentException("generation must be at least 1, was " + generation);
        }
    }
}
