package io.syncexec.local.server;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.util.Base64URL;
import io.syncexec.standins.HttpApiRoutes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local gateway as API Gateway's HTTP API with a JWT authorizer: a token that API Gateway would refuse
 * gets 401 and the function is never called; a valid one reaches the function as a payload-2.0 event with
 * the claims as strings. Against a recording function, so that "never called" can be seen.
 */
class GatewayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path folder;

    private static final List<APIGatewayV2HTTPEvent> calls = new CopyOnWriteArrayList<>();
    private static final AtomicInteger schedules = new AtomicInteger();
    private static LocalServer gateway;
    private static LocalIssuer issuer;
    private static URI base;
    private static final SignInKey signInKey = new SignInKey();

    @BeforeAll
    static void start() throws IOException {
        Path page = Files.createDirectories(folder.resolve("page"));
        Files.writeString(page.resolve("index.html"), "<!doctype html><head><title>page</title></head>");
        Files.createDirectories(page.resolve("js"));
        Files.writeString(page.resolve("js/app.js"), "export const x = 1;");
        Files.writeString(page.resolve(".hidden"), "hidden");
        Files.writeString(folder.resolve("secret.txt"), "outside the page");

        var server = LocalServer.bind(0);
        int port = server.getAddress().getPort();
        issuer = new LocalIssuer(LocalIssuer.issuerFor(port), Clock.systemUTC());
        HttpApiRoutes routes = new HttpApiRoutes(List.of(
                new HttpApiRoutes.Route("Api", "GET", "/clients"),
                new HttpApiRoutes.Route("Api", "GET", "/clients/{clientId}/syncs/{syncId}"),
                new HttpApiRoutes.Route("Api", "POST", "/clients/{clientId}/syncs/{syncId}/executions")));
        PrintStream log = new PrintStream(OutputStream.nullOutputStream());
        gateway = LocalServer.start(server, new ApiGateway(routes, event -> {
            calls.add(event);
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(207)
                    .withHeaders(Map.of("content-type", "application/json", "x-function", "yes"))
                    .withBody("{\"ok\":true}")
                    .build();
        }, issuer, Clock.systemUTC(), "123456789012", log),
                new OperatorEndpoints(() -> Map.of("started", schedules.incrementAndGet()), () -> Map.of("swept", true)),
                new SignInPage(() -> Map.of("admin", "admin-token", "acme", "acme-token"), signInKey),
                new StaticFiles(page, SignInPage.HINT_TAG), log);
        base = URI.create("http://127.0.0.1:" + port);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void clear() {
        calls.clear();
    }

    @Test
    void missingTokenIsRefusedWithoutCallingTheFunction() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/clients")).GET());
        assertUnauthorized(response);
        assertEquals("Bearer", response.headers().firstValue("www-authenticate").orElse(null));
    }

    @Test
    void forgedTokensAreRefusedWithoutCallingTheFunction() throws Exception {
        // Same issuer and claims, another key.
        LocalIssuer impostor = new LocalIssuer(issuer.issuer(), Clock.systemUTC());
        assertUnauthorized(get("/clients", impostor.adminToken("mallory")));

        // Our signature, a payload changed afterwards (a client token made into an admin one).
        String[] parts = issuer.clientToken("mallory", List.of("acme")).split("\\.");
        String payload = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
                .replace("\"clients\":\"acme\"", "\"cognito:groups\":[\"sync-admins\"]");
        assertUnauthorized(get("/clients", parts[0] + "." + Base64URL.encode(payload) + "." + parts[2]));

        // No signature at all ("alg": "none").
        String none = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
        assertUnauthorized(get("/clients", none));

        // Not a JWT.
        assertUnauthorized(get("/clients", "not-a-jwt"));
    }

    @Test
    void expiredTokenIsRefusedWithoutCallingTheFunction() throws Exception {
        String expired = issuer.sign("operator", Map.of("clients", "acme"), Duration.ofMinutes(-1));
        assertUnauthorized(get("/clients", expired));
    }

    @Test
    void tokenOfAnotherIssuerOrAudienceIsRefused() throws Exception {
        LocalIssuer otherPort = new LocalIssuer(LocalIssuer.issuerFor(1), Clock.systemUTC());
        assertUnauthorized(get("/clients", otherPort.adminToken("mallory")));
    }

    @Test
    void validTokenReachesTheFunctionAsAPayload20Event() throws Exception {
        String token = issuer.adminToken("admin-1");
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/clients/acme%20x/syncs/orders?from=2026-01-01&a=1&a=2"))
                .header("Authorization", "Bearer " + token)
                .header("X-Custom", "Value")
                .header("Cookie", "c1=v1; c2=v2")
                .GET());
        assertEquals(207, response.statusCode());
        assertEquals("{\"ok\":true}", response.body());
        assertEquals("yes", response.headers().firstValue("x-function").orElse(null));
        assertTrue(response.headers().firstValue("apigw-requestid").isPresent());
        assertEquals(1, calls.size());

        APIGatewayV2HTTPEvent event = calls.get(0);
        assertEquals("2.0", event.getVersion());
        assertEquals("GET /clients/{clientId}/syncs/{syncId}", event.getRouteKey());
        assertEquals("/clients/acme%20x/syncs/orders", event.getRawPath());
        assertEquals("from=2026-01-01&a=1&a=2", event.getRawQueryString());
        assertEquals(Map.of("from", "2026-01-01", "a", "1,2"), event.getQueryStringParameters());
        assertEquals(Map.of("clientId", "acme x", "syncId", "orders"), event.getPathParameters());
        assertEquals("Value", event.getHeaders().get("x-custom"));
        assertEquals("Bearer " + token, event.getHeaders().get("authorization"));
        assertNull(event.getHeaders().get("cookie"));
        assertEquals(List.of("c1=v1", "c2=v2"), event.getCookies());
        assertNull(event.getBody());

        var context = event.getRequestContext();
        assertEquals("123456789012", context.getAccountId());
        assertEquals("local", context.getApiId());
        assertEquals("$default", context.getStage());
        assertEquals(event.getRouteKey(), context.getRouteKey());
        assertEquals(response.headers().firstValue("apigw-requestid").orElseThrow(), context.getRequestId());
        assertEquals("GET", context.getHttp().getMethod());
        assertEquals("127.0.0.1", context.getHttp().getSourceIp());
        assertEquals("HTTP/1.1", context.getHttp().getProtocol());
        assertTrue(context.getTimeEpoch() > 0);
        assertTrue(context.getTime().matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000"), context.getTime());

        Map<String, String> claims = context.getAuthorizer().getJwt().getClaims();
        assertEquals("admin-1", claims.get("sub"));
        assertEquals("[sync-admins]", claims.get("cognito:groups"));
        assertEquals(issuer.issuer(), claims.get("iss"));
        assertEquals(LocalIssuer.AUDIENCE, claims.get("aud"));
        assertTrue(claims.get("exp").matches("\\d+"), claims.get("exp"));
    }

    @Test
    void bodiesPassAsTextOrBase64() throws Exception {
        String token = issuer.clientToken("operator-1", List.of("acme"));
        send(HttpRequest.newBuilder(base.resolve("/clients/acme/syncs/orders/executions"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"DEFAULT\"}")));
        send(HttpRequest.newBuilder(base.resolve("/clients/acme/syncs/orders/executions"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[]{1, 2, 3})));
        assertEquals(2, calls.size());
        assertEquals("{\"mode\":\"DEFAULT\"}", calls.get(0).getBody());
        assertEquals(false, calls.get(0).getIsBase64Encoded());
        assertEquals("AQID", calls.get(1).getBody());
        assertEquals(true, calls.get(1).getIsBase64Encoded());
        assertEquals("acme", calls.get(0).getRequestContext().getAuthorizer().getJwt().getClaims().get("clients"));
        assertEquals("POST /clients/{clientId}/syncs/{syncId}/executions", calls.get(0).getRouteKey());
    }

    @Test
    void unknownRoutesAre404LikeApiGatewayWithoutCallingTheFunction() throws Exception {
        String token = issuer.adminToken("admin-1");
        for (HttpRequest.Builder request : List.of(
                HttpRequest.newBuilder(base.resolve("/clients/acme")).DELETE(),
                HttpRequest.newBuilder(base.resolve("/clients/")).GET(),
                HttpRequest.newBuilder(base.resolve("/nothing/here")).GET(),
                HttpRequest.newBuilder(base.resolve("/clients")).POST(HttpRequest.BodyPublishers.ofString("{}")))) {
            HttpResponse<String> response = send(request.header("Authorization", "Bearer " + token));
            assertEquals(404, response.statusCode(), request.build().toString());
            assertEquals("{\"message\":\"Not Found\"}", response.body());
        }
        assertEquals(0, calls.size());
    }

    @Test
    void bodiesOver10MbAreRefusedBeforeReading() throws IOException {
        String token = issuer.adminToken("admin-1");
        String response = raw("POST /clients/acme/syncs/orders/executions HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port()
                + "\r\nAuthorization: Bearer " + token + "\r\nContent-Type: application/json\r\nContent-Length: "
                + (ApiGateway.MAX_BODY_BYTES + 1) + "\r\n\r\n{");
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        assertTrue(response.contains("{\"message\":\"Request Entity Too Large\"}"), response);
        assertEquals(0, calls.size());
    }

    @Test
    void aBodyOver10MbSentInFullIsAnswered413NotAReset() throws Exception {
        byte[] body = new byte[ApiGateway.MAX_BODY_BYTES + 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/clients/acme/syncs/orders/executions"))
                .header("Authorization", "Bearer " + issuer.adminToken("admin-1"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertEquals(413, response.statusCode());
        assertEquals("{\"message\":\"Request Entity Too Large\"}", response.body());
        assertEquals(0, calls.size());
    }

    @Test
    void servesThePageFolderAndNothingElse() throws Exception {
        HttpResponse<String> index = send(HttpRequest.newBuilder(base.resolve("/")).GET());
        assertEquals(200, index.statusCode());
        assertEquals("text/html; charset=utf-8", index.headers().firstValue("content-type").orElse(null));
        assertEquals("no-store", index.headers().firstValue("cache-control").orElse(null));
        assertTrue(index.body().contains("<title>page</title>"));
        assertTrue(index.body().contains(SignInPage.HINT_TAG + "</head>"), "the local sign-in hint, added as the page is served");
        assertFalse(Files.readString(folder.resolve("page/index.html")).contains("/local/"), "the page's folder is left as deployed");

        HttpResponse<String> hint = send(HttpRequest.newBuilder(base.resolve(SignInPage.HINT_PATH)).GET());
        assertEquals(200, hint.statusCode());
        assertEquals("text/javascript; charset=utf-8", hint.headers().firstValue("content-type").orElse(null));
        assertTrue(hint.body().contains("Running locally?"), hint.body());

        HttpResponse<String> script = send(HttpRequest.newBuilder(base.resolve("/js/app.js")).GET());
        assertEquals(200, script.statusCode());
        assertEquals("text/javascript; charset=utf-8", script.headers().firstValue("content-type").orElse(null));

        for (String path : List.of("/js/", "/js", "/.hidden", "/missing.js", "/../secret.txt", "/%2e%2e/secret.txt",
                "/js/..%2f..%2fsecret.txt", "/js/%2e%2e/%2e%2e/secret.txt", "//etc/passwd")) {
            String response = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port() + "\r\nConnection: close\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 404"), path + ": " + response);
            assertTrue(!response.contains("outside the page") && !response.contains("hidden"), path + ": " + response);
        }
    }

    @Test
    void localScheduleIsAPostAndAnswersTheResult() throws Exception {
        HttpResponse<String> fired = send(HttpRequest.newBuilder(base.resolve("/local/schedule")).POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, fired.statusCode());
        JsonNode result = JSON.readTree(fired.body());
        assertTrue(result.path("started").asInt() >= 1, fired.body());

        assertEquals(405, send(HttpRequest.newBuilder(base.resolve("/local/schedule")).GET()).statusCode());
        int before = schedules.get();
        HttpResponse<String> crossSite = send(HttpRequest.newBuilder(base.resolve("/local/schedule"))
                .header("Origin", "https://evil.example")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(403, crossSite.statusCode());
        assertEquals(before, schedules.get());
    }

    @Test
    void signInNeedsTheOneTimeKeyThenTheSessionItOpened() throws Exception {
        // Another user of the machine, without the key: nothing, not even the list.
        HttpResponse<String> noKey = send(HttpRequest.newBuilder(base.resolve("/local/sign-in?as=admin")).GET());
        assertEquals(403, noKey.statusCode());
        assertFalse(noKey.body().contains("admin-token"));
        assertEquals(403, send(HttpRequest.newBuilder(base.resolve("/local/sign-in")).GET()).statusCode());
        assertEquals(403, send(HttpRequest.newBuilder(base.resolve("/local/sign-in?key=guessed&as=admin")).GET()).statusCode());

        // Another site cannot spend the key, nor can a page of another name resolving here.
        HttpResponse<String> crossSite = send(HttpRequest.newBuilder(base.resolve("/local/sign-in?key=" + signInKey.key() + "&as=admin"))
                .header("Sec-Fetch-Site", "cross-site").GET());
        assertEquals(403, crossSite.statusCode(), "another site cannot sign this browser in");
        String rebound = raw("GET /local/sign-in?key=" + signInKey.key() + "&as=admin HTTP/1.1\r\nHost: evil.example:" + gateway.port()
                + "\r\nConnection: close\r\n\r\n");
        assertTrue(rebound.startsWith("HTTP/1.1 421"), "a page of another name resolving here gets no token: " + rebound);
        assertFalse(rebound.contains("admin-token"));

        // The person who started it: the printed link lists who one can be and opens a session.
        HttpResponse<String> list = send(HttpRequest.newBuilder(base.resolve("/local/sign-in?key=" + signInKey.key())).GET());
        assertEquals(200, list.statusCode());
        assertTrue(list.body().contains("href=\"/local/sign-in?as=admin\"") && list.body().contains("href=\"/local/sign-in?as=acme\""),
                list.body());
        assertFalse(list.body().contains("-token"), "the list itself carries no token");
        String cookie = list.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/local/sign-in"), cookie);
        String session = cookie.substring(0, cookie.indexOf(';'));

        // The key is spent: refused after its first use.
        assertEquals(403, send(HttpRequest.newBuilder(base.resolve("/local/sign-in?key=" + signInKey.key() + "&as=admin")).GET())
                .statusCode());

        // That browser may sign in, and switch identity.
        HttpResponse<String> acme = send(HttpRequest.newBuilder(base.resolve("/local/sign-in?as=acme")).header("Cookie", session).GET());
        assertEquals(303, acme.statusCode());
        assertEquals("/#token=acme-token", acme.headers().firstValue("location").orElseThrow());
        assertEquals("no-store", acme.headers().firstValue("cache-control").orElseThrow());
        assertEquals("/#token=admin-token", send(HttpRequest.newBuilder(base.resolve("/local/sign-in?as=admin")).header("Cookie", session).GET())
                .headers().firstValue("location").orElseThrow());
        assertEquals(403, send(HttpRequest.newBuilder(base.resolve("/local/sign-in?as=admin")).header("Cookie", "local-sign-in=forged").GET())
                .statusCode());
        assertEquals(404, send(HttpRequest.newBuilder(base.resolve("/local/sign-in?as=globex")).header("Cookie", session).GET()).statusCode());
        assertEquals(405, send(HttpRequest.newBuilder(base.resolve("/local/sign-in?as=admin")).header("Cookie", session)
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode());
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertEquals(401, response.statusCode());
        assertEquals("{\"message\":\"Unauthorized\"}", response.body());
        assertEquals(0, calls.size(), "the function must not be called");
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Bytes on a socket as written (no client-side path normalization), the answer up to its end. */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                String text = out.toString(StandardCharsets.UTF_8);
                int headerEnd = text.indexOf("\r\n\r\n");
                if (headerEnd >= 0) {
                    var length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
                    int expected = length.find() ? Integer.parseInt(length.group(1)) : 0;
                    if (text.getBytes(StandardCharsets.UTF_8).length >= headerEnd + 4 + expected) {
                        return text;
                    }
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
