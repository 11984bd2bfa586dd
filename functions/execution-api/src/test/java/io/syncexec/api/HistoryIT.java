package io.syncexec.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.execution.ExecutionIds;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.Trigger;
import io.syncexec.ledger.Claim;
import io.syncexec.ledger.FailedAttempt;
import io.syncexec.ledger.ImportRecord;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.plan.ExecutionRequestParser;
import io.syncexec.standins.ApiClient.Answer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static io.syncexec.api.ApiHarness.admin;
import static io.syncexec.api.ApiHarness.operator;
import static io.syncexec.standins.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What happened before: a date's history ({@code GET …/ledger/{date}}) and the filters of the run
 * history ({@code GET …/executions?status=&trigger=}), against dynalite through the real handler.
 */
class HistoryIT extends OwnClientIT {
    private static final LocalDate DAY = LocalDate.parse("2026-11-03");

    private String path(String rest) {
        return "/clients/" + client + "/syncs/orders" + rest;
    }

    /** An import of DAY as a worker records it, by a run requested and maybe confirmed by someone. */
    private void imported(String trigger, String requestedBy, String confirmedBy, long records) {
        LedgerRepository ledger = api.ledger;
        Instant now = api.clock.instant();
        String executionId = ExecutionIds.next(now);
        int count = ledger.get(client, "orders", DAY, now).importCount();
        assertTrue(ledger.claim(client, "orders", DAY, executionId, count > 0, count, now, now.plusSeconds(60)).claimed());
        assertTrue(ledger.commit(client, "orders", DAY, new ImportRecord(count + 1, executionId, trigger, requestedBy, confirmedBy,
                confirmedBy == null ? null : now.minusSeconds(30), records, now, now.plusSeconds(2))));
        api.clock.advance(Duration.ofDays(1));
    }

    /** A run's last attempt at DAY failing, as a worker records it. */
    private void failed(String requestedBy, String error) {
        LedgerRepository ledger = api.ledger;
        Instant now = api.clock.instant();
        String executionId = ExecutionIds.next(now);
        int count = ledger.get(client, "orders", DAY, now).importCount();
        Claim claim = ledger.claim(client, "orders", DAY, executionId, count > 0, count, now, now.plusSeconds(60));
        assertTrue(claim.claimed());
        assertTrue(ledger.fail(client, "orders", DAY, executionId, count, error,
                new FailedAttempt(0, executionId, "SCHEDULE", requestedBy, null, count, error, now, now.plusSeconds(1))));
        api.clock.advance(Duration.ofHours(1));
    }

    @Test
    void aDateShowsEveryImportNewestFirstWithWhoRequestedAndWhoConfirmed() {
        failed("schedule", "Source answered 503");
        imported("SCHEDULE", "schedule", null, 12);
        imported("MANUAL", "alice", "bob", 13);
        JsonNode body = expect(200, api.call("GET", path("/ledger/" + DAY), null, op)).json();
        assertEquals(DAY.toString(), body.path("date").asText());
        assertEquals("Europe/Paris", body.path("timezone").asText());
        assertEquals("IMPORTED", body.path("entry").path("status").asText());
        assertEquals(2, body.path("entry").path("importCount").asInt());
        JsonNode imports = body.path("imports");
        assertEquals(2, imports.size());
        assertEquals(2, imports.get(0).path("generation").asInt(), "newest first");
        assertEquals("alice", imports.get(0).path("requestedBy").asText());
        assertEquals("bob", imports.get(0).path("confirmedBy").asText());
        assertFalse(imports.get(0).path("confirmedAt").isNull(), "when it was confirmed");
        assertEquals("MANUAL", imports.get(0).path("trigger").asText());
        assertEquals(13, imports.get(0).path("records").asInt());
        assertEquals("SCHEDULE", imports.get(1).path("trigger").asText());
        assertTrue(imports.get(1).path("confirmedBy").isNull(), "a first import needs no confirmation");
        assertFalse(imports.get(1).path("startedAt").isNull());
        assertFalse(imports.get(1).path("finishedAt").isNull());
        assertEquals(1, body.path("failedAttempts").asInt());
        assertEquals("Source answered 503", body.path("failures").get(0).path("error").asText());
        assertEquals(0, body.path("failures").get(0).path("importCount").asInt(), "it failed while the date was missing");
    }

    @Test
    void aDateNeverAttemptedIsMissingWithAnEmptyHistory() {
        JsonNode body = expect(200, api.call("GET", path("/ledger/2026-11-04"), null, op)).json();
        assertEquals("MISSING", body.path("entry").path("status").asText());
        assertEquals(0, body.path("imports").size());
        assertEquals(0, body.path("failedAttempts").asInt());
        assertEquals(0, body.path("failures").size());
    }

    @Test
    void aDateKeepsItsLastTwentyFailedAttemptsNewestFirstWithShortErrorsAndCountsThemAll() {
        for (int i = 1; i <= 25; i++) {
            failed("schedule", "attempt " + i + " " + "x".repeat(300));
        }
        JsonNode body = expect(200, api.call("GET", path("/ledger/" + DAY), null, op)).json();
        assertEquals("FAILED", body.path("entry").path("status").asText());
        assertEquals(25, body.path("failedAttempts").asInt());
        JsonNode failures = body.path("failures");
        assertEquals(LedgerRepository.FAILURES_KEPT, failures.size());
        for (int i = 0; i < failures.size(); i++) {
            assertEquals(25 - i, failures.get(i).path("attempt").asInt(), "newest first");
            String error = failures.get(i).path("error").asText();
            assertTrue(error.startsWith("attempt " + (25 - i) + " "), error);
            assertTrue(error.length() <= FailedAttempt.MAX_ERROR_CHARS, "capped: " + error.length());
        }
    }

    @Test
    void aDateIsReadWithTheLedgersAuthorizationAndABadDateIsRefused() {
        assertEquals("FORBIDDEN", expect(403, api.call("GET", path("/ledger/" + DAY), null, operator("another"))).code());
        assertEquals("FORBIDDEN", expect(403, api.call("GET", "/clients/nobody/syncs/nothing/ledger/" + DAY, null, op)).code());
        assertEquals("NOT_FOUND", expect(404, api.call("GET", "/clients/" + client + "/syncs/nothing/ledger/" + DAY, null, op)).code());
        for (String bad : List.of("2026-02-30", "yesterday", "2026-1-03", "20261103")) {
            Answer refused = expect(400, api.call("GET", path("/ledger/" + bad), null, op));
            assertEquals("INVALID_REQUEST", refused.code(), bad);
            assertEquals("date", refused.json().path("error").path("details").path("field").asText());
        }
        // No POST route for a date: API Gateway answers 404 without calling the function.
        assertEquals("Not Found", expect(404, api.call("POST", path("/ledger/" + DAY), "{}", op)).text("message"));
        assertEquals(200, api.call("GET", path("/ledger/" + DAY), null, admin()).status());
    }

    @Test
    void runsFilterByStatusAndTriggerNewestFirstInPages() {
        // Failed runs (their workflow could not start) between succeeded ones (nothing to import), and scheduled ones.
        List<String> failed = new ArrayList<>();
        List<String> scheduled = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            api.clock.advance(Duration.ofSeconds(1));
            api.imported(client, "orders", "2026-11-1" + i, 1);
            expect(202, api.call("POST", path("/executions"),
                    "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-1" + i + "\",\"to\":\"2026-11-1" + i + "\"}", op));
            api.clock.advance(Duration.ofSeconds(1));
            api.workflow.failStarts = true;
            Answer refused = expect(503, api.call("POST", path("/executions"), "{\"mode\":\"DEFAULT\"}", op));
            failed.add(0, refused.json().path("error").path("details").path("executionId").asText());
            api.workflow.failStarts = false;
            if (i % 2 == 0) {
                api.clock.advance(Duration.ofSeconds(1));
                var sync = api.wiring.syncs().get(client, "orders").orElseThrow();
                var started = api.wiring.executionService().create(sync, ExecutionRequestParser.parse("{\"mode\":\"DATE_RANGE\","
                        + "\"from\":\"2026-11-1" + i + "\",\"to\":\"2026-11-1" + i + "\"}"), Trigger.SCHEDULE, "schedule");
                scheduled.add(0, ((io.syncexec.execution.ExecutionService.Started) started).execution().executionId());
            }
        }
        assertEquals(failed, pages("?status=FAILED&limit=2"));
        assertEquals(failed, pages("?status=FAILED,PARTIALLY_FAILED&limit=3"));
        assertEquals(scheduled, pages("?trigger=SCHEDULE&limit=2"));
        assertEquals(List.of(), pages("?status=FAILED&trigger=SCHEDULE"));
        assertEquals(13, pages("?limit=4").size(), "no filter: every run");
        for (String bad : List.of("?status=BROKEN", "?status=failed", "?status=FAILED,", "?trigger=CRON", "?trigger=MANUAL,SCHEDULE")) {
            Answer refused = expect(400, api.call("GET", path("/executions" + bad), null, op));
            assertEquals("INVALID_REQUEST", refused.code(), bad);
        }
    }

    @Test
    void aFilteredPageLooksAtABoundedNumberOfRunsAndSaysWhereToGoOn() {
        api.workflow.failStarts = true;
        String oldest = expect(503, api.call("POST", path("/executions"), "{\"mode\":\"DEFAULT\"}", op))
                .json().path("error").path("details").path("executionId").asText();
        api.workflow.failStarts = false;
        api.imported(client, "orders", "2026-11-20", 1);
        for (int i = 0; i < ExecutionRepository.MAX_EXAMINED + 5; i++) {
            // Runs with nothing to import: they succeed at once.
            api.clock.advance(Duration.ofSeconds(1));
            expect(202, api.call("POST", path("/executions"), "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-20\",\"to\":\"2026-11-20\"}", op));
        }
        Answer first = expect(200, api.call("GET", path("/executions?status=FAILED"), null, op));
        assertEquals(0, first.json().path("executions").size(), "none among the newest " + ExecutionRepository.MAX_EXAMINED);
        String token = first.text("nextToken");
        assertTrue(token != null, "but older runs remain");
        Answer second = expect(200, api.call("GET", path("/executions?status=FAILED&nextToken=" + token), null, op));
        assertEquals(oldest, second.json().path("executions").get(0).path("executionId").asText());
        assertNull(second.text("nextToken"));
    }

    private List<String> pages(String query) {
        List<String> ids = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            Answer page = expect(200, api.call("GET", path("/executions" + query
                    + (token == null ? "" : "&nextToken=" + token)), null, op));
            page.json().path("executions").forEach(e -> ids.add(e.path("executionId").asText()));
            token = page.text("nextToken");
            pages++;
        } while (token != null && pages < 50);
        return ids;
    }
}
