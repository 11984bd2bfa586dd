package io.syncexec.ledger;

/** The answer to a claim on a date, with the entry as it stands. */
public record Claim(Result result, LedgerEntry entry) {

    public enum Result {
        /** This execution holds the date's lease now and may import it. */
        CLAIMED,
        /** A non-forced run found the date imported already: skip it. */
        ALREADY_IMPORTED,
        /** This execution imported the date already (a repeated delivery): skip it. */
        DONE_BY_THIS_EXECUTION,
        /** Another attempt holds an unexpired lease: try again after it. */
        LEASED,
        /** A forced run found the date's import count changed since the confirmed plan: skip it. */
        CHANGED_SINCE_PLAN
    }

    public boolean claimed() {
        return result == Result.CLAIMED;
    }
}
