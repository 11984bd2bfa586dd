package io.syncexec.connector;

import static io.syncexec.dynamodb.Attributes.n;
import static io.syncexec.dynamodb.Attributes.s;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

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
 * DynamoDB table (template.yaml's {@code DemoDestinationTable}), so that duplicates are visible.
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
    static final int BATCH_SIZE = 25;
    static final int MAX_BATCH_ATTEMPTS = 8;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    /** Waits between attempts of a batch; tests replace it to run without sleeping. */
    interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Pause pause;

    public DemoConnector(DynamoDbClient dynamo, String table, Clock clock) {
        this(dynamo, table, clock, () -> ThreadLocalRandom.current().nextDouble(),
                duration -> Thread.sleep(duration.toMillis()));
    }

    DemoConnector(DynamoDbClient dynamo, String table, Clock clock, DoubleSupplier random, Pause pause) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.random = random;
        this.pause = pause;
    }

    @Override
    public long importDate(ImportContext context) throws ConnectorException {
        ConnectorConfig config = new ConnectorConfig(TYPE, context.sync().connectorConfig());
        long records = config.integer("recordsPerDate", defaultRecordsPerDate(context.date()), 0, MAX_RECORDS_PER_DATE);
        double failureRate = config.number("failureRate", 0, 0, 1);
        if (dynamo == null || table == null || table.isBlank()) {
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
        List<WriteRequest> batch = new ArrayList<>(BATCH_SIZE);
        for (int index = 0; index < records; index++) {
            batch.add(WriteRequest.builder()
                    .putRequest(PutRequest.builder().item(item(context, dateKey, index, writtenAt)).build())
                    .build());
            if (batch.size() == BATCH_SIZE) {
                write(batch);
                batch = new ArrayList<>(BATCH_SIZE);
            }
        }
        if (!batch.isEmpty()) {
            write(batch);
        }
        return records;
    }

    /**
     * How many records the destination holds for one date, all generations included (a date
     * imported twice shows twice its records). A strongly consistent Query with {@code Select
     * COUNT}, all pages.
     */
    public static long countRecords(DynamoDbClient dynamo, String table, String clientId, String syncId, LocalDate date) {
        QueryRequest request = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("dateKey = :dateKey")
                .expressionAttributeValues(Map.of(":dateKey", s(dateKey(clientId, syncId, date))))
                .select(Select.COUNT)
                .consistentRead(true)
                .build();
        long count = 0;
        for (QueryResponse page : dynamo.queryPaginator(request)) {
            count += page.count();
        }
        return count;
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
    static String recordId(int generation, int index) {
        return String.format("g%06d#r%04d", generation, index);
    }

    /** The number of records of a date when the config does not set one: 5 to 14, stable per date. */
    static long defaultRecordsPerDate(LocalDate date) {
        return 5 + Math.floorMod(date.toEpochDay(), 10);
    }

    /**
     * A small JSON record that depends only on the sync, the date and the index, never on the
     * generation: a re-import writes the very same records again.
     */
    static String payload(String clientId, String syncId, LocalDate date, int index) {
        int seed = (clientId + "#" + syncId + "#" + date + "#" + index).hashCode();
        long cents = Math.floorMod(seed, 100_000);
        long sku = Math.floorMod(seed / 100_000, 1_000);
        return String.format("{\"date\":\"%s\",\"index\":%d,\"sku\":\"SKU-%03d\",\"amount\":%d.%02d}",
                date, index, sku, cents / 100, cents % 100);
    }

    private static Map<String, AttributeValue> item(ImportContext context, String dateKey, int index, String writtenAt) {
        return Map.of(
                "dateKey", s(dateKey),
                "recordId", s(recordId(context.generation(), index)),
                "generation", n(context.generation()),
                "executionId", s(context.executionId()),
                "payload", s(payload(context.sync().clientId(), context.sync().syncId(), context.date(), index)),
                "writtenAt", s(writtenAt));
    }

    /** One BatchWriteItem of at most 25 puts, retrying unprocessed items with a capped exponential backoff. */
    private void write(List<WriteRequest> requests) throws ConnectorException {
        Map<String, List<WriteRequest>> pending = Map.of(table, requests);
        for (int attempt = 1; ; attempt++) {
            BatchWriteItemResponse response = batchWrite(pending);
            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            int unprocessed = pending.values().stream().mapToInt(List::size).sum();
            if (unprocessed == 0) {
                return;
            }
            if (attempt == MAX_BATCH_ATTEMPTS) {
                throw ConnectorException.retryable("demo connector: DynamoDB left " + unprocessed
                        + " items unprocessed after " + MAX_BATCH_ATTEMPTS + " attempts");
            }
            try {
                pause.pause(backoff(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ConnectorException.retryable("demo connector: interrupted while writing");
            }
        }
    }

    private BatchWriteItemResponse batchWrite(Map<String, List<WriteRequest>> requestItems) throws ConnectorException {
        try {
            return dynamo.batchWriteItem(BatchWriteItemRequest.builder().requestItems(requestItems).build());
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String what = "demo connector: DynamoDB answered " + (code == null ? "" : code + " ") + "(HTTP " + e.statusCode() + ")";
            throw e.isThrottlingException() || e.statusCode() >= 500
                    ? ConnectorException.retryable(what)
                    : ConnectorException.permanent(what);
        } catch (SdkClientException e) {
            throw ConnectorException.retryable("demo connector: DynamoDB could not be reached (" + e.getClass().getSimpleName() + ")");
        }
    }

    static Duration backoff(int attempt) {
        Duration delay = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt - 1, 10));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }
}
