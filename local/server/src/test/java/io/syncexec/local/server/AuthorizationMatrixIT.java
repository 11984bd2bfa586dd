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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The authorization matrix: every route of template.yaml (read from the template through the
 * local gateway's own route table, so a new route cannot be forgotten) × every kind of caller ×
 * the client it names, through the local gateway (the JWT authorizer's checks) to the real
 * functions. The rule it pins:
 * <ul>
 *   <li>a token API Gateway would refuse (none, expired, wrong issuer, wrong audience, forged
 *       signature) → 401 {@code {"message":"Unauthorized"}}, on every route;</li>
 *   <li>a client's operator on another client's ids, or on a client that does not exist → 403
 *       {@code FORBIDDEN}, before any existence check (an id's existence is not disclosed);</li>
 *   <li>a client's operator on the admin routes ({@code PUT}) → 403, even for their own client;</li>
 *   <li>otherwise the route's own answer ({@link #ALLOWED}).</li>
 * </ul>
 * Every request here is read-only or refused, and the tables are checked unchanged at the end.
 * The matrix is printed and written to {@code target/authorization-matrix.md}.
 */
class AuthorizationMatrixIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** A well-formed execution id that no client has. */
    private static final String NO_SUCH_EXECUTION = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

    /** Whose ids a request names, relative to the caller. */
    enum Target { OWN, OTHER, UNKNOWN }

    /** A caller: a name, its token (null: none), and its own and other client. */
    record Identity(String name, String token, boolean valid, boolean admin) {
    }

    /**
     * What each route answers a caller allowed on it: the request this matrix sends (body), and the
     * status for an existing client and for an unknown one (for the admin, who may name any id).
     * A route of the template missing here fails the test: add its row.
     */
    private record Allowed(String body, int existing, int unknown) {
    }

    private static final Map<String, Allowed> ALLOWED = Map.ofEntries(
            Map.entry("GET /clients", new Allowed(null, 200, 200)),
            Map.entry("PUT /clients/{clientId}", new Allowed("{}", 400, 400)),
            Map.entry("GET /clients/{clientId}/syncs", new Allowed(null, 200, 404)),
            Map.entry("GET /clients/{clientId}/syncs/{syncId}", new Allowed(null, 200, 404)),
            Map.entry("PUT /clients/{clientId}/syncs/{syncId}", new Allowed("{}", 400, 400)),
            Map.entry("GET /clients/{clientId}/syncs/{syncId}/ledger", new Allowed(null, 200, 404)),
            Map.entry("GET /clients/{clientId}/syncs/{syncId}/changes", new Allowed(null, 200, 404)),
            Map.entry("GET /clients/{clientId}/syncs/{syncId}/ledger/{date}", new Allowed(null, 200, 404)),
            Map.entry("POST /clients/{clientId}/syncs/{syncId}/executions", new Allowed("{\"mode\":\"DEFAULT\",\"dryRun\":true}", 200, 404)),
            Map.entry("GET /clients/{clientId}/syncs/{syncId}/executions", new Allowed(null, 200, 404)),
            Map.entry("GET /clients/{clientId}/syncs/{syncId}/executions/{executionId}", new Allowed(null, 404, 404)),
            Map.entry("GET /clients/{clientId}/syncs/{syncId}/executions/{executionId}/outcomes", new Allowed(null, 404, 404)),
            Map.entry("POST /clients/{clientId}/syncs/{syncId}/executions/{executionId}/confirmation",
                    new Allowed("{\"confirm\":false}", 404, 404)),
            Map.entry("POST /clients/{clientId}/syncs/{syncId}/executions/{executionId}/cancel", new Allowed(null, 404, 404)));

    private static LocalMode mode;
    private static List<Identity> identities;
    private static Map<String, Map<String, String>> clientSyncs;

    @BeforeAll
    static void start() {
        Path root = RepositoryRoot.find();
        mode = LocalMode.start(new LocalMode.Settings(root, 0, 600, root.resolve("local/server/target/matrix-it/tokens.json"), true,
                new PrintStream(OutputStream.nullOutputStream())), StandIns.get());
        LocalIssuer issuer = mode.issuer();
        LocalIssuer impostor = new LocalIssuer(issuer.issuer(), Clock.systemUTC()); // same issuer, another key
        Map<String, Object> admin = Map.of("cognito:groups", List.of(LocalIssuer.ADMIN_GROUP));
        identities = List.of(
                new Identity("no token", null, false, false),
                new Identity("expired", issuer.sign("admin", admin, Duration.ofMinutes(-5)), false, true),
                new Identity("wrong issuer", issuer.sign("admin", with(admin, "iss", "https://issuer.example.com/"),
                        LocalIssuer.LIFETIME), false, true),
                new Identity("wrong audience", issuer.sign("admin", with(admin, "aud", "another-app"), LocalIssuer.LIFETIME), false, true),
                new Identity("forged signature", impostor.adminToken("admin"), false, true),
                new Identity("client A", mode.tokens().clients().get("acme"), true, false),
                new Identity("client B", mode.tokens().clients().get("globex"), true, false),
                new Identity("admin", mode.tokens().admin(), true, true));
        clientSyncs = Map.of("client A", Map.of("own", "acme", "other", "globex"),
                "client B", Map.of("own", "globex", "other", "acme"));
    }

    @AfterAll
    static void stop() {
        if (mode != null) {
            mode.close();
        }
    }

    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> all = new LinkedHashMap<>(claims);
        all.put(name, value);
        return all;
    }

    @Test
    void everyRouteTimesEveryCallerTimesEveryClientAnswersTheExpectedStatus() throws Exception {
        List<String> keys = List.copyOf(mode.cloud().routes().routeKeys());
        assertEquals(keys.stream().sorted().toList(), ALLOWED.keySet().stream().sorted().toList(),
                "every route of template.yaml has its row in the matrix (and no row is left without its route)");

        var before = mode.standIns().snapshot();
        List<String> wrong = new ArrayList<>();
        Map<String, Map<String, String>> table = new LinkedHashMap<>();
        int requests = 0;
        for (String key : keys) {
            Map<String, String> row = new LinkedHashMap<>();
            for (Identity identity : identities) {
                List<String> cell = new ArrayList<>();
                for (Target target : Target.values()) {
                    int expected = expected(key, identity, target);
                    HttpResponse<String> response = send(key, identity, target);
                    requests++;
                    int status = response.statusCode();
                    cell.add(Integer.toString(status));
                    String problem = check(status, expected, response.body());
                    if (problem != null) {
                        wrong.add(key + " as " + identity.name() + " on " + target + ": " + problem);
                    }
                }
                row.put(identity.name(), String.join("/", cell));
            }
            table.put(key, row);
        }
        String printed = print(table, requests);
        System.out.println(printed);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/authorization-matrix.md"), printed);

        assertEquals(List.of(), wrong);
        assertEquals(before, mode.standIns().snapshot(), "the matrix reads or is refused: no table changed");
    }

    /** The rule of the class comment. */
    private static int expected(String key, Identity identity, Target target) {
        if (!identity.valid()) {
            return 401;
        }
        Allowed allowed = ALLOWED.get(key);
        boolean namesClient = key.contains("{clientId}");
        if (!namesClient) {
            return allowed.existing();
        }
        if (identity.admin()) {
            return target == Target.UNKNOWN ? allowed.unknown() : allowed.existing();
        }
        if (target != Target.OWN || key.startsWith("PUT ")) {
            return 403;
        }
        return allowed.existing();
    }

    private static String check(int status, int expected, String body) throws IOException {
        if (status != expected) {
            return "expected " + expected + ", got " + status + " " + body;
        }
        if (status == 401 && !body.equals("{\"message\":\"Unauthorized\"}")) {
            return "401 with another body: " + body;
        }
        if (status == 403) {
            JsonNode error = JSON.readTree(body).path("error");
            if (!error.path("code").asText().equals("FORBIDDEN")) {
                return "403 without FORBIDDEN: " + body;
            }
        }
        if (status >= 400 && (body.contains("Exception") || body.contains("\tat "))) {
            return "a stack trace or an exception name: " + body;
        }
        return null;
    }

    private static HttpResponse<String> send(String key, Identity identity, Target target) throws Exception {
        String method = key.substring(0, key.indexOf(' '));
        String client = switch (target) {
            case OWN -> identity.admin() || !clientSyncs.containsKey(identity.name()) ? "acme" : clientSyncs.get(identity.name()).get("own");
            case OTHER -> identity.admin() || !clientSyncs.containsKey(identity.name()) ? "globex" : clientSyncs.get(identity.name()).get("other");
            case UNKNOWN -> "nosuchclient";
        };
        String sync = client.equals("globex") ? "bookings" : "orders";
        String path = key.substring(key.indexOf(' ') + 1)
                .replace("{clientId}", client).replace("{syncId}", sync).replace("{executionId}", NO_SUCH_EXECUTION)
                .replace("{date}", "2026-11-01");
        Allowed allowed = ALLOWED.get(key);
        HttpRequest.Builder request = HttpRequest.newBuilder(mode.url().resolve(URI.create(path)))
                .timeout(Duration.ofSeconds(30))
                .method(method, allowed.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(allowed.body()));
        if (allowed.body() != null) {
            request.header("Content-Type", "application/json");
        }
        if (identity.token() != null) {
            request.header("Authorization", "Bearer " + identity.token());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A Markdown table: a row per route, a column per caller, each cell own/other/unknown client. */
    static String print(Map<String, Map<String, String>> table, int requests) {
        StringBuilder out = new StringBuilder();
        List<String> names = identities.stream().map(Identity::name).toList();
        out.append("Authorization matrix: ").append(table.size()).append(" routes x ").append(names.size())
                .append(" callers x 3 clients = ").append(requests).append(" requests; each cell: own / other / unknown client\n\n");
        out.append("| route | ").append(String.join(" | ", names)).append(" |\n");
        out.append("|---|").append("---|".repeat(names.size())).append('\n');
        // Three equal statuses print once.
        Function<String, String> cellOf = s -> java.util.Arrays.stream(s.split("/")).distinct().count() == 1 ? s.split("/")[0] : s;
        table.forEach((route, row) -> {
            out.append("| `").append(route).append("` |");
            names.forEach(name -> out.append(' ').append(cellOf.apply(row.get(name))).append(" |"));
            out.append('\n');
        });
        return out.toString();
    }
}
