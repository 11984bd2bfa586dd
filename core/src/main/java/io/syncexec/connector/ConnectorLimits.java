package io.syncexec.connector;

/**
 * How hard one sync may use its source (the sync definition's {@code connector.limits}):
 * at most {@code maxConcurrentDates} dates of the sync imported at once, across all workers, and,
 * when {@code requestsPerMinute} is set, its source calls paced to that rate.
 *
 * @param requestsPerMinute null for no pacing
 */
public record ConnectorLimits(int maxConcurrentDates, Integer requestsPerMinute) {
    public static final int DEFAULT_MAX_CONCURRENT_DATES = 4;
    public static final int MAX_CONCURRENT_DATES_LIMIT = 100;
    public static final int MAX_REQUESTS_PER_MINUTE = 6000;
    public static final ConnectorLimits DEFAULT = new ConnectorLimits(DEFAULT_MAX_CONCURRENT_DATES, null);

    public ConnectorLimits {
        if (maxConcurrentDates < 1 || maxConcurrentDates > MAX_CONCURRENT_DATES_LIMIT) {
            throw new IllegalArgumentException("maxConcurrentDates must be 1 to " + MAX_CONCURRENT_DATES_LIMIT + ": " + maxConcurrentDates);
        }
        if (requestsPerMinute != null && (requestsPerMinute < 1 || requestsPerMinute > MAX_REQUESTS_PER_MINUTE)) {
            throw new IllegalArgumentException("requestsPerMinute must be 1 to " + MAX_REQUESTS_PER_MINUTE + ": " + requestsPerMinute);
        }
    }
}
