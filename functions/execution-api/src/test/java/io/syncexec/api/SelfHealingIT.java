package io.syncexec.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.dynamodb.DynamoDbExecutionRepository;
import io.syncexec.dynamodb.DynamoDbSyncRepository;
import io.syncexec.standins.ApiClient.Answer;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncRepository;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.syncexec.api.ApiHarness.admin;
import static io.syncexec.api.ApiHarness.operator;
import static io.syncexec.standins.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue "Runs heal themselves": each fault, and what an operator sees after it. The faults are
 * named in the test names so they can become rows of the fault table: a sync with a
 * {@code firstDate} typo, the execution record that cannot be written, {@code StartExecution}
 * fails ({@link ExecutionApiIT#aWorkflowThatCannotStartLeavesAFailedExecutionAndAFreeSync}),
 * {@code SendTaskSuccess} for the confirmation fails once, {@code SendTaskFailure} for a decline
 * fails once; and client input that used to reach a 500 or be misread.
 */
class SelfHealingIT extends OwnClientIT {
    private static final String SYNC_BODY = """
            {"name":"Orders","timezone":"Europe/Paris","firstDate":"%s","supportsPeriodExecution":true,
             "connector":{"type":"demo"}}""";

    private Answer create(String syncId, String body) {
        return api.call("POST", base + "/" + syncId + "/executions", body, op);
    }

    private Answer putSync(String syncId, String body) {
        return api.call("PUT", base + "/" + syncId, body, admin());
    }

    private void refused(int status, String code, String field, Supplier<Answer> call) {
        var before = api.standIns.snapshot();
        Answer response = call.get();
        assertEquals(status, response.status(), response.json().toString());
        assertEquals(code, response.code(), response.json().toString());
        if (field != null) {
            assertEquals(field, response.json().path("error").path("details").path("field").asText(), response.json().toString());
        }
        assertFalse(response.json().toString().contains("Exception"), "no stack trace or exception name to clients");
        assertEquals(before, api.standIns.snapshot(), code + " must leave every table unchanged");
    }

    @Test
    void aSyncsScheduleTakesASettleDelayAndSaysWhenItsNextRunIsDueInTheOldBodyToo() {
        JsonNode settled = expect(201, putSync("late-source", SYNC_BODY.formatted("2026-11-01")
                .replace("\"connector\"", "\"schedule\":{\"enabled\":true,\"settleMinutes\":120},\"connector\""))).json();
        // At 2026-11-26T12:00Z the last due instant in Paris + 2 h is 2026-11-26T01:00Z: due at the next heartbeat
        // (dueNow: by the server's clock, so the page never compares with the browser's).
        assertEquals("{\"enabled\":true,\"settleMinutes\":120,\"nextDueAt\":\"2026-11-26T01:00:00Z\",\"dueNow\":true,\"lastCheckedAt\":null}",
                settled.path("schedule").toString());
        JsonNode old = expect(201, putSync("old-body", SYNC_BODY.formatted("2026-11-01")
                .replace("\"connector\"", "\"schedule\":{\"enabled\":true},\"connector\""))).json();
        assertEquals(0, old.path("schedule").path("settleMinutes").asInt());
        assertEquals("2026-11-25T23:00:00Z", old.path("schedule").path("nextDueAt").asText());
        JsonNode off = expect(201, putSync("manual", SYNC_BODY.formatted("2026-11-01"))).json();
        assertEquals("{\"enabled\":false,\"settleMinutes\":0,\"nextDueAt\":null,\"dueNow\":false,\"lastCheckedAt\":null}",
                off.path("schedule").toString());
        refused(400, "INVALID_REQUEST", "schedule.settleMinutes", () -> putSync("late-source", SYNC_BODY.formatted("2026-11-01")
                .replace("\"connector\"", "\"schedule\":{\"enabled\":true,\"settleMinutes\":1441},\"connector\"")));
    }

    /** Writes a sync item as it may have been stored before firstDate was checked at PUT. */
    private void storedWithFirstDate(String syncId, String firstDate) {
        api.standIns.dynamo().putItem(r -> r.tableName(api.config.syncsTable()).item(Map.of(
                "clientId", AttributeValue.fromS(client), "syncId", AttributeValue.fromS(syncId),
                "name", AttributeValue.fromS("Typo"), "timezone", AttributeValue.fromS("UTC"),
                "firstDate", AttributeValue.fromS(firstDate), "supportsPeriodExecution", AttributeValue.fromBool(false),
                "maxRangeDays", AttributeValue.fromN("366"), "scheduleEnabled", AttributeValue.fromBool(true),
                "connectorType", AttributeValue.fromS("demo"), "connectorConfig", AttributeValue.fromS("{}"))));
    }

    // --- a sync with a firstDate typo ---

    @Test
    void aFirstDateTypoIsRefusedAtPutNamingTheFieldAndChangesNothing() {
        for (String typo : List.of("0202-01-01", "1999-12-31", "2027-01-31", "-999999999-01-01", "+999999999-12-31")) {
            String code = typo.length() == 10 ? "INVALID_REQUEST" : "INVALID_DATE";
            refused(400, code, "firstDate", () -> putSync("orders", SYNC_BODY.formatted(typo)));
            refused(400, code, "firstDate", () -> putSync("brand-new", SYNC_BODY.formatted(typo)));
        }
        // The documented range: 2000-01-01 to 31 days after today (UTC); today is 2026-11-26 here.
        expect(201, putSync("from-2000", SYNC_BODY.formatted("2000-01-01")));
        expect(201, putSync("next-month", SYNC_BODY.formatted("2026-12-27")));
        assertEquals(0, expect(200, create("next-month", "{\"mode\":\"DEFAULT\",\"dryRun\":true}"))
                .json().path("plan").path("datesCount").asInt(), "a sync that starts later has nothing to run yet");
    }

    @Test
    void aSyncWithAFirstDateTypoPlansAtMost3660DatesAndItsRunIsVisibleAndBlocksOnlyWhileItRuns() {
        storedWithFirstDate("typo", "0202-01-01");
        JsonNode preview = expect(200, create("typo", "{\"mode\":\"DEFAULT\",\"dryRun\":true}")).json().path("plan");
        assertEquals(3660, preview.path("datesCount").asInt());
        assertEquals("0202-01-01", preview.path("dates").get(0).asText());
        long days = ChronoUnit.DAYS.between(LocalDate.of(202, 1, 1), LocalDate.of(2026, 11, 25)) + 1;
        assertEquals(days - 3660, preview.path("remainingDates").asLong(), "the preview says how many dates remain");

        Answer started = expect(202, create("typo", "{\"mode\":\"DEFAULT\"}"));
        String id = started.text("executionId");
        assertEquals(3660, started.json().path("plan").path("datesCount").asInt());
        expect(200, api.call("GET", base + "/typo/executions/" + id, null, op));
        Answer conflict = expect(409, create("typo", "{\"mode\":\"DEFAULT\"}"));
        assertEquals(id, conflict.json().path("error").path("details").path("executionId").asText(),
                "the 409 names an execution the operator can open");

        storedWithFirstDate("minimum", "-999999999-01-01");
        JsonNode huge = expect(200, create("minimum", "{\"mode\":\"DEFAULT\",\"dryRun\":true}")).json().path("plan");
        assertEquals(3660, huge.path("datesCount").asInt());
        assertTrue(huge.path("remainingDates").asLong() > 300_000_000_000L, huge.path("remainingDates").toString());
    }

    // --- the execution record cannot be written (after the lock was taken) ---

    @Test
    void theExecutionRecordCannotBeWrittenAnswers503AndReleasesTheLockSoTheNextStartSucceeds() {
        api.failDynamo("putItem", 1);
        Answer failed = expect(503, create("orders", "{\"mode\":\"DEFAULT\"}"));
        assertEquals("SERVICE_UNAVAILABLE", failed.code());
        assertTrue(api.workflow.started.isEmpty(), "nothing started");
        assertTrue(expect(200, api.call("GET", base + "/orders", null, op)).json().path("activeExecutionId").isNull(),
                "no phantom lock");
        assertEquals(0, expect(200, api.call("GET", base + "/orders/executions", null, op)).json().path("executions").size());
        String next = expect(202, create("orders", "{\"mode\":\"DEFAULT\"}")).text("executionId");
        assertEquals(List.of(next), api.workflow.started);
    }

    @Test
    void theExecutionRecordIsWrittenButItsAnswerIsLostAnswers503AndTheRecordEndsFailedNotRunningForEver() {
        api.loseDynamoAnswers("putItem", 1);
        Answer failed = expect(503, create("orders", "{\"mode\":\"DEFAULT\"}"));
        assertEquals("SERVICE_UNAVAILABLE", failed.code());
        assertTrue(api.workflow.started.isEmpty(), "nothing started");
        JsonNode listed = expect(200, api.call("GET", base + "/orders/executions", null, op)).json().path("executions");
        assertEquals(1, listed.size());
        assertEquals("FAILED", listed.get(0).path("status").asText(), "an execution nobody runs does not show RUNNING");
        assertTrue(expect(200, api.call("GET", base + "/orders", null, op)).json().path("activeExecutionId").isNull());
        expect(202, create("orders", "{\"mode\":\"DEFAULT\"}"));
    }

    // --- client input that used to reach a 500 or be misread ---

    @Test
    void everyLedgerAndListQueryParameterIsValidated() {
        refused(400, "INVALID_DATE", "to", () -> api.call("GET", base + "/orders/ledger?to=-999999999-01-01", null, op));
        refused(400, "INVALID_DATE", "from", () -> api.call("GET", base + "/orders/ledger?from=+999999999-12-31", null, op));
        refused(400, "INVALID_DATE", "from", () -> api.call("GET", base + "/orders/ledger?from=12026-01-01", null, op));
        refused(400, "INVALID_REQUEST", "form", () -> api.call("GET", base + "/orders/ledger?form=2026-11-01", null, op));
        refused(400, "INVALID_REQUEST", "limit", () -> api.call("GET", base + "/orders/executions?limit=1e3", null, op));
        refused(400, "INVALID_REQUEST", "limit", () -> api.call("GET", base + "/orders/executions?limit=101", null, op));
        refused(400, "INVALID_REQUEST", "nextToken", () -> api.call("GET", base + "/orders/executions?nextToken=%%%", null, op));
        refused(400, "INVALID_REQUEST", "statuz", () -> api.call("GET", base + "/orders/executions?statuz=FAILED", null, op));
        refused(400, "INVALID_REQUEST", "status", () -> api.call("GET", base + "/orders/executions?status=BROKEN", null, op));
        // Years a sync can never have are refused; the bounds themselves are fine, the default window stops there.
        refused(400, "INVALID_DATE", "to", () -> api.call("GET", base + "/orders/ledger?to=0000-01-01", null, op));
        refused(400, "INVALID_DATE", "from", () -> api.call("GET", base + "/orders/ledger?from=9999-12-31", null, op));
        assertEquals(1, expect(200, api.call("GET", base + "/orders/ledger?from=2099-12-31", null, op))
                .json().path("entries").size());
        assertEquals(1, expect(200, api.call("GET", base + "/orders/ledger?to=2000-01-01", null, op))
                .json().path("entries").size());
        assertEquals(31, expect(200, api.call("GET", base + "/orders/ledger?from=2099-12-01", null, op))
                .json().path("entries").size());
    }

    @Test
    void trailingContentIsInvalidJsonAndNullIsNeverReadAsAbsent() {
        refused(400, "INVALID_JSON", null, () -> create("orders", "{\"mode\":\"DEFAULT\",\"dryRun\":true}{\"mode\":\"SINGLE_DATE\"}"));
        refused(400, "INVALID_REQUEST", "dryRun", () -> create("orders", "{\"mode\":\"DEFAULT\",\"dryRun\":null}"));
        refused(400, "INVALID_REQUEST", "planDigest", () -> create("orders", "{\"mode\":\"DEFAULT\",\"planDigest\":null}"));
        assertTrue(api.workflow.started.isEmpty(), "no real run started");
        refused(400, "INVALID_REQUEST", "name", () -> api.call("PUT", "/clients/" + client, "{\"name\":null}", admin()));
        refused(400, "INVALID_JSON", null, () -> api.call("PUT", "/clients/" + client, "{\"name\":\"A\"} {}", admin()));
        refused(400, "INVALID_REQUEST", "maxRangeDays",
                () -> putSync("orders", SYNC_BODY.formatted("2026-11-01").replace("\"connector\"", "\"maxRangeDays\":null,\"connector\"")));
        refused(400, "INVALID_REQUEST", "schedule",
                () -> putSync("orders", SYNC_BODY.formatted("2026-11-01").replace("\"connector\"", "\"schedule\":null,\"connector\"")));
        refused(400, "INVALID_REQUEST", "connector.config",
                () -> putSync("orders", SYNC_BODY.formatted("2026-11-01").replace("\"demo\"}", "\"demo\",\"config\":null}")));
        refused(400, "INVALID_REQUEST", "schedule.enabled",
                () -> putSync("orders", SYNC_BODY.formatted("2026-11-01").replace("\"connector\"", "\"schedule\":{\"enabled\":null},\"connector\"")));
        refused(400, "INVALID_JSON", null, () -> putSync("orders", SYNC_BODY.formatted("2026-11-01") + "{}"));
        api.imported(client, "orders", "2026-11-20", 3);
        String waiting = expect(202, create("orders", "{\"mode\":\"SINGLE_DATE\",\"date\":\"2026-11-20\"}")).text("executionId");
        refused(400, "INVALID_REQUEST", "confirm", () -> api.call("POST", base + "/orders/executions/" + waiting + "/confirmation",
                "{\"confirm\":null}", op));
        refused(400, "INVALID_JSON", null, () -> api.call("POST", base + "/orders/executions/" + waiting + "/confirmation",
                "{\"confirm\":false}{\"confirm\":true}", op));
    }

    // --- moving firstDate earlier ---

    @Test
    void movingFirstDateEarlierMakesTheNextDefaultRunPlanTheNewDates() {
        for (LocalDate d = LocalDate.of(2026, 11, 1); !d.isAfter(LocalDate.of(2026, 11, 25)); d = d.plusDays(1)) {
            api.imported(client, "orders", d.toString(), 1);
        }
        SyncRepository syncs = new DynamoDbSyncRepository(api.standIns.dynamo(), api.config.syncsTable());
        syncs.advance(client, "orders", LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 25), LocalDate.of(2026, 11, 25));
        assertEquals(0, expect(200, create("orders", "{\"mode\":\"DEFAULT\",\"dryRun\":true}")).json().path("plan").path("datesCount").asInt());

        expect(200, putSync("orders", SYNC_BODY.formatted("2026-11-05"))); // later: the watermark still holds
        assertEquals(LocalDate.of(2026, 11, 25), syncs.get(client, "orders").map(Sync::watermark).orElseThrow());

        expect(200, putSync("orders", SYNC_BODY.formatted("2026-10-01")));
        // A Finalize that read the sync before the PUT does not put the old watermark back.
        syncs.advance(client, "orders", LocalDate.of(2026, 11, 5), LocalDate.of(2026, 11, 25), null);
        JsonNode plan = expect(200, create("orders", "{\"mode\":\"DEFAULT\",\"dryRun\":true}")).json().path("plan");
        assertEquals(31, plan.path("datesCount").asInt(), plan.toString());
        assertEquals("2026-10-01", plan.path("dates").get(0).asText());
        assertEquals("2026-10-31", plan.path("dates").get(30).asText());
        assertEquals(0, plan.path("reimportDates").size(), "November stays imported");
        String run = expect(202, create("orders", "{\"mode\":\"DEFAULT\"}")).text("executionId");
        assertEquals(List.of(run), api.workflow.started);
    }

    // --- SendTaskSuccess / SendTaskFailure for the confirmation fails once ---

    private String awaitingConfirmation() {
        api.imported(client, "orders", "2026-11-20", 3);
        String id = expect(202, create("orders", "{\"mode\":\"SINGLE_DATE\",\"date\":\"2026-11-20\"}")).text("executionId");
        // The workflow reached its wait and stored its token, as the confirmation-request step does.
        new DynamoDbExecutionRepository(api.standIns.dynamo(), api.config.executionsTable(), api.clock)
                .storeConfirmationToken(client, "orders", id, "token-" + id);
        return id;
    }

    private boolean tokenStored(String id) {
        return new DynamoDbExecutionRepository(api.standIns.dynamo(), api.config.executionsTable(), api.clock).taskToken(client, "orders", id).isPresent();
    }

    @Test
    void sendTaskSuccessForTheConfirmationFailsOnceAndTheRetriedConfirmationResendsIt() {
        String id = awaitingConfirmation();
        JsonNode execution = expect(200, api.call("GET", base + "/orders/executions/" + id, null, op)).json();
        String confirm = "{\"confirm\":true,\"planDigest\":\"" + execution.path("plan").path("planDigest").asText() + "\"}";
        String path = base + "/orders/executions/" + id + "/confirmation";

        api.workflow.failConfirms.set(1);
        Answer failed = expect(503, api.call("POST", path, confirm, op));
        assertEquals("SERVICE_UNAVAILABLE", failed.code());
        JsonNode recorded = expect(200, api.call("GET", base + "/orders/executions/" + id, null, op)).json();
        assertEquals("RUNNING", recorded.path("status").asText());
        assertEquals("CONFIRMED", recorded.path("confirmation").path("decision").asText());
        assertTrue(api.workflow.confirmed.isEmpty());
        assertTrue(tokenStored(id), "the token stays until the signal is delivered");

        // A different decision now is a conflict, and changes nothing.
        refused(409, "NOT_AWAITING_CONFIRMATION", null, () -> api.call("POST", path, "{\"confirm\":false}", op));

        Answer retried = expect(200, api.call("POST", path, confirm, op));
        assertEquals("RUNNING", retried.text("status"));
        assertEquals(List.of(id), api.workflow.confirmed, "the retry re-sent the confirmation");
        assertFalse(tokenStored(id), "a delivered token is removed");
        assertFalse(retried.json().toString().contains("token-"), "the token never leaves the backend");
        assertEquals("NOT_AWAITING_CONFIRMATION", expect(409, api.call("POST", path, confirm, op)).code());
        assertEquals(List.of(id), api.workflow.confirmed, "sent once delivered, never again");
    }

    @Test
    void sendTaskFailureForTheDeclineFailsOnceAndTheRetriedDeclineResendsIt() {
        String id = awaitingConfirmation();
        String path = base + "/orders/executions/" + id + "/confirmation";
        api.workflow.failDeclines.set(1);
        assertEquals("SERVICE_UNAVAILABLE", expect(503, api.call("POST", path, "{\"confirm\":false}", op)).code());
        assertEquals("CANCELLED", expect(200, api.call("GET", base + "/orders/executions/" + id, null, op)).text("status"));
        assertTrue(expect(200, api.call("GET", base + "/orders", null, op)).json().path("activeExecutionId").isNull(),
                "a declined run frees its sync at once");
        assertEquals("CANCELLED", expect(200, api.call("POST", path, "{\"confirm\":false}", op)).text("status"));
        assertEquals(List.of(id), api.workflow.declined);
        assertEquals("ALREADY_FINISHED", expect(409, api.call("POST", path, "{\"confirm\":false}", op)).code());
    }

    @Test
    void sendTaskFailureForACancelFailsOnceAndTheRetriedCancelResendsIt() {
        String id = awaitingConfirmation();
        String path = base + "/orders/executions/" + id + "/cancel";
        api.workflow.failDeclines.set(1);
        assertEquals("SERVICE_UNAVAILABLE", expect(503, api.call("POST", path, null, op)).code());
        assertEquals("CANCELLED", expect(202, api.call("POST", path, null, op)).text("status"));
        assertEquals(List.of(id), api.workflow.declined);
        assertEquals("ALREADY_FINISHED", expect(409, api.call("POST", path, null, op)).code());
        expect(202, create("orders", "{\"mode\":\"DEFAULT\"}"));
    }
}
