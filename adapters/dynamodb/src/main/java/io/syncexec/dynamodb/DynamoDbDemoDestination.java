package io.syncexec.dynamodb;

import io.syncexec.connector.ConnectorException;
import io.syncexec.connector.DemoConnector;
import io.syncexec.connector.DemoDestination;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.syncexec.dynamodb.Attributes.n;
import static io.syncexec.dynamodb.Attributes.s;

/**
 * The demo connector's destination on DynamoDB (template.yaml's {@code DemoDestinationTable}): items
 * keyed by {@code dateKey} and {@code recordId}, written by {@code BatchWriteItem}s of at most 25 puts,
 * each retrying its unprocessed items with a capped exponential backoff.
 */
public final class DynamoDbDemoDestination implements DemoDestination {
    static final int BATCH_SIZE = 25;
    static final int MAX_BATCH_ATTEMPTS = 8;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final DynamoDbClient dynamo;
    private final String table;
    private final DemoConnector.Pause pause;

    public DynamoDbDemoDestination(DynamoDbClient dynamo, String table) {
        this(dynamo, table, DemoConnector.Pause.SLEEP);
    }

    /** With the pause between attempts given (tests). */
    public DynamoDbDemoDestination(DynamoDbClient dynamo, String table, DemoConnector.Pause pause) {
        this.dynamo = dynamo;
        this.table = table;
        this.pause = pause;
    }

    @Override
    public void write(List<Row> rows) throws ConnectorException {
        for (int from = 0; from < rows.size(); from += BATCH_SIZE) {
            List<WriteRequest> batch = new ArrayList<>(BATCH_SIZE);
            for (Row row : rows.subList(from, Math.min(rows.size(), from + BATCH_SIZE))) {
                batch.add(WriteRequest.builder().putRequest(put -> put.item(item(row))).build());
            }
            writeBatch(batch);
        }
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
                .expressionAttributeValues(Map.of(":dateKey", s(DemoConnector.dateKey(clientId, syncId, date))))
                .select(Select.COUNT)
                .consistentRead(true)
                .build();
        long count = 0;
        for (QueryResponse page : dynamo.queryPaginator(request)) {
            count += page.count();
        }
        return count;
    }

    private static Map<String, AttributeValue> item(Row row) {
        return Map.of(
                "dateKey", s(row.dateKey()),
                "recordId", s(row.recordId()),
                "generation", n(row.generation()),
                "executionId", s(row.executionId()),
                "payload", s(row.payload()),
                "writtenAt", s(row.writtenAt()));
    }

    /** One BatchWriteItem of at most 25 puts, retrying unprocessed items with a capped exponential backoff. */
    private void writeBatch(List<WriteRequest> requests) throws ConnectorException {
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
            return dynamo.batchWriteItem(request -> request.requestItems(requestItems));
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
