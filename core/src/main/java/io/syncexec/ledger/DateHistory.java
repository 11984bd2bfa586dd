package io.syncexec.ledger;

import java.util.List;

/**
 * What happened to one date: its ledger entry, its successful imports newest first (at most
 * {@link LedgerRepository#MAX_IMPORTS_SHOWN}; the entry's import count says how many there were),
 * and its failed attempts newest first (the last {@link LedgerRepository#FAILURES_KEPT}; {@code
 * failedAttempts} counts them all).
 */
public record DateHistory(LedgerEntry entry, List<ImportRecord> imports, long failedAttempts, List<FailedAttempt> failures) {
}
