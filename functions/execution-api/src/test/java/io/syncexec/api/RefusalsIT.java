package io.syncexec.api;

import io.syncexec.standins.StandIns;
import io.syncexec.standins.ApiClient.Answer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.syncexec.api.ApiHarness.admin;
import static io.syncexec.api.ApiHarness.operator;
import static io.syncexec.standins.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every error code of SPEC §4 with its status, and for each refusal: every table is exactly as
 * it was before the request.
 */
class RefusalsIT extends OwnClientIT {

    private void refused(int status, String code, Supplier<Answer> call) {
        var before = api.standIns.snapshot();
        Answer response = call.get();
        assertEquals(status, response.status(), response.json().toString());
        assertEquals(code, response.code());
        assertNotNull(response.json().path("error").path("message").asText(null));
        assertFalse(response.json().toString().contains("Exception"), "no stack trace or exception name to clients");
        assertEquals(before, api.standIns.snapshot(), code + " must leave every table unchanged");
    }

    private void refusedCreate(int status, String code, String syncId, String body) {
        refused(status, code, () -> api.call("POST", base + "/" + syncId + "/executions", body, op));
    }

    @Test
    void badRequestsAre400WithTheirCode() {
        refusedCreate(400, "INVALID_JSON", "orders", "{\"mode\":");
        refusedCreate(400, "INVALID_JSON", "orders", null);
        refusedCreate(400, "INVALID_REQUEST", "orders", "{\"mode\":\"DEFAULT\",\"force\":true}");
        refusedCreate(400, "INVALID_REQUEST", "orders", "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-01\",\"to\":\"2026-11-02\",\"reimport\":\"yes\"}");
        refusedCreate(400, "INVALID_MODE", "orders", "{\"mode\":\"EVERYTHING\"}");
        refusedCreate(400, "INVALID_DATE", "orders", "{\"mode\":\"SINGLE_DATE\",\"date\":\"2023-02-29\"}");
        refusedCreate(400, "INVALID_RANGE", "orders", "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-10\",\"to\":\"2026-11-01\"}");
        refused(400, "INVALID_DATE", () -> api.call("GET", base + "/orders/ledger?from=yesterday", null, op));
        refused(400, "INVALID_RANGE", () -> api.call("GET", base + "/orders/ledger?from=2026-11-10&to=2026-11-01", null, op));
        refused(400, "INVALID_REQUEST", () -> api.call("GET", base + "/orders/executions?limit=0", null, op));
        refused(400, "INVALID_REQUEST", () -> api.call("GET", base + "/orders/executions?nextToken=forged", null, op));
        refused(400, "INVALID_REQUEST", () -> api.call("GET", base + "/orders/executions?status=BROKEN", null, op));
        refused(400, "INVALID_REQUEST", () -> api.call("GET", base + "/orders/executions?trigger=CRON", null, op));
        refused(400, "INVALID_REQUEST", () -> api.call("GET", base + "/orders/ledger/2026-13-01", null, op));
        refused(400, "INVALID_REQUEST", () -> api.call("PUT", base + "/orders",
                "{\"name\":\"x\",\"timezone\":\"Mars/Olympus\",\"firstDate\":\"2026-11-01\",\"supportsPeriodExecution\":true,\"connector\":{\"type\":\"demo\"}}",
                admin()));
        refused(400, "INVALID_REQUEST", () -> api.call("PUT", base + "/orders",
                "{\"name\":\"x\",\"timezone\":\"UTC\",\"firstDate\":\"2026-11-01\",\"supportsPeriodExecution\":true,\"maxRangeDays\":3661,\"connector\":{\"type\":\"demo\"}}",
                admin()));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
            "http://metadata.google.internal/", "http://10.0.0.1/x", "file:///etc/passwd", "https://127.0.0.1/{date}",
            "https://localhost/{date}", "https://user:pw@example.com/{date}", "http://example.com/{date}", "https://[::ffff:10.0.0.1]/",
            "https://2130706433/", "https://192.168.1.20/{date}", "https://[fe80::1]/", "https://100.100.100.200/"})
    void aConnectorUrlInsideTheNetworkIsRefusedAtPut(String url) {
        for (String field : List.of("sourceUrl", "destinationUrl")) {
            String other = field.equals("sourceUrl") ? "destinationUrl" : "sourceUrl";
            String body = "{\"name\":\"x\",\"timezone\":\"UTC\",\"firstDate\":\"2026-11-01\",\"supportsPeriodExecution\":true,"
                    + "\"connector\":{\"type\":\"http\",\"config\":{\"" + field + "\":\"" + url + "\",\"" + other
                    + "\":\"https://api.example.com/{date}\",\"sourceToken\":\"secret-token-1\"}}}";
            var before = api.standIns.snapshot();
            Answer response = api.call("PUT", base + "/hostile", body, admin());
            assertEquals(400, response.status(), url + " as " + field + ": " + response.json());
            assertEquals("INVALID_REQUEST", response.code());
            assertEquals("connector.config." + field, response.json().path("error").path("details").path("field").asText());
            assertFalse(response.json().toString().contains("secret-token-1"));
            assertEquals(before, api.standIns.snapshot(), "a refused PUT writes nothing");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"\"failureRate\":0.5", "\"failingDates\":[\"2026-11-02\"]",
            "\"latencyMillis\":100", "\"throttledUntil\":\"2026-11-26T13:00:00Z\"", "\"throttleRetryAfter\":false"})
    void theDemoConnectorsFaultSettingsAreRefusedUnlessTheStackAllowsThem(String setting, StandIns standIns) {
        String body = "{\"name\":\"x\",\"timezone\":\"UTC\",\"firstDate\":\"2026-11-01\",\"supportsPeriodExecution\":true,"
                + "\"connector\":{\"type\":\"demo\",\"config\":{\"recordsPerDate\":3," + setting + "}}}";
        String field = "connector.config." + setting.substring(1, setting.indexOf('"', 1));
        var before = api.standIns.snapshot();
        Answer response = api.call("PUT", base + "/faulty", body, admin());
        assertEquals(400, response.status(), setting + ": " + response.json());
        assertEquals("INVALID_REQUEST", response.code());
        assertEquals(field, response.json().path("error").path("details").path("field").asText());
        assertEquals(before, api.standIns.snapshot(), "a refused PUT writes nothing");

        // A stack deployed with AllowDemoFaults=true (the local mode's) stores it.
        ApiHarness allowing = new ApiHarness(standIns, Map.of("ALLOW_DEMO_FAULTS", "true"));
        expect(201, allowing.call("PUT", base + "/faulty", body, admin()));
    }

    @Test
    void identityAndAccessAre401And403() {
        refused(401, "UNAUTHENTICATED", () -> api.call("POST", base + "/orders/executions", "{\"mode\":\"DEFAULT\"}", null));
        refused(403, "FORBIDDEN", () -> api.call("POST", base + "/orders/executions", "{\"mode\":\"DEFAULT\"}", operator("someone-else")));
        refused(403, "FORBIDDEN", () -> api.call("PUT", base + "/orders",
                "{\"name\":\"x\",\"timezone\":\"UTC\",\"firstDate\":\"2026-11-01\",\"supportsPeriodExecution\":true,\"connector\":{\"type\":\"demo\"}}", op));
    }

    @Test
    void unknownThingsAre404() {
        refused(404, "NOT_FOUND", () -> api.call("GET", "/clients/nobody/syncs", null, admin()));
        refused(404, "NOT_FOUND", () -> api.call("GET", base + "/nothing", null, op));
        refused(404, "NOT_FOUND", () -> api.call("GET", base + "/nothing/ledger/2026-11-03", null, op));
        refusedCreate(404, "NOT_FOUND", "nothing", "{\"mode\":\"DEFAULT\"}");
        refused(404, "NOT_FOUND", () -> api.call("GET", base + "/orders/executions/01a217ba-1200-77b0-80da-31b59d426b96", null, op));
        refused(404, "NOT_FOUND", () -> api.call("GET", base + "/orders/executions/..%2F..%2Fx", null, op));
        // No route takes these segments: API Gateway answers without calling the function.
        assertEquals("Not Found", expect(404, api.call("GET", base + "/orders/executions/../../x", null, op)).text("message"));
        refused(404, "NOT_FOUND", () -> api.call("PUT", "/clients/nobody/syncs/orders",
                "{\"name\":\"x\",\"timezone\":\"UTC\",\"firstDate\":\"2026-11-01\",\"supportsPeriodExecution\":true,\"connector\":{\"type\":\"demo\"}}", admin()));
    }

    @Test
    void conflictsAre409() {
        String running = expect(202, api.call("POST", base + "/orders/executions", "{\"mode\":\"DEFAULT\"}", op)).text("executionId");
        refusedCreate(409, "EXECUTION_IN_PROGRESS", "orders", "{\"mode\":\"DEFAULT\"}");
        refusedCreate(409, "PLAN_CHANGED", "invoices", "{\"mode\":\"DEFAULT\",\"planDigest\":\"0123456789abcdef\"}");
        refused(409, "NOT_AWAITING_CONFIRMATION", () -> api.call("POST", base + "/orders/executions/" + running + "/confirmation",
                "{\"confirm\":true,\"planDigest\":\"x\"}", op));
        api.imported(client, "orders", "2026-11-20", 1);
        String finished = expect(202, api.call("POST", base + "/invoices/executions", "{\"mode\":\"DEFAULT\",\"dryRun\":false}", op))
                .text("executionId");
        api.workflow.started.clear();
        // invoices now runs; a second sync's run does not block the first's.
        refused(409, "EXECUTION_IN_PROGRESS", () -> api.call("POST", base + "/invoices/executions", "{\"mode\":\"DEFAULT\"}", op));
        String empty = expect(202, api.call("POST", base + "/orders/executions",
                "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-20\",\"to\":\"2026-11-20\"}", op)).text("executionId");
        refused(409, "ALREADY_FINISHED", () -> api.call("POST", base + "/orders/executions/" + empty + "/cancel", null, op));
        refused(409, "ALREADY_FINISHED", () -> api.call("POST", base + "/orders/executions/" + empty + "/confirmation",
                "{\"confirm\":false}", op));
        assertNotNull(finished);
    }

    @Test
    void tooLargeBodiesAre413() {
        String big = "{\"mode\":\"DEFAULT\",\"pad\":\"" + "x".repeat(ExecutionApi.MAX_BODY_BYTES) + "\"}";
        refusedCreate(413, "PAYLOAD_TOO_LARGE", "orders", big);
    }

    @Test
    void impossibleRunsAre422() {
        refusedCreate(422, "PERIOD_EXECUTION_NOT_SUPPORTED", "invoices", "{\"mode\":\"SINGLE_DATE\",\"date\":\"2026-11-20\"}");
        refusedCreate(422, "PERIOD_EXECUTION_NOT_SUPPORTED", "invoices", "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-20\",\"to\":\"2026-11-21\"}");
        refusedCreate(422, "DATE_NOT_COMPLETE", "orders", "{\"mode\":\"SINGLE_DATE\",\"date\":\"2026-11-26\"}");
        refusedCreate(422, "DATE_BEFORE_SYNC_START", "orders", "{\"mode\":\"SINGLE_DATE\",\"date\":\"2026-10-31\"}");
        expect(201, api.call("PUT", base + "/history", """
                {"name":"History","timezone":"UTC","firstDate":"2026-01-01","supportsPeriodExecution":true,"maxRangeDays":31,
                 "connector":{"type":"demo"}}""", admin()));
        refusedCreate(422, "RANGE_TOO_LONG", "history", "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-10-01\",\"to\":\"2026-11-01\"}");
        refused(422, "RANGE_TOO_LONG", () -> api.call("GET", base + "/orders/ledger?from=2000-01-01&to=2026-11-01", null, op));
    }

    @Test
    void everyRouteIs401WithoutIdentityAnd403OutsideTheCallersClients() {
        String execution = expect(202, api.call("POST", base + "/orders/executions", "{\"mode\":\"DEFAULT\"}", op)).text("executionId");
        List<String[]> routes = List.of(
                new String[]{"GET", "/clients"},
                new String[]{"PUT", "/clients/" + client},
                new String[]{"GET", base},
                new String[]{"GET", base + "/orders"},
                new String[]{"PUT", base + "/orders"},
                new String[]{"GET", base + "/orders/ledger"},
                new String[]{"GET", base + "/orders/ledger/2026-11-03"},
                new String[]{"POST", base + "/orders/executions"},
                new String[]{"GET", base + "/orders/executions"},
                new String[]{"GET", base + "/orders/executions/" + execution},
                new String[]{"GET", base + "/orders/executions/" + execution + "/outcomes"},
                new String[]{"POST", base + "/orders/executions/" + execution + "/confirmation"},
                new String[]{"POST", base + "/orders/executions/" + execution + "/cancel"});
        for (String[] route : routes) {
            refused(401, "UNAUTHENTICATED", () -> api.call(route[0], route[1], "{}", null));
            refused(401, "UNAUTHENTICATED", () -> api.call(route[0], route[1], "{}", Map.of("clients", client)));
            if (!route[1].equals("/clients")) {
                refused(403, "FORBIDDEN", () -> api.call(route[0], route[1], "{}", operator("another-client")));
            }
        }
        // GET /clients shows an operator without clients an empty list, not an error.
        assertEquals(0, expect(200, api.call("GET", "/clients", null, operator())).json().path("clients").size());
    }
}
