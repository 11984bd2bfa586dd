package io.syncexec.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.dynamodb.DynamoDbExecutionRepository;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.standins.ApiClient.Answer;
import io.syncexec.sync.Client;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.syncexec.api.ApiHarness.admin;
import static io.syncexec.api.ApiHarness.operator;
import static io.syncexec.standins.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every route of the execution API against dynalite, through the real handler. */
class ExecutionApiIT extends OwnClientIT {

    private Answer create(String syncId, String body) {
        return api.call("POST", base + "/" + syncId + "/executions", body, op);
    }

    @Test
    void operatorsSeeTheirClientsAndAdminsSeeAll() {
        String other = api.newClient();
        Answer mine = expect(200, api.call("GET", "/clients", null, op));
        assertEquals(1, mine.json().path("clients").size());
        assertEquals(client, mine.json().path("clients").get(0).path("clientId").asText());
        assertEquals("Client " + client, mine.json().path("clients").get(0).path("name").asText());
        Set<String> all = new HashSet<>();
        expect(200, api.call("GET", "/clients", null, admin())).json().path("clients").forEach(c -> all.add(c.path("clientId").asText()));
        assertTrue(all.containsAll(List.of(client, other)));
    }

    @Test
    void syncsShowCapabilityTimeZoneAndNeverTheConnectorConfig() {
        Answer list = expect(200, api.call("GET", base, null, op));
        assertEquals(2, list.json().path("syncs").size());
        JsonNode invoices = expect(200, api.call("GET", base + "/invoices", null, op)).json();
        assertFalse(invoices.path("supportsPeriodExecution").asBoolean());
        assertEquals("America/New_York", invoices.path("timezone").asText());
        assertEquals("2026-11-10", invoices.path("firstDate").asText());
        assertEquals("http", invoices.path("connector").path("type").asText());
        assertFalse(invoices.toString().contains("s3cret"), "connector secrets stay in the backend");
        assertFalse(list.json().toString().contains("s3cret"), "no GET returns sourceToken or destinationToken");
        assertFalse(list.json().toString().contains("example/"), "nor the connector's URLs");
        assertTrue(invoices.path("activeExecutionId").isNull());
        assertEquals("2026-11-25", invoices.path("lastCompleteDate").asText());
    }

    @Test
    void connectorLimitsAreSavedShownWithTheirDefaultsAndRefusedOutOfRange() {
        Answer defaults = expect(201, api.call("PUT", base + "/limited", """
                {"name":"Limited","timezone":"Europe/Paris","firstDate":"2026-11-01","supportsPeriodExecution":true,
                 "connector":{"type":"demo"}}""", admin()));
        assertEquals(4, defaults.json().path("connector").path("limits").path("maxConcurrentDates").asInt());
        assertTrue(defaults.json().path("connector").path("limits").path("requestsPerMinute").isMissingNode(), "unpaced: no rate");
        expect(200, api.call("PUT", base + "/limited", """
                {"name":"Limited","timezone":"Europe/Paris","firstDate":"2026-11-01","supportsPeriodExecution":true,
                 "connector":{"type":"demo","limits":{"maxConcurrentDates":2,"requestsPerMinute":120}}}""", admin()));
        JsonNode limits = expect(200, api.call("GET", base + "/limited", null, op)).json().path("connector").path("limits");
        assertEquals(2, limits.path("maxConcurrentDates").asInt());
        assertEquals(120, limits.path("requestsPerMinute").asInt());

        Answer refused = expect(400, api.call("PUT", base + "/limited", """
                {"name":"Limited","timezone":"Europe/Paris","firstDate":"2026-11-01","supportsPeriodExecution":true,
                 "connector":{"type":"demo","limits":{"maxConcurrentDates":101}}}""", admin()));
        assertEquals("INVALID_REQUEST", refused.json().path("error").path("code").asText());
        assertEquals("connector.limits.maxConcurrentDates", refused.json().path("error").path("details").path("field").asText());
        JsonNode unchanged = expect(200, api.call("GET", base + "/limited", null, op)).json().path("connector").path("limits");
        assertEquals(limits, unchanged, "a refused PUT changes nothing");

        expect(200, api.call("PUT", base + "/limited", """
                {"name":"Limited","timezone":"Europe/Paris","firstDate":"2026-11-01","supportsPeriodExecution":true,
                 "connector":{"type":"demo","limits":{"maxConcurrentDates":3}}}""", admin()));
        JsonNode unpaced = expect(200, api.call("GET", base + "/limited", null, op)).json().path("connector").path("limits");
        assertEquals(3, unpaced.path("maxConcurrentDates").asInt());
        assertTrue(unpaced.path("requestsPerMinute").isMissingNode(), "a rate left out removes the pacing");
    }

    @Test
    void aRunningExecutionSaysUntilWhenItsSourcePausedIt() {
        String id = expect(202, create("orders", "{\"mode\":\"DEFAULT\"}")).text("executionId");
        String path = base + "/orders/executions/" + id;
        assertTrue(expect(200, api.call("GET", path, null, op)).json().path("pausedBySourceUntil").isNull());
        java.time.Instant until = api.clock.instant().plusSeconds(20);
        new io.syncexec.dynamodb.DynamoDbSourceGate(api.standIns.dynamo(), api.standIns.table("SyncsTable"))
                .pause(client, "orders", until, api.clock.instant());
        assertEquals(until.toString(), expect(200, api.call("GET", path, null, op)).text("pausedBySourceUntil"));
        api.clock.advance(java.time.Duration.ofSeconds(21));
        assertTrue(expect(200, api.call("GET", path, null, op)).json().path("pausedBySourceUntil").isNull(), "a pause that ended");
    }

    @Test
    void adminsCreateThenUpdateASyncAndTheLockSurvives() {
        String id = expect(202, create("orders", "{\"mode\":\"DEFAULT\"}")).text("executionId");
        Answer updated = expect(200, api.call("PUT", base + "/orders", """
                {"name":"Orders v2","timezone":"Europe/Paris","firstDate":"2026-11-01","supportsPeriodExecution":true,
                 "connector":{"type":"demo"}}""", admin()));
        assertEquals("Orders v2", updated.text("name"));
        assertEquals(366, updated.json().path("maxRangeDays").asInt(), "maxRangeDays defaults to 366");
        assertEquals(id, updated.text("activeExecutionId"));
    }

    @Test
    void ledgerShowsEveryDateOfTheRangeWithMissingOnes() {
        api.imported(client, "orders", "2026-11-02", 40);
        api.imported(client, "orders", "2026-11-02", 41);
        JsonNode entries = expect(200, api.call("GET", base + "/orders/ledger?from=2026-11-01&to=2026-11-03", null, op))
                .json().path("entries");
        assertEquals(3, entries.size());
        assertEquals("MISSING", entries.get(0).path("status").asText());
        assertEquals("IMPORTED", entries.get(1).path("status").asText());
        assertEquals(2, entries.get(1).path("importCount").asInt());
        assertEquals(41, entries.get(1).path("records").asInt());
        assertNotNull(entries.get(1).path("lastExecutionId").asText(null));
        assertEquals("2026-11-03", entries.get(2).path("date").asText());
    }

    @Test
    void defaultRunPlansEveryMissingDateStartsTheWorkflowAndHoldsTheLock() {
        api.imported(client, "orders", "2026-11-05", 10);
        Answer started = expect(202, create("orders", "{\"mode\":\"DEFAULT\"}"));
        JsonNode plan = started.json().path("plan");
        assertEquals(24, plan.path("datesCount").asInt(), "25 complete dates, one already imported");
        assertFalse(plan.path("requiresConfirmation").asBoolean());
        assertEquals("RUNNING", started.text("status"));
        assertEquals("MANUAL", started.text("trigger"));
        assertEquals("operator-1", started.text("requestedBy"));
        assertEquals(24, started.json().path("progress").path("pending").asInt());
        String id = started.text("executionId");
        assertEquals(List.of(id), api.workflow.started);
        assertEquals(id, expect(200, api.call("GET", base + "/orders", null, op)).text("activeExecutionId"));

        JsonNode fetched = expect(200, api.call("GET", base + "/orders/executions/" + id, null, op)).json();
        assertEquals(24, fetched.path("outcomes").size());
        assertEquals("PENDING", fetched.path("outcomes").get(0).path("outcome").asText());
    }

    @Test
    void aPlanWithNoDatesSucceedsAtOnceWithoutAWorkflow() {
        api.imported(client, "orders", "2026-11-20", 10);
        Answer done = expect(202, create("orders", "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-20\",\"to\":\"2026-11-20\"}"));
        assertEquals("SUCCEEDED", done.text("status"));
        assertEquals(0, done.json().path("plan").path("datesCount").asInt());
        assertNotNull(done.text("finishedAt"));
        assertTrue(api.workflow.started.isEmpty());
        assertNull(expect(200, api.call("GET", base + "/orders", null, op)).text("activeExecutionId"));
    }

    @Test
    void singleDateAlreadyImportedWaitsForConfirmationWithItsNumbers() {
        api.imported(client, "orders", "2026-11-20", 12);
        Answer started = expect(202, create("orders", "{\"mode\":\"SINGLE_DATE\",\"date\":\"2026-11-20\"}"));
        assertEquals("AWAITING_CONFIRMATION", started.text("status"));
        JsonNode plan = started.json().path("plan");
        assertTrue(plan.path("requiresConfirmation").asBoolean());
        assertEquals(12, plan.path("duplicateRecordsEstimate").asInt());
        assertEquals("2026-11-20", plan.path("reimportDates").get(0).path("date").asText());
        assertEquals(1, plan.path("reimportDates").get(0).path("importCount").asInt());
        assertEquals("2026-11-27T12:00:00Z", plan.path("confirmationDeadline").asText());
        assertTrue(started.json().path("reimport").asBoolean());
    }

    @Test
    void aDryRunReturnsThePlanAndWritesNothing() {
        api.imported(client, "orders", "2026-11-03", 30);
        var before = api.standIns.snapshot();
        Answer preview = expect(200, create("orders",
                "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-01\",\"to\":\"2026-11-05\",\"reimport\":true,\"dryRun\":true}"));
        assertEquals(before, api.standIns.snapshot());
        assertTrue(preview.json().path("dryRun").asBoolean());
        assertEquals(5, preview.json().path("plan").path("datesCount").asInt());
        assertEquals(30, preview.json().path("plan").path("duplicateRecordsEstimate").asInt());
        assertTrue(api.workflow.started.isEmpty());
    }

    @Test
    void theDigestOfThePreviewStartsTheRunAndAStaleOneIsRefused() {
        api.imported(client, "orders", "2026-11-03", 30);
        String range = "\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-01\",\"to\":\"2026-11-05\",\"reimport\":true";
        String digest = expect(200, create("orders", "{" + range + ",\"dryRun\":true}")).json().path("plan").path("planDigest").asText();
        api.imported(client, "orders", "2026-11-04", 30);
        var before = api.standIns.snapshot();
        Answer stale = expect(409, create("orders", "{" + range + ",\"planDigest\":\"" + digest + "\"}"));
        assertEquals("PLAN_CHANGED", stale.code());
        assertEquals(before, api.standIns.snapshot(), "a refused request writes nothing");
        String fresh = stale.json().path("error").path("details").path("planDigest").asText();
        Answer started = expect(202, create("orders", "{" + range + ",\"planDigest\":\"" + fresh + "\"}"));
        assertEquals(fresh, started.json().path("plan").path("planDigest").asText());
    }

    @Test
    void confirmingWithThePlanDigestResumesAndIsRecorded() {
        api.imported(client, "orders", "2026-11-20", 12);
        Answer started = expect(202, create("orders", "{\"mode\":\"SINGLE_DATE\",\"date\":\"2026-11-20\"}"));
        String path = base + "/orders/executions/" + started.text("executionId") + "/confirmation";
        String digest = started.json().path("plan").path("planDigest").asText();

        assertEquals("PLAN_CHANGED", expect(409, api.call("POST", path, "{\"confirm\":true,\"planDigest\":\"nope\"}", op)).code());
        Answer confirmed = expect(200, api.call("POST", path, "{\"confirm\":true,\"planDigest\":\"" + digest + "\"}", op));
        assertEquals("RUNNING", confirmed.text("status"));
        assertEquals("CONFIRMED", confirmed.json().path("confirmation").path("decision").asText());
        assertEquals("operator-1", confirmed.json().path("confirmation").path("by").asText());
        Answer replay = expect(409, api.call("POST", path, "{\"confirm\":true,\"planDigest\":\"" + digest + "\"}", op));
        assertEquals("NOT_AWAITING_CONFIRMATION", replay.code());
    }

    @Test
    void decliningCancelsEveryDateAndFreesTheSync() {
        api.imported(client, "orders", "2026-11-20", 12);
        Answer started = expect(202, create("orders", "{\"mode\":\"SINGLE_DATE\",\"date\":\"2026-11-20\"}"));
        String path = base + "/orders/executions/" + started.text("executionId");
        Answer declined = expect(200, api.call("POST", path + "/confirmation", "{\"confirm\":false}", op));
        assertEquals("CANCELLED", declined.text("status"));
        assertEquals(1, declined.json().path("progress").path("cancelled").asInt());
        assertEquals("CANCELLED", declined.json().path("outcomes").get(0).path("outcome").asText());
        assertEquals("ALREADY_FINISHED", expect(409, api.call("POST", path + "/confirmation", "{\"confirm\":false}", op)).code());
        assertEquals("ALREADY_FINISHED", expect(409, api.call("POST", path + "/cancel", null, op)).code());
        expect(202, create("orders", "{\"mode\":\"DEFAULT\"}"));
    }

    @Test
    void cancellingARunningExecutionRecordsWhoAskedAndIsIdempotent() {
        String id = expect(202, create("orders", "{\"mode\":\"DEFAULT\"}")).text("executionId");
        String path = base + "/orders/executions/" + id + "/cancel";
        Answer cancelled = expect(202, api.call("POST", path, null, op));
        assertEquals("operator-1", cancelled.json().path("cancellation").path("by").asText());
        String at = cancelled.json().path("cancellation").path("at").asText();
        api.clock.advance(Duration.ofMinutes(1));
        assertEquals(at, expect(202, api.call("POST", path, null, op)).json().path("cancellation").path("at").asText());
        assertEquals("NOT_AWAITING_CONFIRMATION", expect(409, api.call("POST",
                base + "/orders/executions/" + id + "/confirmation", "{\"confirm\":false}", op)).code());
    }

    @Test
    void executionsListNewestFirstInPages() {
        for (int i = 0; i < 5; i++) {
            api.imported(client, "orders", "2026-11-0" + (i + 1), 1);
        }
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            api.clock.advance(Duration.ofSeconds(1));
            created.add(0, expect(202, create("orders",
                    "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-0" + (i + 1) + "\",\"to\":\"2026-11-0" + (i + 1) + "\"}")).text("executionId"));
        }
        List<String> listed = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Answer page = expect(200, api.call("GET", base + "/orders/executions?limit=2"
                    + (token == null ? "" : "&nextToken=" + token), null, op));
            page.json().path("executions").forEach(e -> listed.add(e.path("executionId").asText()));
            token = page.text("nextToken");
            pages++;
        } while (token != null && pages < 10);
        assertEquals(created, listed);
        assertTrue(pages >= 3);
    }

    @Test
    void eightConcurrentStartsGiveOneExecutionAndSevenConflictsNamingIt() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Callable<Answer> start = () -> {
                go.await();
                return create("orders", "{\"mode\":\"DEFAULT\"}");
            };
            answers.add(pool.submit(start));
        }
        go.countDown();
        List<Answer> responses = new ArrayList<>();
        for (Future<Answer> answer : answers) {
            responses.add(answer.get());
        }
        pool.shutdown();
        List<Answer> accepted = responses.stream().filter(r -> r.status() == 202).toList();
        assertEquals(1, accepted.size(), responses.toString());
        String winner = accepted.get(0).text("executionId");
        for (Answer r : responses) {
            if (r != accepted.get(0)) {
                assertEquals(409, r.status());
                assertEquals("EXECUTION_IN_PROGRESS", r.code());
                assertEquals(winner, r.json().path("error").path("details").path("executionId").asText());
            }
        }
        assertEquals(List.of(winner), api.workflow.started);
    }

    @Test
    void anExpiredLockDoesNotBlock() {
        String first = expect(202, create("orders", "{\"mode\":\"DEFAULT\"}")).text("executionId");
        assertEquals(first, expect(409, create("orders", "{\"mode\":\"DEFAULT\"}")).json().path("error").path("details").path("executionId").asText());
        api.clock.advance(ApiHarness.LOCK.plusSeconds(1));
        assertNull(expect(200, api.call("GET", base + "/orders", null, op)).text("activeExecutionId"), "no phantom 'already running'");
        String second = expect(202, create("orders", "{\"mode\":\"DEFAULT\"}")).text("executionId");
        assertFalse(first.equals(second));
    }

    @Test
    void aLockHeldByAnExecutionWhoseWorkflowEndedIsReleasedByTheNextStartOnlyThen() {
        api.imported(client, "orders", "2026-11-05", 10);
        String dead = expect(202, create("orders", "{\"mode\":\"DEFAULT\"}")).text("executionId");
        var before = api.standIns.snapshot();
        Answer conflict = expect(409, create("orders", "{\"mode\":\"DEFAULT\"}"));
        assertEquals(dead, conflict.json().path("error").path("details").path("executionId").asText(), "its workflow runs");
        assertEquals(before, api.standIns.snapshot(), "a refused start writes nothing");

        api.workflow.ended.add(dead); // Finalize failed for good, or someone stopped the workflow
        String next = expect(202, create("orders", "{\"mode\":\"DEFAULT\"}")).text("executionId");
        JsonNode old = expect(200, api.call("GET", base + "/orders/executions/" + dead, null, op)).json();
        assertEquals("FAILED", old.path("status").asText());
        assertTrue(old.path("error").asText().startsWith("The workflow stopped before it finished this execution"), old.toString());
        assertEquals(24, old.path("progress").path("failed").asInt());
        assertEquals(0, old.path("progress").path("pending").asInt());
        assertNotNull(old.path("finishedAt").asText(null));
        assertEquals(next, expect(200, api.call("GET", base + "/orders", null, op)).text("activeExecutionId"));
        JsonNode imported = expect(200, api.call("GET", base + "/orders/ledger?from=2026-11-05&to=2026-11-05", null, op))
                .json().path("entries").get(0);
        assertEquals("IMPORTED", imported.path("status").asText(), "what was imported stays imported");
        assertEquals(1, imported.path("importCount").asInt());
        assertEquals(List.of(dead, dead), api.workflow.asked, "one question to the engine per conflicting start");
    }

    @Test
    void aWorkflowThatCannotStartLeavesAFailedExecutionAndAFreeSync() {
        api.workflow.failStarts = true;
        Answer refused = expect(503, create("orders", "{\"mode\":\"DEFAULT\"}"));
        assertEquals("SERVICE_UNAVAILABLE", refused.code());
        String id = refused.json().path("error").path("details").path("executionId").asText();
        assertEquals("FAILED", expect(200, api.call("GET", base + "/orders/executions/" + id, null, op)).text("status"));
        api.workflow.failStarts = false;
        expect(202, create("orders", "{\"mode\":\"DEFAULT\"}"));
    }

    @Test
    void aRunOfThreeThousandSixHundredSixtyFailedDatesAnswersInAFewKbAndPagesItsOutcomes() {
        LocalDate last = LocalDate.parse("2026-11-25");
        expect(201, api.call("PUT", base + "/decade", """
                {"syncId":"decade","name":"Decade","timezone":"Europe/Paris","firstDate":"%s",
                 "supportsPeriodExecution":true,"maxRangeDays":3660,"connector":{"type":"demo"}}"""
                .formatted(last.minusDays(3659)), admin()));
        Answer started = expect(202, create("decade", "{\"mode\":\"DEFAULT\"}"));
        assertEquals(3660, started.json().path("plan").path("datesCount").asInt());
        assertTrue(started.json().toString().length() < 16_000, "the 202 is bounded too: " + started.json().toString().length());

        // Every date fails with a 400-character error, recorded ten at a time as workers record them.
        ExecutionRepository executions = new DynamoDbExecutionRepository(api.standIns.dynamo(), api.config.executionsTable(), api.clock);
        Execution execution = executions.get(client, "decade", started.text("executionId")).orElseThrow();
        String longError = "source answered 500: " + "x".repeat(380);
        List<LocalDate> dates = execution.plan().dates();
        for (int i = 0; i < dates.size(); i += 10) {
            executions.recordOutcomes(execution, 0, dates.subList(i, Math.min(dates.size(), i + 10)).stream()
                    .map(date -> Execution.DateOutcome.failed(date, "CONNECTOR_PERMANENT", longError)).toList(), List.of());
        }

        String path = base + "/decade/executions/" + execution.executionId();
        Answer one = expect(200, api.call("GET", path, null, op));
        int bytes = one.json().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertTrue(bytes < 16_000, "GET of a 3,660-date run answers a few KB, not " + bytes + " bytes");
        assertEquals(3660, one.json().path("progress").path("failed").asInt());
        assertEquals(0, one.json().path("progress").path("pending").asInt());
        assertEquals(31, one.json().path("outcomes").size());
        assertTrue(one.json().path("plan").path("truncated").asBoolean());
        assertEquals(3660, one.json().path("plan").path("datesCount").asInt());

        int seen = 0;
        String token = null;
        do {
            Answer page = expect(200, api.call("GET", path + "/outcomes" + (token == null ? "" : "?nextToken=" + token), null, op));
            for (JsonNode outcome : page.json().path("outcomes")) {
                assertEquals(dates.get(seen).toString(), outcome.path("date").asText());
                assertEquals("FAILED", outcome.path("outcome").asText());
                assertEquals("CONNECTOR_PERMANENT", outcome.path("errorCode").asText());
                assertTrue(outcome.path("error").asText().length() <= 200, outcome.path("error").asText());
                assertTrue(outcome.path("error").asText().startsWith("source answered 500: xxx"));
                seen++;
            }
            token = page.text("nextToken");
        } while (token != null);
        assertEquals(3660, seen, "the pages hold every date once, in order");
        assertEquals("INVALID_REQUEST", expect(400, api.call("GET", path + "/outcomes?nextToken=nope", null, op)).code());
    }

    @Test
    void theOutcomesRouteFollowsTheExecutionsFirstPage() {
        Answer started = expect(202, create("orders", "{\"mode\":\"DEFAULT\"}"));
        String path = base + "/orders/executions/" + started.text("executionId");
        Answer one = expect(200, api.call("GET", path, null, op));
        assertEquals(25, one.json().path("outcomes").size(), "a run of 25 dates shows them all at once");
        assertTrue(one.json().path("outcomesNextToken").isNull());
        Answer page = expect(200, api.call("GET", path + "/outcomes", null, op));
        assertEquals(25, page.json().path("outcomes").size());
        assertEquals("PENDING", page.json().path("outcomes").get(0).path("outcome").asText());
        assertTrue(page.json().path("nextToken").isNull());
        assertEquals(0, expect(200, api.call("GET", path + "/outcomes?nextToken=2026-11-25", null, op)).json().path("outcomes").size());
    }
}
