package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.local.LocalCloud;
import io.syncexec.stepfunctions.engine.VirtualScheduler;
import io.syncexec.standins.Await;
import io.syncexec.system.Operator.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.syncexec.system.Operator.expect;
import static io.syncexec.system.Operator.yesterday;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A re-import nobody confirms ends EXPIRED at its deadline (24 h by default), with nothing
 * imported. The Step Functions stand-in runs on a virtual clock here, so the day passes at once.
 */
class ConfirmationExpiryIT {
    private static final VirtualScheduler TIME = new VirtualScheduler(Instant.now());
    private static LocalCloud cloud;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.start(LocalCloud.Options.defaults().withScheduler(TIME));
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void aReimportNobodyConfirmsExpiresAtItsDeadlineAndImportsNothing() {
        Operator op = new Operator(cloud);
        op.sync("orders", true, 2, "{\"recordsPerDate\":3}");
        String single = "{\"mode\":\"SINGLE_DATE\",\"date\":\"" + yesterday() + "\"}";
        op.awaitEnd("orders", expect(202, op.create("orders", single)).id());

        Answer waiting = expect(202, op.create("orders", single));
        assertEquals("AWAITING_CONFIRMATION", waiting.json().path("status").asText());
        awaitTaskTokenStored(op, waiting.id());

        TIME.advance(Duration.ofSeconds(86_400).plusSeconds(1));
        JsonNode done = op.awaitEnd("orders", waiting.id());
        assertEquals("EXPIRED", done.path("status").asText());
        assertEquals(1, done.path("progress").path("cancelled").asInt());
        assertEquals("CANCELLED", done.path("outcomes").get(0).path("outcome").asText());
        assertEquals(1, op.ledger("orders", yesterday()).path("importCount").asInt(), "nothing was re-imported");
        assertEquals(3, op.records("orders", yesterday()));
        assertTrue(op.sync("orders").path("activeExecutionId").isNull(), "the sync is free again");
        assertEquals("ALREADY_FINISHED", expect(409, op.confirm("orders", waiting.json())).code());
    }

    /** The workflow has reached its confirmation wait once the token is stored with the execution. */
    private static void awaitTaskTokenStored(Operator op, String executionId) {
        Map<String, AttributeValue> key = Map.of("syncKey", AttributeValue.fromS(op.clientId + "#orders"),
                "executionId", AttributeValue.fromS(executionId));
        Await.until(Duration.ofSeconds(30), "the workflow to reach its confirmation wait", () -> cloud.standIns().dynamo()
                .getItem(r -> r.tableName(cloud.standIns().table("ExecutionsTable")).key(key).consistentRead(true))
                .item().containsKey("taskToken"));
    }
}
