package io.syncexec.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncexec.standins.RepositoryRoot;
import io.syncexec.standins.StandIns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code LOCAL_NOW=2026-12-31T20:00:00Z ./run-local}: the whole local mode (the seed, the issuer and the
 * gateway's token checks, the functions) on a clock started at New Year's Eve, 20:00 UTC. It is already
 * 1 January 2027 in Auckland, still 31 December in New York and Paris. On stand-ins of its own, so
 * its seed does not meet the other tests' data.
 */
class LocalModeAtNewYearIT {

    private static final Instant NEW_YEARS_EVE = Instant.parse("2026-12-31T20:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static StandIns standIns;
    private static LocalMode mode;

    @BeforeAll
    static void start() {
        Path root = RepositoryRoot.find();
        standIns = StandIns.start(root);
        mode = LocalMode.start(new LocalMode.Settings(root, 0, 600, root.resolve("local/server/target/local-mode-new-year/tokens.json"),
                true, new PrintStream(OutputStream.nullOutputStream())).at(NEW_YEARS_EVE), standIns);
    }

    @AfterAll
    static void stop() {
        if (mode != null) {
            mode.close();
        }
        if (standIns != null) {
            standIns.close();
        }
    }

    @Test
    void theClockStartsAtLocalNowAndRuns() {
        Instant now = mode.clock().instant();
        assertTrue(!now.isBefore(NEW_YEARS_EVE) && now.isBefore(NEW_YEARS_EVE.plus(Duration.ofHours(1))), now.toString());
    }

    @Test
    void eachLedgerSaysTheTodayOfItsSyncsZone() throws Exception {
        assertEquals("2027-01-01", get("/clients/globex/syncs/payments/ledger").path("today").asText(), "Auckland");
        assertEquals("2026-12-31", get("/clients/globex/syncs/bookings/ledger").path("today").asText(), "New York");
        assertEquals("2026-12-31", get("/clients/acme/syncs/orders/ledger").path("today").asText(), "Paris");
        assertEquals("2026-12-30", get("/clients/acme/syncs/orders/ledger").path("to").asText());
    }

    @Test
    void aDefaultRunPlansUpToYesterdayInTheSyncsZone() throws Exception {
        JsonNode auckland = dryRun("/clients/globex/syncs/payments/executions");
        assertEquals("2026-12-31", lastDate(auckland), auckland.toString());
        assertEquals(21, auckland.path("datesCount").asInt(), "the seed's 21 days before Auckland's today");

        JsonNode paris = dryRun("/clients/acme/syncs/orders/executions");
        assertEquals("2026-12-30", lastDate(paris), paris.toString());
        // 45 days from 16 November to 30 December; the seed imported the first 20 at start.
        assertEquals(25, paris.path("datesCount").asInt(), paris.toString());
        assertEquals(LocalDate.parse("2026-12-06").toString(), paris.path("dates").get(0).asText());
    }

    private static String lastDate(JsonNode plan) {
        JsonNode dates = plan.path("dates");
        return dates.get(dates.size() - 1).asText();
    }

    private static JsonNode dryRun(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(request(path)
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"DEFAULT\",\"dryRun\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("plan");
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(mode.url() + path.substring(1)))
                .header("Authorization", "Bearer " + mode.tokens().admin())
                .header("Content-Type", "application/json");
    }
}
