package io.syncexec.ledger;

import java.time.LocalDate;
import java.util.Map;

/** Reads a sync's ledger over a range of dates; what the planner needs, nothing more. */
public interface LedgerReader {
    /** The entries that exist between {@code from} and {@code to}, both included, by date. */
    Map<LocalDate, LedgerEntry> read(String clientId, String syncId, LocalDate from, LocalDate to);
}
