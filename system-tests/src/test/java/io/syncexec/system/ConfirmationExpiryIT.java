package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.local.LocalCloudExtension;
import io.syncexec.stepfunctions.engine.VirtualScheduler;
import io.syncexec.system.Operator.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;

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
    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension(options -> options.withScheduler(TIME));

    @Test
    void aReimportNobodyConfirmsExpiresAtItsDeadlineAndImportsNothing() {
        Operator op = new Operator(CLOUD.cloud());
        op.sync("orders", true, 2, "{\"recordsPerDate\":3}");
        Answer waiting = op.awaitingReimport("orders", yesterday());

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

    @Test
    void aConfirmationWhoseSignalFailedIsRetriedAfterItsWaitTimedOutWithoutA5xx() {
        Operator op = new Operator(CLOUD.cloud());
        op.sync("orders", true, 2, "{\"recordsPerDate\":3}");
        Answer waiting = op.awaitingReimport("orders", yesterday());
        RequestRecorder.failNext("Sfn", "SendTaskSuccess", "io.syncexec.api.ExecutionApiHandler", 1);
        assertEquals("SERVICE_UNAVAILABLE", expect(503, op.confirm("orders", waiting.json())).code());

        // Nobody retries within the window: the wait times out, and the run ends at its deadline.
        TIME.advance(Duration.ofSeconds(86_400).plusSeconds(1));
        JsonNode done = op.awaitEnd("orders", waiting.id());
        assertEquals("EXPIRED", done.path("status").asText());
        assertTrue(op.sync("orders").path("activeExecutionId").isNull(), "the sync is free again");

        // The late retry finds the run ended and its token gone (Finalize removes it): a clear 409, never a 5xx.
        assertEquals("ALREADY_FINISHED", expect(409, op.confirm("orders", waiting.json())).code());
        assertEquals("EXPIRED", op.get("orders", waiting.id()).json().path("status").asText());
        assertEquals(1, op.ledger("orders", yesterday()).path("importCount").asInt(), "nothing was re-imported");
        assertEquals(3, op.records("orders", yesterday()));
    }
}
