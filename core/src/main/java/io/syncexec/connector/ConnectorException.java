package io.syncexec.connector;

/**
 * A connector could not import a date. {@link #retryable()} says whether trying again may help
 * (timeouts, 5xx, 429, throttling) or not (4xx, bad config, bad data).
 *
 * <p>Messages are meant for operators and end up in the ledger and the execution's outcomes: they
 * never contain tokens, URLs with their paths or query strings, or more than a short excerpt of a
 * response body.
 */
public final class ConnectorException extends Exception {
    private final boolean retryable;
    private final boolean throttled;
    private final java.time.Duration retryAfter;

    private ConnectorException(String message, boolean retryable) {
        this(message, retryable, false, null);
    }

    private ConnectorException(String message, boolean retryable, boolean throttled, java.time.Duration retryAfter) {
        super(message);
        this.retryable = retryable;
        this.throttled = throttled;
        this.retryAfter = retryAfter;
    }

    /**
     * The source or the destination asked to slow down ({@code 429}, {@code 503}): not a failure of the
     * date; the sync's calls wait {@code retryAfter} (its {@code Retry-After}), or back off when null.
     */
    public static ConnectorException throttled(String message, java.time.Duration retryAfter) {
        return new ConnectorException(message, true, true, retryAfter);
    }

    /** Whether the other side asked to slow down rather than failed: see {@link #throttled(String, java.time.Duration)}. */
    public boolean throttled() {
        return throttled;
    }

    /** How long the other side asked to wait ({@code Retry-After}), or null when it did not say. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    /** A retry may help: timeouts, connection failures, 5xx, 429, throttling. */
    public static ConnectorException retryable(String message) {
        return new ConnectorException(message, true);
    }

    /** A retry will not help: 4xx, bad config, bad data. */
    public static ConnectorException permanent(String message) {
        return new ConnectorException(message, false);
    }

    public boolean retryable() {
        return retryable;
    }
}
