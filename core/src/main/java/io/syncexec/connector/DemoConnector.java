package io.syncexec.connector;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The {@code demo} connector: writes deterministic records for a date into an append-only
 * destination ({@link DemoDestination}: template.yaml's {@code DemoDestinationTable} on AWS), so that
 * duplicates are visible.
 *
 * <p>Items are keyed by {@code dateKey = <clientId>#<syncId>#<date>} and
 * {@code recordId = g<generation, 6 digits>#r<index, 4 digits>}. A retry of the same generation
 * overwrites its own items (no duplicate); a re-import (the next generation) adds the same records
 * again under new keys, as a real tool would that received them twice. {@link #countRecords}
 * counts them.
 *
 * <p>Config: {@code recordsPerDate} (0 to 10,000; default {@code 5 + epochDay % 10});
 * {@code failureRate} (0 to 1, default 0: the fraction of imports that fail with a retryable
 * error, for demos of retries); {@code failingDates} (dates, as "YYYY-MM-DD", that always fail:
 * for demos of {@code FAILED} dates); {@code latencyMillis} (how long the source takes per date);
 * {@code throttledUntil} (an instant: until then the source answers {@code 429} with a
 * {@code Retry-After} of the seconds left, or with none when {@code throttleRetryAfter} is false:
 * for demos of a source's rate limit). These are {@link #FAULT_SETTINGS}: a stack accepts them only
 * when deployed to allow them.
 */
public final class DemoConnector implements Connector {
    public static final String TYPE = "demo";
    /** The settings that make the demo source fail or slow down: for demos and tests, off in a deployed stack by default. */
    public static final List<String> FAULT_SETTINGS = List.of("failureRate", "failingDates", "latencyMillis", "throttledUntil",
            "throttleRetryAfter");
    static final int MAX_RECORDS_PER_DATE = 10_000;

    /** Waits: the source's latency, and a destination's pause between attempts; tests replace it to run without sleeping. */
    public interface Pause {
        Pause SLEEP = duration -> Thread.sleep(duration.toMillis());

        void pause(Duration duration) throws InterruptedException;
    }

    private final DemoDestination destination;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Pause pause;

    /** @param destination where records go; null when the stack has none (every import then fails permanently) */
    public DemoConnector(DemoDestination destination, Clock clock) {
        this(destination, clock, () -> ThreadLocalRandom.current().nextDouble(), Pause.SLEEP);
    }

    /** With the draws of {@code failureRate} and the waits given (tests). */
    public DemoConnector(DemoDestination destination, Clock clock, DoubleSupplier random, Pause pause) {
        this.destination = destination;
        this.clock = clock;
        this.random = random;
        this.pause = pause;
    }

    @Override
    public long importDate(ImportContext context) throws ConnectorException {
        ConnectorConfig config = new ConnectorConfig(TYPE, context.sync().connectorConfig());
        long records = config.integer("recordsPerDate", defaultRecordsPerDate(context.date()), 0, MAX_RECORDS_PER_DATE);
        double failureRate = config.number("failureRate", 0, 0, 1);
        if (destination == null) {
            throw ConnectorException.permanent("demo connector: no destination table is configured");
        }
        throttle(context);
        long latencyMillis = config.integer("latencyMillis", 0, 0, 60_000);
        if (latencyMillis > 0) {
            // A slow source, for demos of progress and cancel; one slower than the import's deadline is
            // given up at the deadline, as the http connector's timeouts give up on a source that hangs.
            Duration latency = Duration.ofMillis(latencyMillis);
            Duration left = context.deadline() == null ? latency : Duration.between(clock.instant(), context.deadline());
            try {
                pause.pause(left.compareTo(latency) < 0 ? (left.isNegative() ? Duration.ZERO : left) : latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ConnectorException.retryable("demo connector: interrupted");
            }
            if (left.compareTo(latency) < 0) {
                throw ConnectorException.retryable("demo connector: the source did not answer within the import's deadline ("
                        + left.toMillis() + " ms)");
            }
        }
        if (failureRate > 0 && random.getAsDouble() < failureRate) {
            throw ConnectorException.retryable("demo connector: simulated failure (config.failureRate " + failureRate + ")");
        }
        if (failingDates(context).contains(context.date().toString())) {
            throw ConnectorException.retryable("demo connector: the source has no data for " + context.date() + " (config.failingDates)");
        }

        String dateKey = dateKey(context.sync().clientId(), context.sync().syncId(), context.date());
        String writtenAt = clock.instant().toString();
        List<DemoDestination.Row> rows = new ArrayList<>((int) records);
        for (int index = 0; index < records; index++) {
            rows.add(new DemoDestination.Row(dateKey, recordId(context.generation(), index), context.generation(), context.executionId(),
                    payload(context.sync().clientId(), context.sync().syncId(), context.date(), index), writtenAt));
        }
        destination.write(rows);
        return records;
    }

    /** A source that answers 429 until {@code config.throttledUntil}, with or without a Retry-After. */
    private void throttle(ImportContext context) throws ConnectorException {
        Object until = context.sync().connectorConfig().get("throttledUntil");
        if (!(until instanceof String text)) {
            return;
        }
        java.time.Instant end;
        try {
            end = java.time.Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw ConnectorException.permanent("demo connector: config.throttledUntil is not an instant such as 2026-12-01T10:00:00Z");
        }
        java.time.Instant now = clock.instant();
        if (now.isBefore(end)) {
            boolean tell = !Boolean.FALSE.equals(context.sync().connectorConfig().get("throttleRetryAfter"));
            long seconds = Math.max(1, (Duration.between(now, end).toMillis() + 999) / 1000);
            throw ConnectorException.throttled("demo connector: the source answered HTTP 429 (Too Many Requests)"
                    + (tell ? ", Retry-After " + seconds + " s" : ""), tell ? Duration.ofSeconds(seconds) : null);
        }
    }

    /** Dates the demo source always fails on ({@code config.failingDates}): a failure that retries cannot fix. */
    private static List<?> failingDates(ImportContext context) {
        Object value = context.sync().connectorConfig().get("failingDates");
        return value instanceof List<?> list ? list : List.of();
    }

    /** The destination's hash key for one date of one sync. */
    public static String dateKey(String clientId, String syncId, LocalDate date) {
        return clientId + "#" + syncId + "#" + date;
    }

    /** The destination's range key: sorted by generation, then by index. */
    public static String recordId(int generation, int index) {
        return String.format("g%06d#r%04d", generation, index);
    }

    /** The number of records of a date when the config does not set one: 5 to 14, stable per date. */
    public static long defaultRecordsPerDate(LocalDate date) {
        return 5 + Math.floorMod(date.toEpochDay(), 10);
    }

    /**
     * A small JSON record that depends only on the sync, the date and the index, never on the
     * generation: a re-import writes the very same records again.
     */
    public static String payload(String clientId, String syncId, LocalDate date, int index) {
        int seed = (clientId + "#" + syncId + "#" + date + "#" + index).hashCode();
        long cents = Math.floorMod(seed, 100_000);
        long sku = Math.floorMod(seed / 100_000, 1_000);
        return String.format("{\"date\":\"%s\",\"index\":%d,\"sku\":\"SKU-%03d\",\"amount\":%d.%02d}",
                date, index, sku, cents / 100, cents % 100);
    }
}
