package io.syncexec.dynamodb;

import io.syncexec.ledger.Claim;
import io.syncexec.ledger.ImportRecord;
import io.syncexec.ledger.LedgerStatus;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.syncexec.dynamodb.Attributes.n;
import static io.syncexec.dynamodb.Attributes.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ConditionalWrite} against dynalite: what a caller observes, written or not, and the item as it was. */
@ExtendWith(StandInsExtension.class)
class ConditionalWriteIT {
    private final StandIns aws;
    private final String table;
    private final ConditionalWrite writes;
    /** A client of its own for each test: the stand-ins live for the whole run. */
    private final String clientId = "condwrite-" + UUID.randomUUID();
    private final Map<String, AttributeValue> key = Map.of("clientId", s(clientId));
    private final Map<String, AttributeValue> item = Map.of("clientId", s(clientId), "name", s("Acme"), "status", s("ACTIVE"),
            "version", n(3));

    ConditionalWriteIT(StandIns aws) {
        this.aws = aws;
        this.table = aws.table("ClientsTable");
        this.writes = new ConditionalWrite(aws.dynamo(), table);
    }

    @Test
    void aConditionThatHoldsWritesAndAnswersWhatTheWriteReturned() {
        aws.dynamo().putItem(r -> r.tableName(table).item(item));

        ConditionalWrite.Result result = writes.update(key, "SET #name = :name, #version = :next")
                .when("#version = :expected AND #status = :active")
                .values(Map.of(":name", s("Acme Retail"), ":next", n(4), ":expected", n(3), ":active", s("ACTIVE")))
                .returning(ReturnValue.ALL_NEW)
                .run();

        assertTrue(result.written());
        assertEquals(Map.of(), result.old());
        assertEquals("Acme Retail", result.attributes().get("name").s());
        assertEquals(stored(), result.attributes());
    }

    @Test
    void aFailedConditionWritesNothingAndAnswersTheItemAsItWas() {
        aws.dynamo().putItem(r -> r.tableName(table).item(item));

        ConditionalWrite.Result result = writes.update(key, "SET #name = :name")
                .when("#version = :expected")
                .values(Map.of(":name", s("Other"), ":expected", n(2)))
                .returning(ReturnValue.ALL_NEW)
                .run();

        assertFalse(result.written());
        assertTrue(result.existed());
        assertEquals(item, result.old());
        assertEquals(Map.of(), result.attributes());
        assertEquals(item, stored());
    }

    @Test
    void aFailedConditionOnNoItemAnswersNoItem() {
        ConditionalWrite.Result result = writes.update(key, "SET #name = :name")
                .when("attribute_exists(#clientId)")
                .values(Map.of(":name", s("Other")))
                .run();

        assertFalse(result.written());
        assertFalse(result.existed());
        assertEquals(Map.of(), result.old());
        assertEquals(Map.of(), stored());
    }

    @Test
    void putAndDeleteAnswerTheItemAsItWasToo() {
        assertTrue(writes.put(item).when("attribute_not_exists(#clientId)").run().written());

        ConditionalWrite.Result put = writes.put(Map.of("clientId", s(clientId), "name", s("Second")))
                .when("attribute_not_exists(#clientId)").run();
        ConditionalWrite.Result delete = writes.delete(key).when("#status = :gone").values(Map.of(":gone", s("GONE"))).run();

        assertFalse(put.written());
        assertEquals(item, put.old());
        assertFalse(delete.written());
        assertEquals(item, delete.old());
        assertEquals(item, stored());
        assertTrue(writes.delete(key).when("#status = :active").values(Map.of(":active", s("ACTIVE"))).run().written());
        assertEquals(Map.of(), stored());
    }

    @Test
    void aPlaceholderMayStandForANameThatIsNoPlaceholder() {
        aws.dynamo().putItem(r -> r.tableName(table).item(Map.of("clientId", s(clientId), "slots", AttributeValue.fromM(Map.of()))));

        ConditionalWrite.Result result = writes.update(key, "SET #slots.#h = :until")
                .when("attribute_exists(#clientId) AND size(#slots) < :cap")
                .name("#h", "worker-1:lease#2")
                .values(Map.of(":until", n(42), ":cap", n(1)))
                .run();

        assertTrue(result.written());
        assertEquals(Map.of("worker-1:lease#2", n(42)), stored().get("slots").m());
    }

    @Test
    void aRawAttributeNameIsRefusedBeforeAnyRequest() {
        aws.dynamo().putItem(r -> r.tableName(table).item(item));

        assertThrows(IllegalArgumentException.class, () -> writes.update(key, "SET name = :name")
                .when("attribute_exists(#clientId)").values(Map.of(":name", s("Other"))).run());
        assertThrows(IllegalArgumentException.class, () -> writes.update(key, "SET #name = :name")
                .when("version = :v").values(Map.of(":name", s("Other"), ":v", n(3))).run());
        assertThrows(IllegalArgumentException.class, () -> writes.update(key, "SET #name = :name")
                .values(Map.of(":name", s("Other"))).run());

        assertEquals(item, stored());
    }

    @Test
    void runOrThrowThrowsTheFailedConditionWithTheItemAsItWas() {
        aws.dynamo().putItem(r -> r.tableName(table).item(item));

        ConditionalCheckFailedException failed = assertThrows(ConditionalCheckFailedException.class,
                () -> writes.update(key, "SET #name = :name").when("attribute_not_exists(#clientId)")
                        .values(Map.of(":name", s("Other"))).runOrThrow());

        assertEquals(item, failed.item());
        assertEquals(item, stored());
    }

    /** The ledger's claim says why it did not claim from the entry its write saw: one request, no read after it. */
    @Test
    void aRefusedClaimIsExplainedWithoutASecondRequest() {
        List<String> operations = new ArrayList<>();
        try (DynamoDbClient counted = countingClient(operations)) {
            DynamoDbLedgerRepository ledger = new DynamoDbLedgerRepository(counted, aws.table("LedgerTable"), Clock.systemUTC());
            LocalDate date = LocalDate.of(2026, 3, 1);
            Instant now = Instant.parse("2026-03-02T10:00:00Z");
            assertEquals(Claim.Result.CLAIMED, ledger.claim(clientId, "orders", date, "run-1", false, 0, now, now.plusSeconds(60)).result());
            ImportRecord record = new ImportRecord(1, "run-1", "MANUAL", "operator", null, null, 7, now, now.plusSeconds(5));
            assertTrue(ledger.commit(clientId, "orders", date, record));

            operations.clear();
            Claim again = ledger.claim(clientId, "orders", date, "run-1", false, 0, now.plusSeconds(10), now.plusSeconds(70));
            Claim other = ledger.claim(clientId, "orders", date, "run-2", false, 0, now.plusSeconds(10), now.plusSeconds(70));
            Claim forced = ledger.claim(clientId, "orders", date, "run-3", true, 0, now.plusSeconds(10), now.plusSeconds(70));
            Claim missing = ledger.claim(clientId, "orders", date.plusDays(1), "run-3", true, 1, now, now.plusSeconds(60));

            assertEquals(Claim.Result.DONE_BY_THIS_EXECUTION, again.result());
            assertEquals(Claim.Result.ALREADY_IMPORTED, other.result());
            assertEquals(Claim.Result.CHANGED_SINCE_PLAN, forced.result());
            assertEquals(Claim.Result.CHANGED_SINCE_PLAN, missing.result());
            assertEquals(LedgerStatus.IMPORTED, other.entry().status());
            assertEquals(1, other.entry().importCount());
            assertEquals(7, other.entry().records());
            assertEquals("run-1", other.entry().lastExecutionId());
            assertEquals(LedgerStatus.MISSING, missing.entry().status());
            assertEquals(List.of("UpdateItem", "UpdateItem", "UpdateItem", "UpdateItem"), operations);
        }
    }

    private Map<String, AttributeValue> stored() {
        return aws.dynamo().getItem(r -> r.tableName(table).key(key).consistentRead(true)).item();
    }

    private DynamoDbClient countingClient(List<String> operations) {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                String request = context.request().getClass().getSimpleName();
                operations.add(request.substring(0, request.length() - "Request".length()));
            }
        };
        return DynamoDbClient.builder()
                .endpointOverride(aws.dynamoEndpoint())
                .region(Region.of(StandIns.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(StandIns.ACCESS_KEY_ID, StandIns.SECRET_ACCESS_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter))
                .build();
    }
}
