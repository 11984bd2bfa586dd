package io.syncexec.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.standins.ApiClient.Answer;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import io.syncexec.sync.SyncRepository;
import io.syncexec.sync.SyncSchedule;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.syncexec.api.ApiHarness.admin;
import static io.syncexec.api.ApiHarness.operator;
import static io.syncexec.standins.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What sync admins do through the API: versioned saves, write-only secrets, pauses and the changes of a sync. */
@ExtendWith(StandInsExtension.class)
class AdministrationIT {
    private static final String ORDERS = """
            {"name":"%s","timezone":"Europe/Paris","firstDate":"%s","supportsPeriodExecution":true,"maxRangeDays":31,
             "schedule":{"enabled":true},"connector":{"type":"demo","config":{"recordsPerDate":5}}%s}""";

    private ApiHarness api;
    private String client;
    private String orders;

    @BeforeEach
    void setUp(StandIns standIns) {
        api = new ApiHarness(standIns);
        client = api.newClient();
        orders = "/clients/" + client + "/syncs/orders";
    }

    private static Map<String, String> adminNamed(String subject) {
        return Map.of("sub", subject, "cognito:groups", "[sync-admins]");
    }

    private static String orders(String name, String firstDate, String more) {
        return ORDERS.formatted(name, firstDate, more);
    }

    @Test
    void aSaveOfAnOlderVersionIsRefusedNamingWhoChangedItAndWhen() {
        long seen = expect(200, api.call("GET", orders, null, admin())).json().path("version").asLong();
        assertEquals(1, seen, "the first save made version 1");
        api.clock.advance(java.time.Duration.ofMinutes(5));
        Answer theirs = expect(200, api.call("PUT", orders, orders("Orders (Bob)", "2026-11-01", ",\"version\":" + seen), adminNamed("bob")));
        assertEquals(2, theirs.json().path("version").asLong());
        assertEquals("bob", theirs.text("updatedBy"));

        var before = api.standIns.snapshot();
        Answer mine = api.call("PUT", orders, orders("Orders (Alice)", "2026-11-01", ",\"version\":" + seen), adminNamed("alice"));
        assertEquals(409, mine.status());
        assertEquals("VERSION_CONFLICT", mine.code());
        JsonNode details = mine.json().path("error").path("details");
        assertEquals("bob", details.path("changedBy").asText());
        assertEquals(api.clock.instant().toString(), details.path("changedAt").asText());
        assertEquals(2, details.path("currentVersion").asLong());
        assertEquals("version", details.path("field").asText());
        assertTrue(mine.json().path("error").path("message").asText().contains("bob"));
        // The same through If-Match.
        assertEquals("VERSION_CONFLICT", api.call("PUT", orders, orders("Orders (Alice)", "2026-11-01", ""), adminNamed("alice"),
                Map.of("if-match", "\"1\"")).code());
        assertEquals(before, api.standIns.snapshot(), "a refused save writes nothing");
        assertEquals("Orders (Bob)", expect(200, api.call("GET", orders, null, admin())).text("name"));

        // Re-applied on the current version, it is saved.
        expect(200, api.call("PUT", orders, orders("Orders (Alice)", "2026-11-01", ""), adminNamed("alice"), Map.of("if-match", "W/\"2\"")));
        assertEquals(3, expect(200, api.call("GET", orders, null, admin())).json().path("version").asLong());
    }

    @Test
    void ofEightAdminsSavingTheSameVersionAtOnceExactlyOneWinsAndOneChangeIsRecorded() throws Exception {
        Map<String, java.util.concurrent.CompletableFuture<Answer>> saves = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 8; i++) {
            String who = "admin-" + (char) ('a' + i);
            saves.put(who, java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    api.call("PUT", orders, orders("Orders by " + who, "2026-11-01", ",\"version\":1"), adminNamed(who))));
        }
        List<String> winners = new ArrayList<>();
        int conflicts = 0;
        for (var save : saves.entrySet()) {
            Answer answer = save.getValue().get();
            if (answer.status() == 200) {
                winners.add(save.getKey());
            } else if ("VERSION_CONFLICT".equals(answer.code())) {
                conflicts++;
            }
        }
        assertEquals(1, winners.size(), winners.toString());
        assertEquals(7, conflicts);
        JsonNode sync = expect(200, api.call("GET", orders, null, admin())).json();
        assertEquals(2, sync.path("version").asLong());
        assertEquals("Orders by " + winners.get(0), sync.path("name").asText(), "the stored definition is the winner's");
        assertEquals(winners.get(0), sync.path("updatedBy").asText());
        JsonNode changes = expect(200, api.call("GET", orders + "/changes", null, admin())).json().path("changes");
        assertEquals(2, changes.size(), "the create and the one save that won");
        assertEquals(winners.get(0), changes.get(0).path("by").asText());
    }

    @Test
    void anIfMatchThatIsNoVersionIsRefusedAndWritesNothing() {
        var before = api.standIns.snapshot();
        for (String header : List.of("abc", "-1", "\"\"", "99999999999999999999", "*", "1, 2", "W/")) {
            Answer refused = api.call("PUT", orders, orders("Orders", "2026-11-01", ""), admin(), Map.of("if-match", header));
            assertEquals(400, refused.status(), header);
            assertEquals("version", refused.json().path("error").path("details").path("field").asText(), header);
        }
        assertEquals(before, api.standIns.snapshot());
    }

    @Test
    void aCreateWithAStaleVersionIsRefusedAndVersionZeroCreatesOnlyOnce() {
        String fresh = "/clients/" + client + "/syncs/fresh";
        var before = api.standIns.snapshot();
        assertEquals("VERSION_CONFLICT", api.call("PUT", fresh, orders("Fresh", "2026-11-01", ",\"version\":4"), admin()).code());
        assertEquals(404, api.call("GET", fresh, null, admin()).status());
        assertEquals(before, api.standIns.snapshot());
        expect(201, api.call("PUT", fresh, orders("Fresh", "2026-11-01", ",\"version\":0"), admin()));
        assertEquals("VERSION_CONFLICT", api.call("PUT", fresh, orders("Fresh again", "2026-11-01", ",\"version\":0"), admin()).code());
        // Clients are versioned the same way.
        String path = "/clients/" + client;
        expect(200, api.call("PUT", path, "{\"name\":\"Renamed\",\"version\":1}", adminNamed("bob")));
        Answer stale = api.call("PUT", path, "{\"name\":\"Renamed too\",\"version\":1}", adminNamed("alice"));
        assertEquals("VERSION_CONFLICT", stale.code());
        assertEquals("bob", stale.json().path("error").path("details").path("changedBy").asText());
        assertEquals(400, api.call("PUT", path, "{\"name\":\"X\",\"version\":2}", admin(), Map.of("if-match", "3")).status(),
                "a version and an If-Match that disagree");
    }

    @Test
    void connectorSecretsAreWriteOnlyAndShownAsSetOrNotSet() {
        String invoices = "/clients/" + client + "/syncs/invoices";
        JsonNode asAdmin = expect(200, api.call("GET", invoices, null, admin())).json();
        assertEquals("https://source.example/{date}", asAdmin.path("connector").path("config").path("sourceUrl").asText());
        assertEquals("set", asAdmin.path("connector").path("secrets").path("sourceToken").asText());
        assertEquals("set", asAdmin.path("connector").path("secrets").path("token").asText());
        assertFalse(asAdmin.toString().contains("s3cret"), asAdmin.toString());
        JsonNode asOperator = expect(200, api.call("GET", invoices, null, operator(client))).json();
        assertFalse(asOperator.path("connector").has("config"), "operators see the connector's type only");

        // Left out: kept. "": cleared. A new value: replaced, recorded as "changed".
        Answer saved = expect(200, api.call("PUT", invoices, """
                {"name":"Invoices","timezone":"America/New_York","firstDate":"2026-11-10","supportsPeriodExecution":false,
                 "connector":{"type":"http","config":{"sourceUrl":"https://source.example/{date}",
                   "destinationUrl":"https://destination.example/in","sourceToken":"n3w-s3cret","destinationToken":""}}}""", admin()));
        JsonNode secrets = saved.json().path("connector").path("secrets");
        assertEquals("set", secrets.path("sourceToken").asText());
        assertEquals("set", secrets.path("token").asText(), "a secret left out is kept");
        assertTrue(secrets.path("destinationToken").isMissingNode(), "a secret sent as \"\" is cleared");
        assertFalse(saved.json().toString().contains("s3cret"));

        JsonNode changes = expect(200, api.call("GET", invoices + "/changes", null, admin())).json();
        assertFalse(changes.toString().contains("s3cret"), changes.toString());
        JsonNode fields = changes.path("changes").get(0).path("fields");
        assertEquals(Map.of("connector.config.sourceToken", "set → changed", "connector.config.destinationToken", "set → not set"),
                fieldsAsText(fields));
    }

    @Test
    void aPausedSyncStartsNoRunButLetsTheActiveOneFinishAndResumesInOneSave() {
        String running = expect(202, api.call("POST", orders + "/executions", "{\"mode\":\"DEFAULT\"}", operator(client))).id();
        Answer paused = expect(200, api.call("PUT", orders, orders("Orders", "2026-11-01",
                ",\"paused\":{\"reason\":\"Source migrating until Monday\"}"), adminNamed("alice")));
        assertEquals("Source migrating until Monday", paused.json().path("paused").path("reason").asText());
        assertEquals("alice", paused.json().path("paused").path("by").asText());
        assertEquals(running, paused.text("activeExecutionId"), "the active run is not affected");
        assertEquals("RUNNING", expect(200, api.call("GET", orders + "/executions/" + running, null, operator(client))).text("status"));
        assertEquals("Source migrating until Monday", expect(200, api.call("GET", orders, null, operator(client)))
                .json().path("paused").path("reason").asText(), "operators see why");
        String shard = SyncSchedule.shard(client, "orders");
        assertTrue(dueIn(shard).isEmpty(), "a paused sync leaves the schedule's due index");

        var before = api.standIns.snapshot();
        Answer refused = api.call("POST", orders + "/executions", "{\"mode\":\"DEFAULT\"}", operator(client));
        assertEquals(409, refused.status());
        assertEquals("SYNC_PAUSED", refused.code());
        assertEquals("Source migrating until Monday", refused.json().path("error").path("details").path("reason").asText());
        assertEquals(before, api.standIns.snapshot(), "a refused run writes nothing");

        expect(200, api.call("PUT", orders, orders("Orders", "2026-11-01", ""), admin()));
        assertTrue(expect(200, api.call("GET", orders, null, operator(client))).json().path("paused").isNull());
        assertEquals(List.of("orders"), dueIn(shard), "resumed, it is due again");
    }

    @Test
    void aPauseSavedBetweenAStartsReadAndItsLockWinsAndTheStartWritesNothing() {
        io.syncexec.sync.Sync readBeforeThePause = api.wiring.syncs().get(client, "orders").orElseThrow();
        expect(200, api.call("PUT", orders, orders("Orders", "2026-11-01", ",\"paused\":{\"reason\":\"Audit\"}"), admin()));
        var before = api.standIns.snapshot();
        io.syncexec.error.Refusal refused = org.junit.jupiter.api.Assertions.assertThrows(io.syncexec.error.Refusal.class,
                () -> api.wiring.executionService().create(readBeforeThePause, io.syncexec.plan.ExecutionRequest.defaultRun(),
                        io.syncexec.execution.Trigger.MANUAL, "operator-1"));
        assertEquals(io.syncexec.error.Reason.SYNC_PAUSED, refused.reason());
        assertEquals("Audit", refused.details().get("reason"));
        assertEquals(before, api.standIns.snapshot(), "the lock's conditional write refused it: nothing was written");
        assertTrue(api.workflow.started.isEmpty());
    }

    @Test
    void changesListNewestFirstInPagesWithOldAndNewValuesAndTheBackfillOfAnEarlierFirstDate() {
        api.imported(client, "orders", "2026-11-01", 5);
        api.imported(client, "orders", "2026-11-02", 5);
        expect(200, api.call("PUT", orders, orders("Orders v2", "2026-11-01", ""), adminNamed("alice")));
        expect(200, api.call("PUT", orders, orders("Orders v2", "2026-10-27", ""), adminNamed("bob")));
        Answer unchanged = expect(200, api.call("PUT", orders, orders("Orders v2", "2026-10-27", ""), adminNamed("bob")));
        assertTrue(unchanged.json().path("change").isNull(), "a save that changes nothing records nothing");

        Answer first = expect(200, api.call("GET", orders + "/changes?limit=2", null, operator(client)));
        JsonNode page = first.json().path("changes");
        assertEquals(2, page.size());
        assertEquals(3, page.get(0).path("version").asLong());
        assertEquals("bob", page.get(0).path("by").asText());
        assertEquals(Map.of("firstDate", "2026-11-01 → 2026-10-27"), fieldsAsText(page.get(0).path("fields")));
        // 2026-10-27 … 2026-11-25 in Paris, but for the two dates imported: 30 - 2.
        assertEquals("firstDate moved earlier, from 2026-11-01 to 2026-10-27: the next default run will import 28 dates.",
                page.get(0).path("note").asText());
        assertEquals(Map.of("name", "Orders → Orders v2"), fieldsAsText(page.get(1).path("fields")));

        Answer second = expect(200, api.call("GET", orders + "/changes?limit=2&nextToken=" + first.text("nextToken"), null, admin()));
        assertEquals(1, second.json().path("changes").size());
        JsonNode created = second.json().path("changes").get(0);
        assertEquals(1, created.path("version").asLong());
        assertEquals("admin-1", created.path("by").asText());
        assertEquals("Orders", fieldsAsText(created.path("fields")).get("name").replace("null → ", ""));
        assertTrue(second.json().path("nextToken").isNull());
        assertEquals(400, api.call("GET", orders + "/changes?nextToken=abc", null, admin()).status());
    }

    @Test
    void theChangesRouteIs403ForOtherClientsBefore404AndCallersLearnWhetherTheyAreAdmins() {
        String other = api.newClient();
        assertEquals(403, api.call("GET", "/clients/" + other + "/syncs/orders/changes", null, operator(client)).status());
        assertEquals(403, api.call("GET", "/clients/" + other + "/syncs/nosuch/changes", null, operator(client)).status());
        assertEquals(404, api.call("GET", "/clients/" + client + "/syncs/nosuch/changes", null, operator(client)).status());
        assertFalse(expect(200, api.call("GET", "/clients", null, operator(client))).json().path("caller").path("admin").asBoolean());
        assertTrue(expect(200, api.call("GET", "/clients", null, admin())).json().path("caller").path("admin").asBoolean());
    }

    private List<String> dueIn(String shard) {
        List<String> due = new ArrayList<>();
        SyncRepository.DuePage page = api.wiring.syncs().due(shard, api.clock.instant().plusSeconds(86_400 * 2), 100, null);
        page.syncs().stream().filter(s -> s.clientId().equals(client)).forEach(s -> due.add(s.syncId()));
        return due;
    }

    /** Each changed field as "from → to". */
    private static Map<String, String> fieldsAsText(JsonNode fields) {
        Map<String, String> text = new java.util.LinkedHashMap<>();
        fields.forEach(f -> text.put(f.path("field").asText(), f.path("from").asText("null") + " → " + f.path("to").asText("null")));
        return text;
    }
}
