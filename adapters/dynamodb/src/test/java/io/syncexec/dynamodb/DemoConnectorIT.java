package io.syncexec.dynamodb;

import io.syncexec.connector.DemoConnector;
import io.syncexec.connector.ImportContext;
import io.syncexec.connector.SyncConnection;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo connector against dynalite and template.yaml's DemoDestinationTable. */
@ExtendWith(StandInsExtension.class)
class DemoConnectorIT {
    private static final LocalDate DATE = LocalDate.of(2026, 2, 28);

    private final StandIns aws;
    private final String table;
    private final DemoConnector connector;
    /** A client of its own for each test: the stand-ins live for the whole run. */
    private final String clientId = "demo-it-" + UUID.randomUUID();

    DemoConnectorIT(StandIns aws) {
        this.aws = aws;
        this.table = aws.table("DemoDestinationTable");
        this.connector = new DemoConnector(new DynamoDbDemoDestination(aws.dynamo(), table), Clock.systemUTC());
    }

    @Test
    void aRetryOfTheSameGenerationOverwritesInsteadOfDuplicating() throws Exception {
        ImportContext first = context("orders", Map.of("recordsPerDate", 30), 1, "execution-1");

        assertEquals(30, connector.importDate(first));
        assertEquals(30, connector.importDate(first));

        assertEquals(30, count("orders", DATE));
    }

    @Test
    void aReimportAddsTheSameRecordsAgainUnderItsGeneration() throws Exception {
        connector.importDate(context("orders", Map.of("recordsPerDate", 30), 1, "execution-1"));
        connector.importDate(context("orders", Map.of("recordsPerDate", 30), 2, "execution-2"));

        assertEquals(60, count("orders", DATE));
        List<Map<String, AttributeValue>> items = items("orders", DATE);
        List<Map<String, AttributeValue>> firstGeneration = items.stream().filter(item -> item.get("generation").n().equals("1")).toList();
        List<Map<String, AttributeValue>> secondGeneration = items.stream().filter(item -> item.get("generation").n().equals("2")).toList();
        assertEquals(30, firstGeneration.size());
        assertEquals(30, secondGeneration.size());
        assertTrue(firstGeneration.stream().allMatch(item -> item.get("executionId").s().equals("execution-1")));
        assertTrue(secondGeneration.stream().allMatch(item -> item.get("executionId").s().equals("execution-2")));
        assertEquals(payloads(firstGeneration), payloads(secondGeneration), "a duplicate is the same record twice");
        assertEquals("g000002#r0029", items.get(items.size() - 1).get("recordId").s());
    }

    @Test
    void countRecordsCountsOnlyItsSyncAndDate() throws Exception {
        connector.importDate(context("orders", Map.of("recordsPerDate", 12), 1, "execution-1"));
        connector.importDate(context("invoices", Map.of("recordsPerDate", 4), 1, "execution-2"));

        assertEquals(12, count("orders", DATE));
        assertEquals(4, count("invoices", DATE));
        assertEquals(0, count("orders", DATE.plusDays(1)));
        assertEquals(0, DynamoDbDemoDestination.countRecords(aws.dynamo(), table, "no-such-client", "orders", DATE));
    }

    @Test
    void withoutRecordsPerDateEachDateGetsItsOwnStableCount() throws Exception {
        LocalDate leapDay = LocalDate.of(2028, 2, 29);
        long written = connector.importDate(new ImportContext(sync("orders", Map.of()), leapDay, 1, "execution-1"));

        assertEquals(8, written);
        assertEquals(written, count("orders", leapDay));
    }

    @Test
    void aDateWithZeroRecordsWritesNothing() throws Exception {
        assertEquals(0, connector.importDate(context("orders", Map.of("recordsPerDate", 0), 1, "execution-1")));

        assertEquals(0, count("orders", DATE));
    }

    private long count(String syncId, LocalDate date) {
        return DynamoDbDemoDestination.countRecords(aws.dynamo(), table, clientId, syncId, date);
    }

    private List<Map<String, AttributeValue>> items(String syncId, LocalDate date) {
        return aws.dynamo().queryPaginator(request -> request
                        .tableName(table)
                        .keyConditionExpression("dateKey = :dateKey")
                        .expressionAttributeValues(Map.of(":dateKey", AttributeValue.fromS(DemoConnector.dateKey(clientId, syncId, date))))
                        .consistentRead(true))
                .items().stream().toList();
    }

    private static List<String> payloads(List<Map<String, AttributeValue>> items) {
        return items.stream().map(item -> item.get("payload").s()).toList();
    }

    private ImportContext context(String syncId, Map<String, Object> config, int generation, String executionId) {
        return new ImportContext(sync(syncId, config), DATE, generation, executionId);
    }

    private SyncConnection sync(String syncId, Map<String, Object> config) {
        return new SyncConnection(clientId, syncId, DemoConnector.TYPE, config);
    }
}
