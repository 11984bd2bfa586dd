package io.syncexec.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo data of the local mode, written through the HTTP API as the admin (so it is validated like
 * any PUT): two clients in different time zones with both kinds of sync, and some history so the
 * calendar is not empty.
 */
final class Seed {

    record SeedSync(String syncId, String name, String timezone, int daysBack, boolean period, Map<String, Object> config) {
        LocalDate firstDate(Clock clock) {
            return LocalDate.now(clock.withZone(ZoneId.of(timezone))).minusDays(daysBack);
        }
    }

    record SeedClient(String clientId, String name, List<SeedSync> syncs) {
    }

    /** The clients and syncs; first dates are relative to today in each sync's zone. */
    static List<SeedClient> clients(Clock clock) {
        LocalDate paymentsFirst = LocalDate.now(clock.withZone(ZoneId.of("Pacific/Auckland"))).minusDays(21);
        return List.of(
                new SeedClient("acme", "Acme Retail", List.of(
                        new SeedSync("orders", "Orders", "Europe/Paris", 45, true, Map.of("recordsPerDate", 12)),
                        new SeedSync("invoices", "Invoices", "Europe/Paris", 30, false, Map.of()))),
                new SeedClient("globex", "Globex Travel", List.of(
                        new SeedSync("bookings", "Bookings", "America/New_York", 60, true, Map.of("latencyMillis", 200)),
                        new SeedSync("payments", "Payments", "Pacific/Auckland", 21, false,
                                Map.of("failingDates", List.of(paymentsFirst.plusDays(7).toString()))))));
    }

    /** The history imported at start: a missing-only range over acme/orders' first 20 days. */
    static final String HISTORY_CLIENT = "acme";
    static final String HISTORY_SYNC = "orders";
    static final int HISTORY_DAYS = 20;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RUNNING = Set.of("RUNNING", "AWAITING_CONFIRMATION");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String adminToken;
    private final Clock clock;

    /** @param clock the local mode's clock: "today" of each sync's zone */
    Seed(URI base, String adminToken, Clock clock) {
        this.base = base;
        this.adminToken = adminToken;
        this.clock = clock;
    }

    /** Writes the clients and syncs, imports the history and waits (at most {@code timeout}) until it has ended. */
    void run(Duration timeout) {
        for (SeedClient client : clients(clock)) {
            call("PUT", "/clients/" + client.clientId(), JSON.createObjectNode().put("name", client.name()), 200, 201);
            for (SeedSync sync : client.syncs()) {
                ObjectNode body = JSON.createObjectNode()
                        .put("name", sync.name())
                        .put("timezone", sync.timezone())
                        .put("firstDate", sync.firstDate(clock).toString())
                        .put("supportsPeriodExecution", sync.period());
                // Bookings' source publishes late: its scheduled run waits 2 hours after the day ends in New York.
                body.putObject("schedule").put("enabled", true).put("settleMinutes", sync.syncId().equals("bookings") ? 120 : 0);
                ObjectNode connector = body.putObject("connector").put("type", "demo");
                connector.set("config", JSON.valueToTree(sync.config()));
                call("PUT", "/clients/" + client.clientId() + "/syncs/" + sync.syncId(), body, 200, 201);
            }
        }
        SeedSync orders = clients(clock).get(0).syncs().get(0);
        String path = "/clients/" + HISTORY_CLIENT + "/syncs/" + HISTORY_SYNC + "/executions";
        ObjectNode range = JSON.createObjectNode()
                .put("mode", "DATE_RANGE")
                .put("from", orders.firstDate(clock).toString())
                .put("to", orders.firstDate(clock).plusDays(HISTORY_DAYS - 1).toString())
                .put("reimport", false);
        JsonNode execution = call("POST", path, range, 200, 202);
        String executionId = execution.path("executionId").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ended(execution)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The seed's history import " + executionId + " did not end within " + timeout
                        + "; last seen: " + execution.path("status").asText());
            }
            pause();
            execution = call("GET", path + "/" + executionId, null, 200);
        }
    }

    private static boolean ended(JsonNode execution) {
        return !RUNNING.contains(execution.path("status").asText()) && !execution.path("finishedAt").isNull()
                && !execution.path("finishedAt").isMissingNode();
    }

    private JsonNode call(String method, String path, JsonNode body, int... expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json");
        try {
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (int status : expected) {
                if (response.statusCode() == status) {
                    return JSON.readTree(response.body());
                }
            }
            throw new IllegalStateException("Seed: " + method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Seed: " + method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Seed interrupted", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100); // a poll interval; the deadline above bounds the wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Seed interrupted", e);
        }
    }

    /** Client ids of the seed, in order (whatever the date). */
    static List<String> clientIds() {
        return clients(Clock.systemUTC()).stream().map(SeedClient::clientId).toList();
    }
}
