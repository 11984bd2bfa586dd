package io.syncexec.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.syncexec.standins.ApiClient.Answer;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static io.syncexec.api.ApiHarness.admin;
import static io.syncexec.standins.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The events of {@code events/} (what {@code sam local invoke -e} sends) through the real handler,
 * in the order an operator would cause them, each with the status it must get.
 */
@ExtendWith(StandInsExtension.class)
class EventFixturesIT {
    private static final Path EVENTS = Path.of(System.getProperty("syncexec.root", "../..")).resolve("events");

    private static APIGatewayV2HTTPEvent event(String name) {
        return EventLoader.loadApiGatewayHttpEvent(EVENTS.resolve(name + ".json").toString());
    }

    /** The fixture aimed at a real execution (fixtures carry an example id and digest). */
    private static APIGatewayV2HTTPEvent about(String name, String executionId, String planDigest) {
        APIGatewayV2HTTPEvent event = event(name);
        String example = event.getPathParameters().get("executionId");
        event.setRawPath(event.getRawPath().replace(example, executionId));
        event.getRequestContext().getHttp().setPath(event.getRawPath());
        Map<String, String> path = new HashMap<>(event.getPathParameters());
        path.put("executionId", executionId);
        event.setPathParameters(path);
        if (event.getBody() != null && planDigest != null) {
            event.setBody(event.getBody().replaceAll("\"planDigest\"\\s*:\\s*\"[0-9a-f]+\"", "\"planDigest\":\"" + planDigest + "\""));
        }
        return event;
    }

    @Test
    void everyFixtureIsAnswered(StandIns standIns) throws Exception {
        ApiHarness api = new ApiHarness(standIns);
        expect(201, api.call("PUT", "/clients/acme", "{\"name\":\"Acme\"}", admin()));
        expect(201, api.call("PUT", "/clients/acme/syncs/invoices", """
                {"name":"Invoices","timezone":"America/New_York","firstDate":"2026-11-10","supportsPeriodExecution":false,
                 "connector":{"type":"demo"}}""", admin()));
        Map<String, Integer> seen = new HashMap<>();
        seen.put("list-clients", expect(200, api.respond(event("list-clients"))).status());
        seen.put("put-sync", api.respond(event("put-sync")).status());
        api.imported("acme", "orders", "2026-11-20", 5);
        seen.put("list-syncs", expect(200, api.respond(event("list-syncs"))).status());
        seen.put("get-sync", expect(200, api.respond(event("get-sync"))).status());
        seen.put("get-ledger", expect(200, api.respond(event("get-ledger"))).status());
        Answer dateHistory = expect(200, api.respond(event("get-ledger-date")));
        assertEquals(1, dateHistory.json().path("imports").size());
        seen.put("get-ledger-date", dateHistory.status());
        seen.put("create-execution-dry-run", expect(200, api.respond(event("create-execution-dry-run"))).status());
        seen.put("create-execution-range-reimport", expect(409, api.respond(event("create-execution-range-reimport"))).status());
        seen.put("create-execution-default", expect(202, api.respond(event("create-execution-default"))).status());
        Answer single = expect(202, api.respond(event("create-execution-single-date")));
        assertEquals("AWAITING_CONFIRMATION", single.text("status"));
        seen.put("create-execution-single-date", single.status());
        seen.put("create-execution-range-missing", expect(409, api.respond(event("create-execution-range-missing"))).status());
        String id = single.text("executionId");
        String digest = single.json().path("plan").path("planDigest").asText();
        seen.put("get-execution", expect(200, api.respond(about("get-execution", id, null))).status());
        seen.put("list-executions", expect(200, api.respond(event("list-executions"))).status());
        Answer page = expect(200, api.respond(about("list-execution-outcomes", id, null)));
        assertEquals("2026-11-20", page.json().path("outcomes").get(0).path("date").asText(), "the page after 2026-11-19");
        seen.put("list-execution-outcomes", page.status());
        seen.put("confirm-execution", expect(200, api.respond(about("confirm-execution", id, digest))).status());
        seen.put("decline-execution", expect(409, api.respond(about("decline-execution", id, null))).status());
        seen.put("cancel-execution", expect(202, api.respond(about("cancel-execution", id, null))).status());
        Answer paused = expect(200, api.respond(event("pause-sync")));
        assertEquals("Source migrating until Monday", paused.json().path("paused").path("reason").asText());
        seen.put("pause-sync", paused.status());
        Answer changes = expect(200, api.respond(event("list-sync-changes")));
        assertEquals(2, changes.json().path("changes").size(), "the create and the pause, newest first");
        assertEquals(2, changes.json().path("changes").get(0).path("version").asLong());
        seen.put("list-sync-changes", changes.status());

        try (Stream<Path> files = Files.list(EVENTS)) {
            files.map(f -> f.getFileName().toString().replace(".json", ""))
                    .forEach(name -> assertEquals(true, seen.containsKey(name), "fixture not exercised: " + name));
        }
    }
}
