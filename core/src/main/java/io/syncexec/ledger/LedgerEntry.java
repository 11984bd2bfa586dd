package io.syncexec.ledger;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The ledger's entry for one date of one sync.
 *
 * <p>{@code importCount} counts successful imports and never decreases; a date is <em>missing</em>
 * (what a non-forced run imports) while it is 0. A failed re-import of an imported date leaves the
 * date imported: the earlier data is still in the client's tool.
 */
public record LedgerEntry(
        LocalDate date,
        LedgerStatus status,
        int importCount,
        long records,
        String lastExecutionId,
        Instant lastImportedAt,
        String lastError) {

    public static LedgerEntry missing(LocalDate date) {
        return new LedgerEntry(date, LedgerStatus.MISSING, 0, 0, null, null, null);
    }

    public boolean imported() {
        return importCount > 0;
    }
}
