package io.syncexec.dynamodb;

import io.syncexec.connector.ConnectorException;
import io.syncexec.connector.DemoConnector;
import io.syncexec.connector.ImportContext;
import io.syncexec.connector.SyncConnection;
import io.syncexec.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo connector against a scripted DynamoDB client: batching, retries, errors, config. */
class DemoConnectorTest {
    private static final String TABLE = "destination";
    private static final LocalDate DATE = LocalDate.of(2026, 11, 20);
    private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");

    /** A DynamoDB client that records every BatchWriteItem and answers with a script. */
    private static class ScriptedDynamo implements DynamoDbClient {
        final List<BatchWriteItemRequest> calls = new ArrayList<>();
        final List<WriteRequest> written = new ArrayList<>();
        private final Function<Integer, Integer> unprocessedOnCall;

        /** {@code unprocessedOnCall}: how many of the call's items (its last ones) to leave unprocessed. */
        ScriptedDynamo(Function<Integer, Integer> unprocessedOnCall) {
            this.unprocessedOnCall = unprocessedOnCall;
        }

        @Override
        public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
            calls.add(request);
            List<WriteRequest> items = request.requestItems().get(TABLE);
            int unprocessed = Math.min(items.size(), unprocessedOnCall.apply(calls.size()));
            written.addAll(items.subList(0, items.size() - unprocessed));
            return BatchWriteItemResponse.builder()
                    .unprocessedItems(unprocessed == 0 ? Map.of() : Map.of(TABLE, items.subList(items.size() - unprocessed, items.size())))
                    .build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }

    private final List<Duration> pauses = new ArrayList<>();

    @Test
    void writesTheRecordsInBatchesOf25() throws Exception {
        ScriptedDynamo dynamo = new ScriptedDynamo(call -> 0);

        long written = connector(dynamo, 0.5).importDate(context(Map.of("recordsPerDate", 60), 3));

        assertEquals(60, written);
        assertEquals(List.of(25, 25, 10), dynamo.calls.stream().map(call -> call.requestItems().get(TABLE).size()).toList());
        var first = dynamo.written.get(0).putRequest().item();
        assertEquals("acme#orders#2026-11-20", first.get("dateKey").s());
        assertEquals("g000003#r0000", first.get("recordId").s());
        assertEquals("3", first.get("generation").n());
        assertEquals("execution-1", first.get("executionId").s());
        assertEquals(NOW.toString(), first.get("writtenAt").s());
        assertEquals("g000003#r0059", dynamo.written.get(59).putRequest().item().get("recordId").s());
        assertTrue(pauses.isEmpty());
    }

    @Test
    void retriesUnprocessedItemsWithAGrowingPauseUntilAllAreWritten() throws Exception {
        ScriptedDynamo dynamo = new ScriptedDynamo(call -> call <= 3 ? 10 : 0);

        long written = connector(dynamo, 0.5).importDate(context(Map.of("recordsPerDate", 20), 1));

        assertEquals(20, written);
        assertEquals(20, dynamo.written.size());
        assertEquals(20, dynamo.written.stream().map(write -> write.putRequest().item().get("recordId").s()).distinct().count());
        assertEquals(List.of(20, 10, 10, 10), dynamo.calls.stream().map(call -> call.requestItems().get(TABLE).size()).toList());
        assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200)), pauses);
    }

    @Test
    void givesUpOnItemsThatStayUnprocessedAfterBoundedAttemptsAsRetryable() {
        ScriptedDynamo dynamo = new ScriptedDynamo(call -> Integer.MAX_VALUE);

        ConnectorException error = assertThrows(ConnectorException.class,
                () -> connector(dynamo, 0.5).importDate(context(Map.of("recordsPerDate", 5), 1)));

        assertTrue(error.retryable());
        assertEquals("demo connector: DynamoDB left 5 items unprocessed after 8 attempts", error.getMessage());
        assertEquals(DynamoDbDemoDestination.MAX_BATCH_ATTEMPTS, dynamo.calls.size());
        assertEquals(DynamoDbDemoDestination.MAX_BATCH_ATTEMPTS - 1, pauses.size());
        assertTrue(pauses.stream().allMatch(pause -> pause.compareTo(Duration.ofSeconds(2)) <= 0), pauses.toString());
    }

    @Test
    void throttlingAndServerErrorsAreRetryableAndAMissingTableIsPermanent() {
        assertTrue(failureOf(ProvisionedThroughputExceededException.builder()
                .statusCode(400).awsErrorDetails(details("ProvisionedThroughputExceededException")).build()).retryable());
        assertTrue(failureOf(DynamoDbException.builder()
                .statusCode(500).awsErrorDetails(details("InternalServerError")).build()).retryable());
        assertTrue(failureOf(SdkClientException.create("connection reset")).retryable());

        ConnectorException missingTable = failureOf(ResourceNotFoundException.builder()
                .statusCode(400).awsErrorDetails(details("ResourceNotFoundException")).build());
        assertFalse(missingTable.retryable());
        assertEquals("demo connector: DynamoDB answered ResourceNotFoundException (HTTP 400)", missingTable.getMessage());
    }

    @Test
    void aFailureRateOfOneFailsEveryImportAsRetryableBeforeWriting() {
        ScriptedDynamo dynamo = new ScriptedDynamo(call -> 0);

        ConnectorException error = assertThrows(ConnectorException.class,
                () -> connector(dynamo, 0.99).importDate(context(Map.of("failureRate", 1), 1)));

        assertTrue(error.retryable());
        assertTrue(error.getMessage().contains("simulated failure"), error.getMessage());
        assertTrue(dynamo.calls.isEmpty());
    }

    @Test
    void aThrottledSourceAnswers429WithTheSecondsLeftUntilItsEndThenImports() throws Exception {
        ScriptedDynamo dynamo = new ScriptedDynamo(call -> 0);
        ConnectorException throttled = assertThrows(ConnectorException.class, () -> connector(dynamo, 0.99)
                .importDate(context(Map.of("recordsPerDate", 1, "throttledUntil", NOW.plusMillis(19_500).toString()), 1)));
        assertTrue(throttled.throttled());
        assertEquals(java.time.Duration.ofSeconds(20), throttled.retryAfter());
        assertTrue(dynamo.calls.isEmpty(), "nothing written while throttled");

        ConnectorException silent = assertThrows(ConnectorException.class, () -> connector(dynamo, 0.99).importDate(context(
                Map.of("throttledUntil", NOW.plusSeconds(5).toString(), "throttleRetryAfter", false), 1)));
        assertTrue(silent.throttled());
        assertEquals(null, silent.retryAfter(), "a 429 without Retry-After");

        assertEquals(1, connector(dynamo, 0.99).importDate(context(Map.of("recordsPerDate", 1, "throttledUntil", NOW.toString()), 1)));
        ConnectorException invalid = assertThrows(ConnectorException.class, () -> connector(dynamo, 0.99)
                .importDate(context(Map.of("throttledUntil", "soon"), 1)));
        assertTrue(!invalid.retryable() && invalid.getMessage().contains("config.throttledUntil"), invalid.getMessage());
    }

    @Test
    void aFailureRateFailsOnlyWhenTheDrawFallsBelowIt() throws Exception {
        ScriptedDynamo dynamo = new ScriptedDynamo(call -> 0);
        Map<String, Object> config = Map.of("failureRate", 0.3, "recordsPerDate", 2);

        assertEquals(2, connector(dynamo, 0.3).importDate(context(config, 1)));
        assertThrows(ConnectorException.class, () -> connector(dynamo, 0.29).importDate(context(config, 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"recordsPerDate\": -1}", "{\"recordsPerDate\": 10001}", "{\"recordsPerDate\": 2.5}",
            "{\"recordsPerDate\": \"ten\"}", "{\"failureRate\": 1.5}", "{\"failureRate\": \"often\"}"})
    void anInvalidConfigIsPermanent(String json) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> config = Json.MAPPER.readValue(json, Map.class);
        ScriptedDynamo dynamo = new ScriptedDynamo(call -> 0);

        ConnectorException error = assertThrows(ConnectorException.class,
                () -> connector(dynamo, 0.5).importDate(context(config, 1)));

        assertFalse(error.retryable());
        assertTrue(error.getMessage().startsWith("demo connector: config."), error.getMessage());
        assertTrue(dynamo.calls.isEmpty());
    }

    @Test
    void withoutRecordsPerDateTheCountIsDerivedFromTheDate() throws Exception {
        ScriptedDynamo dynamo = new ScriptedDynamo(call -> 0);
        // 5 to 14 records a day, by the date: 2026-11-20 has 12, the next day 13, 1969-12-25 has 8.
        assertEquals(12, connector(dynamo, 0.5).importDate(context(Map.of(), 1)));
        assertEquals(12, connector(dynamo, 0.5).importDate(context(Map.of(), 2)));
        assertEquals(13, DemoConnector.defaultRecordsPerDate(DATE.plusDays(1)));
        assertEquals(8, DemoConnector.defaultRecordsPerDate(LocalDate.of(1969, 12, 25)), "dates before 1970 too");
    }

    @Test
    void aRecordsPayloadDependsOnTheSyncDateAndIndexButNotTheGeneration() throws Exception {
        String payload = DemoConnector.payload("acme", "orders", DATE, 7);

        assertEquals(payload, DemoConnector.payload("acme", "orders", DATE, 7));
        assertNotEquals(payload, DemoConnector.payload("acme", "orders", DATE, 8));
        assertNotEquals(payload, DemoConnector.payload("acme", "orders", DATE.plusDays(1), 7));
        assertEquals("2026-11-20", Json.MAPPER.readTree(payload).get("date").asText());
        assertEquals(7, Json.MAPPER.readTree(payload).get("index").asInt());
    }

    private ConnectorException failureOf(RuntimeException failure) {
        DynamoDbClient dynamo = new ScriptedDynamo(call -> 0) {
            @Override
            public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
                throw failure;
            }
        };
        return assertThrows(ConnectorException.class,
                () -> connector(dynamo, 0.5).importDate(context(Map.of("recordsPerDate", 1), 1)));
    }

    @Test
    void aSourceSlowerThanTheImportsDeadlineIsGivenUpAtTheDeadlineAndRetried() {
        ScriptedDynamo dynamo = new ScriptedDynamo(call -> 0);
        ImportContext slow = context(Map.of("recordsPerDate", 5, "latencyMillis", 60_000), 1);
        ImportContext withDeadline = new ImportContext(slow.sync(), slow.date(), 1, "execution-1", NOW.plusSeconds(20));

        ConnectorException timedOut = assertThrows(ConnectorException.class, () -> connector(dynamo, 0.5).importDate(withDeadline));

        assertTrue(timedOut.retryable());
        assertTrue(timedOut.getMessage().contains("did not answer within the import's deadline"), timedOut.getMessage());
        assertEquals(List.of(Duration.ofSeconds(20)), pauses, "it waits until the deadline, not the whole latency");
        assertTrue(dynamo.calls.isEmpty(), "nothing written");
    }

    private static AwsErrorDetails details(String code) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage("scripted").build();
    }

    private DemoConnector connector(DynamoDbClient dynamo, double draw) {
        return new DemoConnector(new DynamoDbDemoDestination(dynamo, TABLE, pauses::add), Clock.fixed(NOW, ZoneOffset.UTC), () -> draw, pauses::add);
    }

    private static ImportContext context(Map<String, Object> config, int generation) {
        SyncConnection sync = new SyncConnection("acme", "orders", DemoConnector.TYPE, config);
        return new ImportContext(sync, DATE, generation, "execution-1");
    }
}
