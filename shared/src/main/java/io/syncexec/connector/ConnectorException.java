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

    private ConnectorException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
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
