package io.syncexec.ledger;

/**
 * Status of one date of a sync. {@code MISSING} is never stored: it is how the API shows a date
 * without an entry.
 */
public enum LedgerStatus {
    /** A worker holds a lease on the date and is importing it. */
    IMPORTING,
    /** The date's data is in the client's tool (importCount ≥ 1). */
    IMPORTED,
    /** The last attempt failed and the date was never imported. */
    FAILED,
    /** No entry: never attempted. */
    MISSING
}
