package io.syncexec.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncexec.standins.RepositoryRoot;
import io.syncexec.standins.StandIns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local mode in this JVM, on the real functions: the seed is in, the tokens file holds what the
 * gateway accepts, and the claims reach the API (a client token sees its client only).
 */
class LocalModeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalMode mode;
    private static Path tokensFile;

    @BeforeAll
    static void start() {
        Path root = RepositoryRoot.find();
        tokensFile = root.resolve("local/server/target/local-mode-it/tokens.json");
        mode = LocalMode.start(new LocalSettings(root, 0, 600, tokensFile, true,
                new PrintStream(OutputStream.nullOutputStream())), StandIns.get());
    }

    @AfterAll
    static void stop() {
        if (mode != null) {
            mode.close();
        }
    }

    @Test
    void withTheTemplateDefaultsTheScheduleIsOffAndOnlyTheManualTriggerFiresIt() {
        assertEquals(List.of(), mode.cloud().scheduleRules());
        assertEquals(List.of("Schedule: off (SCHEDULE_ENABLED=true runs it on rate(15 minutes); POST /local/schedule fires it now)"),
                LocalMode.scheduleLines(mode.cloud()));
    }

    @Test
    void tokensFileHoldsTheAdminAndOneTokenPerSeededClient() throws IOException {
        JsonNode file = JSON.readTree(Files.readString(tokensFile));
        assertEquals(mode.tokens().admin(), file.path("admin").asText());
        List<String> clients = new ArrayList<>();
        file.path("clients").fieldNames().forEachRemaining(clients::add);
        assertEquals(List.of("acme", "globex"), clients);
        assertEquals(mode.tokens().clients().get("acme"), file.path("clients").path("acme").asText());
    }

    @Test
    void aClientTokenSeesItsClientOnlyAndTheAdminSeesAll() throws Exception {
        assertEquals(List.of("acme"), clientIds(get("/clients", mode.tokens().clients().get("acme"))));
        assertEquals(List.of("globex"), clientIds(get("/clients", mode.tokens().clients().get("globex"))));
        assertEquals(List.of("acme", "globex"), clientIds(get("/clients", mode.tokens().admin())));

        HttpResponse<String> otherClient = get("/clients/globex/syncs", mode.tokens().clients().get("acme"));
        assertEquals(403, otherClient.statusCode(), otherClient.body());
        assertEquals("FORBIDDEN", JSON.readTree(otherClient.body()).path("error").path("code").asText());
    }

    @Test
    void seedHasBothKindsOfSyncInSeveralZonesAndSomeHistory() throws Exception {
        JsonNode acme = JSON.readTree(get("/clients/acme/syncs", mode.tokens().admin()).body());
        JsonNode globex = JSON.readTree(get("/clients/globex/syncs", mode.tokens().admin()).body());
        List<String> zones = new ArrayList<>();
        List<Boolean> kinds = new ArrayList<>();
        for (JsonNode list : List.of(acme, globex)) {
            list.path("syncs").forEach(sync -> {
                zones.add(sync.path("timezone").asText());
                kinds.add(sync.path("supportsPeriodExecution").asBoolean());
            });
        }
        assertEquals(4, zones.size(), acme + " " + globex);
        assertTrue(zones.stream().distinct().count() >= 2, zones.toString());
        assertTrue(kinds.contains(true) && kinds.contains(false), kinds.toString());

        JsonNode executions = JSON.readTree(get("/clients/acme/syncs/orders/executions", mode.tokens().admin()).body());
        JsonNode history = executions.path("executions").get(0);
        assertEquals("SUCCEEDED", history.path("status").asText(), executions.toString());
        assertEquals(20, history.path("progress").path("imported").asInt(), history.toString());
    }

    @Test
    void theTokenOfThePagesSignInReadsTheApi() throws Exception {
        OidcClient page = new OidcClient(mode.url());
        String session = OidcClient.openSession(mode.anotherSignInLink());
        assertEquals(List.of("acme"), clientIds(get("/clients", page.idToken(session, "acme"))));
        assertEquals(List.of("acme", "globex"), clientIds(get("/clients", page.idToken(session, "admin"))));
        HttpResponse<String> config = HTTP.send(HttpRequest.newBuilder(mode.url().resolve("/config.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode settings = JSON.readTree(config.body());
        assertEquals(mode.issuer().issuer(), settings.path("issuer").asText(), "the page signs in with this mode's provider");
        assertEquals(LocalIssuer.AUDIENCE, settings.path("clientId").asText());
        assertEquals("", settings.path("apiBase").asText("missing"), "the API on the page's origin");
    }

    @Test
    void withoutATokenTheApiAnswers401() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(mode.url().resolve("/clients")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
        assertEquals("{\"message\":\"Unauthorized\"}", response.body());
    }

    @Test
    void localSweepRunsTheSweeperOnceAndAnswersWhatItDid() throws Exception {
        HttpResponse<String> swept = HTTP.send(HttpRequest.newBuilder(mode.url().resolve("/local/sweep"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, swept.statusCode(), swept.body());
        JsonNode result = JSON.readTree(swept.body());
        assertTrue(result.has("checked") && result.has("ended") && result.has("unlocked"), swept.body());
        assertEquals(0, result.path("ended").asInt(), "the seed's runs all ended by themselves: " + swept.body());
        assertEquals(405, HTTP.send(HttpRequest.newBuilder(mode.url().resolve("/local/sweep")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    private static List<String> clientIds(HttpResponse<String> response) throws IOException {
        assertEquals(200, response.statusCode(), response.body());
        List<String> ids = new ArrayList<>();
        JSON.readTree(response.body()).path("clients").forEach(client -> ids.add(client.path("clientId").asText()));
        return ids;
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(mode.url().resolve(path))
                        .header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(30))
                        .GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
