package io.syncexec.ledger;

import java.time.Instant;

/**
 * A run's attempt at a date that ended FAILED (after the queue's retries), as the date's history
 * keeps it. {@code attempt} numbers the date's failed attempts from 1; {@code importCount} is what
 * the date's import count was then (0: the date stayed missing; more: a failed re-import, the
 * earlier data is still there). The error is capped at {@link #MAX_ERROR_CHARS} characters.
 */
public record FailedAttempt(
        long attempt,
        String executionId,
        String trigger,
        String requestedBy,
        String confirmedBy,
        int importCount,
        String error,
        Instant startedAt,
        Instant failedAt) {

    public static final int MAX_ERROR_CHARS = 200;

    public FailedAttempt {
        error = cap(error);
    }

    /** A short error: at most {@link #MAX_ERROR_CHARS} characters, an ellipsis marking a cut. */
    public static String cap(String error) {
        if (error == null || error.isEmpty()) {
            return "no details";
        }
        return error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS - 1) + "…";
    }

    /** The same attempt, numbered. */
    public FailedAttempt numbered(long number) {
        return new FailedAttempt(number, executionId, trigger, requestedBy, confirmedBy, importCount, error, startedAt, failedAt);
    }
}
