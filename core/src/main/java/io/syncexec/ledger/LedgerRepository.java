package io.syncexec.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The ledger of imported dates: one entry per (client, sync, date), each date's imports and its
 * last {@link #FAILURES_KEPT} failed attempts. Claims, commits and failures are conditional writes:
 * they answer whether they wrote, and the services decide.
 */
public interface LedgerRepository extends LedgerReader {
    /** Failed attempts kept per date: a date that fails on every hourly run keeps a bounded history. */
    int FAILURES_KEPT = 20;

    /** Imports a date's history shows at most, newest first (re-imports need a confirmation each, so few dates have more). */
    int MAX_IMPORTS_SHOWN = 100;

    /**
     * Claims a date for one execution with a lease: the conditional write that makes invariants 1
     * and 2 hold. A non-forced claim succeeds only while the date was never imported; a forced
     * one only while the date's import count is still what the confirmed plan saw, and never
     * twice for the same execution. Nobody claims a date whose lease is still running.
     */
    Claim claim(String clientId, String syncId, LocalDate date, String executionId,
                boolean forced, int importCountAtPlan, Instant now, Instant leaseUntil);

    /**
     * Records a successful import by the execution holding the claim: history item first (its key
     * is the generation, so writing it again is harmless), then the entry.
     *
     * @return false when the claim was lost (its lease expired and another worker took it)
     */
    boolean commit(String clientId, String syncId, LocalDate date, ImportRecord record);

    /**
     * The date's source asked to wait until {@code until}: the claim stays with {@code executionId}
     * (the date reads {@code IMPORTING}, not failed) with its lease moved to the end of the wait, so
     * the date's next delivery, due then, claims it again. {@code note} says why in {@code lastError}.
     *
     * @return false when the claim was no longer this execution's
     */
    boolean waitForSource(String clientId, String syncId, LocalDate date, String executionId, Instant until, String note);

    /**
     * Records a failed attempt by the execution holding the claim: a date never imported becomes
     * FAILED; an imported one ({@code importCount} > 0 at claim) stays IMPORTED: its earlier data
     * is still in the client's tool.
     */
    boolean fail(String clientId, String syncId, LocalDate date, String executionId, int importCount, String error);

    /**
     * Records a failed attempt as {@link #fail(String, String, LocalDate, String, int, String)} does and,
     * when {@code attempt} is given (the run's last attempt at the date), keeps it in the date's
     * history: the entry counts it ({@code failedAttempts}), then the attempt is written to the
     * ring slot that count picks. Only the claim's holder gets here, so attempts of one date never race.
     */
    boolean fail(String clientId, String syncId, LocalDate date, String executionId, int importCount, String error,
                 FailedAttempt attempt);

    /** The history of a date: every successful import, oldest first. */
    List<ImportRecord> history(String clientId, String syncId, LocalDate date);

    /**
     * What happened to a date: its entry, its imports newest first (at most {@link #MAX_IMPORTS_SHOWN})
     * and its last failed attempts newest first. Three reads: the entry, the imports, the failures.
     */
    DateHistory dateHistory(String clientId, String syncId, LocalDate date, Instant now);

    LedgerEntry get(String clientId, String syncId, LocalDate date, Instant now);
}
