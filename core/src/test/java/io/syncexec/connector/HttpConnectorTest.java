package io.syncexec.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.syncexec.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class HttpConnectorTest {
    private static final LocalDate DATE = LocalDate.of(2026, 11, 20);
    private static final String SOURCE_TOKEN = "source-secret-7f3a";
    private static final String DESTINATION_TOKEN = "destination-secret-91bc";
    private static final String THREE_RECORDS = "[{\"id\":1},{\"id\":2},{\"id\":3}]";

    /** One request the test server received. */
    private record Received(String method, String path, String query, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .map(entry -> entry.getValue().get(0))
                    .findFirst().orElse(null);
        }
    }

    private final List<Received> sourceRequests = new CopyOnWriteArrayList<>();
    private final List<Received> destinationRequests = new CopyOnWriteArrayList<>();
    private final CountDownLatch releaseServer = new CountDownLatch(1);
    private final HttpClient http = Connectors.defaultHttpClient();
    /** The local mode's setting: these tests' servers run on loopback over http. */
    private final HttpConnector connector = new HttpConnector(http, new ConnectorUrls(true, InetAddress::getAllByName), Clock.systemUTC());
    private volatile HttpHandler sourceHandler;
    private volatile HttpHandler destinationHandler;
    private ExecutorService serverThreads;
    private HttpServer server;
    private String baseUrl;

    @BeforeEach
    void startServer() throws IOException {
        serverThreads = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/source", exchange -> sourceHandler.handle(exchange));
        server.createContext("/destination", exchange -> destinationHandler.handle(exchange));
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        source(500, "no source in this test");
        destination(200, "{\"accepted\":true}");
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        releaseServer.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
        assertTrue(serverThreads.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void importsTheSourceRecordsOfTheDateIntoTheDestination() throws Exception {
        source(200, THREE_RECORDS);

        long written = connector.importDate(context(config()));

        assertEquals(3, written);
        Received get = single(sourceRequests);
        assertEquals("GET", get.method());
        assertEquals("/source/2026-11-20", get.path());
        assertEquals("day=2026-11-20", get.query());
        assertEquals("Bearer " + SOURCE_TOKEN, get.header("Authorization"));

        Received post = single(destinationRequests);
        assertEquals("POST", post.method());
        assertEquals("/destination", post.path());
        assertEquals("acme/orders/2026-11-20/2", post.header("Idempotency-Key"));
        assertEquals("application/json", post.header("Content-Type"));
        assertEquals("Bearer " + DESTINATION_TOKEN, post.header("Authorization"));
        assertEquals(Json.MAPPER.readTree("""
                {"clientId": "acme", "syncId": "orders", "date": "2026-11-20", "generation": 2,
                 "records": [{"id": 1}, {"id": 2}, {"id": 3}]}
                """), Json.MAPPER.readTree(post.body()));
    }

    @Test
    void acceptsAnObjectWithARecordsArrayAndSendsNoTokenWhenNoneIsSet() throws Exception {
        source(200, "{\"records\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"next\":null}");
        Map<String, Object> config = config();
        config.remove("sourceToken");
        config.remove("destinationToken");

        assertEquals(2, connector.importDate(context(config)));

        assertNull(single(sourceRequests).header("Authorization"));
        Received post = single(destinationRequests);
        assertNull(post.header("Authorization"));
        JsonNode records = Json.MAPPER.readTree(post.body()).get("records");
        assertEquals(Json.MAPPER.readTree("[{\"id\":\"a\"},{\"id\":\"b\"}]"), records);
    }

    @Test
    void anEmptyDateIsStillDeliveredWithZeroRecords() throws Exception {
        source(200, "[]");

        assertEquals(0, connector.importDate(context(config())));

        assertEquals(0, Json.MAPPER.readTree(single(destinationRequests).body()).get("records").size());
    }

    @Test
    void aRetryOfTheSameGenerationKeepsItsIdempotencyKeyAndAReimportGetsANewOne() throws Exception {
        source(200, THREE_RECORDS);

        connector.importDate(context(config(), 1));
        connector.importDate(context(config(), 1));
        connector.importDate(context(config(), 2));

        assertEquals(List.of("acme/orders/2026-11-20/1", "acme/orders/2026-11-20/1", "acme/orders/2026-11-20/2"),
                destinationRequests.stream().map(request -> request.header("Idempotency-Key")).toList());
    }

    @ParameterizedTest
    @CsvSource({"500, true", "502, true", "503, true", "429, true",
            "400, false", "401, false", "403, false", "404, false", "410, false", "302, false"})
    void aSourceErrorIsRetryableOnlyFor5xxAnd429(int status, boolean retryable) {
        source(status, "{\"message\":\"nope\"}");

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config())));

        assertEquals(retryable, error.retryable());
        assertTrue(error.getMessage().contains("source GET " + baseUrl + " answered HTTP " + status), error.getMessage());
        assertTrue(destinationRequests.isEmpty(), "nothing is delivered when the source fails");
    }

    @ParameterizedTest
    @CsvSource({"503, true", "429, true", "404, false", "422, false"})
    void aDestinationErrorIsRetryableOnlyFor5xxAnd429(int status, boolean retryable) {
        source(200, THREE_RECORDS);
        destination(status, "{\"error\":\"rejected\"}");

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config())));

        assertEquals(retryable, error.retryable());
        assertTrue(error.getMessage().contains("destination POST " + baseUrl + " answered HTTP " + status), error.getMessage());
        assertFalse(error.getMessage().contains("rejected"), "the server's own text is not passed on: " + error.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"429, 20, 20", "503, 7, 7", "429, , -1", "503, soon, -1"})
    void aSourceAskingToSlowDownIsThrottledWithItsRetryAfter(int status, String retryAfter, long seconds) {
        sourceHandler = exchange -> {
            record(sourceRequests, exchange);
            if (retryAfter != null) {
                exchange.getResponseHeaders().set("Retry-After", retryAfter);
            }
            respond(exchange, status, "{}");
        };

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config())));

        assertTrue(error.throttled(), error.getMessage());
        assertTrue(error.retryable());
        assertEquals(seconds < 0 ? null : java.time.Duration.ofSeconds(seconds), error.retryAfter());
        assertTrue(destinationRequests.isEmpty(), "nothing is delivered when the source throttles");
    }

    @Test
    void aSourceThatNeverAnswersTimesOutAsRetryable() {
        sourceHandler = exchange -> {
            record(sourceRequests, exchange);
            awaitRelease();
            exchange.close();
        };
        Map<String, Object> config = config();
        config.put("timeoutSeconds", 1);

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config)));

        assertTrue(error.retryable());
        assertTrue(error.getMessage().contains("did not answer within 1 s"), error.getMessage());
        assertTrue(destinationRequests.isEmpty());
    }

    @Test
    void theImportsDeadlineCapsAConfiguredTimeoutLongerThanTheWorkerHas() {
        sourceHandler = exchange -> {
            record(sourceRequests, exchange);
            awaitRelease();
            exchange.close();
        };
        Map<String, Object> config = config();
        config.put("timeoutSeconds", 900); // allowed by the config, far longer than the import worker's 60 s
        ImportContext plain = context(config);
        // The connector reads the time left on its clock: 2 s before the deadline, whatever the machine's speed.
        java.time.Instant now = java.time.Instant.parse("2026-03-29T00:59:59Z");
        HttpConnector atNow = new HttpConnector(http, new ConnectorUrls(true, InetAddress::getAllByName), Clock.fixed(now, ZoneOffset.UTC));
        ImportContext withDeadline = new ImportContext(plain.sync(), plain.date(), plain.generation(), plain.executionId(),
                now.plusSeconds(2));

        ConnectorException error = assertThrows(ConnectorException.class, () -> atNow.importDate(withDeadline));

        assertTrue(error.retryable());
        assertTrue(error.getMessage().contains("did not answer within 1 s"), "half the time left, so both requests fit: " + error.getMessage());
    }

    @Test
    void aSourceThatStopsMidBodyTimesOutAsRetryable() {
        sourceHandler = exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write("[{\"id\":1},".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            awaitRelease();
            exchange.close();
        };
        Map<String, Object> config = config();
        config.put("timeoutSeconds", 1);

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config)));

        assertTrue(error.retryable());
        assertTrue(error.getMessage().contains("did not answer within 1 s"), error.getMessage());
    }

    @Test
    void aSourceBodyOverTheSizeLimitIsPermanentAndNotReadToItsEnd() {
        // Streams records without a Content-Length until the client hangs up (or 64 MiB): a connector
        // that read the whole body would take far longer than the test's timeout.
        sourceHandler = exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = "{\"id\":12345,\"name\":\"filler\"},".repeat(1000).getBytes(StandardCharsets.UTF_8);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write('[');
                for (long sent = 0; sent < 64L * 1024 * 1024; sent += chunk.length) {
                    body.write(chunk);
                }
            } catch (IOException clientHungUp) {
                exchange.close();
            }
        };
        Map<String, Object> config = config();
        config.put("maxResponseBytes", 64 * 1024);

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config)));

        assertFalse(error.retryable());
        assertTrue(error.getMessage().contains("more than 65536 bytes"), error.getMessage());
        assertTrue(destinationRequests.isEmpty());
    }

    @Test
    void aDeclaredContentLengthOverTheLimitIsPermanent() {
        source(200, "[" + "{\"id\":1},".repeat(500) + "{\"id\":2}]");
        Map<String, Object> config = config();
        config.put("maxResponseBytes", 1000);

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config)));

        assertFalse(error.retryable());
        assertTrue(error.getMessage().contains("more than 1000 bytes"), error.getMessage());
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() throws Exception {
        source(200, THREE_RECORDS);
        Map<String, Object> config = config();
        config.put("maxResponseBytes", THREE_RECORDS.length());

        assertEquals(3, connector.importDate(context(config)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[{\"id\":1},", "not json", "", "[1] [2]", "{\"id\":1,\"id\":2}"})
    void invalidJsonFromTheSourceIsPermanent(String body) {
        source(200, body);

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config())));

        assertFalse(error.retryable());
        assertTrue(error.getMessage().contains("JSON"), error.getMessage());
        assertFalse(error.getMessage().contains("not json"), "the body is not quoted: " + error.getMessage());
        assertTrue(destinationRequests.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"items\":[]}", "{\"records\":{}}", "42", "\"records\"", "null"})
    void jsonThatHoldsNoRecordsArrayIsPermanent(String body) {
        source(200, body);

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config())));

        assertFalse(error.retryable());
        assertTrue(error.getMessage().contains("neither an array of records"), error.getMessage());
    }

    @Test
    void errorMessagesNeverContainTokensQueriesOrWholeBodies() {
        sourceHandler = exchange -> {
            String echo = "unauthorized: " + exchange.getRequestHeaders().getFirst("Authorization") + " " + "x".repeat(5000);
            respond(exchange, 401, echo);
        };
        Map<String, Object> config = config();
        config.put("sourceUrl", baseUrl + "/source/{date}?apiKey=query-secret-55");

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config)));

        String message = error.getMessage();
        assertFalse(error.retryable());
        assertFalse(message.contains(SOURCE_TOKEN), message);
        assertFalse(message.contains(DESTINATION_TOKEN), message);
        assertFalse(message.contains("query-secret-55"), message);
        assertFalse(message.contains("/source/"), message);
        assertFalse(message.contains("unauthorized"), message);
        assertFalse(message.contains("xxx"), message);
        assertEquals("http connector: source GET " + baseUrl + " answered HTTP 401 (Unauthorized)", message);
    }

    @Test
    void aTimeoutMessageNamesOnlyTheOrigin() {
        sourceHandler = exchange -> {
            awaitRelease();
            exchange.close();
        };
        Map<String, Object> config = config();
        config.put("timeoutSeconds", 1);
        config.put("sourceUrl", baseUrl + "/source/{date}?apiKey=query-secret-55");

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config)));

        assertEquals("http connector: source GET " + baseUrl + " did not answer within 1 s", error.getMessage());
    }

    @Test
    void aRefusedConnectionIsRetryable() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Map<String, Object> config = config();
        config.put("sourceUrl", "http://127.0.0.1:" + port + "/source/{date}");

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config)));

        assertTrue(error.retryable(), error.getMessage());
        assertTrue(error.getMessage().startsWith("http connector: source GET http://127.0.0.1:" + port + " failed"), error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "https://[fd00:ec2::254]/",
            "http://metadata.google.internal/", "https://metadata.google.internal/", "http://10.0.0.1/x", "https://10.0.0.1/x",
            "https://192.168.1.1/", "https://172.16.0.1/", "https://[fe80::1]/", "https://[::ffff:10.0.0.1]/", "https://0x7f.0.0.1/",
            "https://2130706433/", "https://100.100.100.200/", "file:///etc/passwd", "http://example.com/{date}"})
    void aUrlInsideTheNetworkIsRefusedBeforeAnyRequest(String url) {
        Map<String, Object> config = config();
        config.put("sourceUrl", url);

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config)));

        assertFalse(error.retryable(), error.getMessage());
        assertTrue(error.getMessage().startsWith("http connector: config.sourceUrl "), error.getMessage());
        assertTrue(sourceRequests.isEmpty());
    }

    @Test
    void aPublicNameThatResolvesInsideIsRefusedAfterDnsAndNothingIsSent() {
        source(200, THREE_RECORDS);
        HttpConnector strict = new HttpConnector(http, new ConnectorUrls(false,
                host -> new InetAddress[]{InetAddress.getByAddress(host, new byte[]{(byte) 93, (byte) 184, (byte) 215, 14}),
                        InetAddress.getByAddress(host, new byte[]{(byte) 169, (byte) 254, (byte) 169, (byte) 254})}), Clock.systemUTC());
        Map<String, Object> config = config();
        config.put("sourceUrl", "https://rebind.example.com/{date}");
        config.put("destinationUrl", "https://destination.example.com/in");

        ConnectorException error = assertThrows(ConnectorException.class, () -> strict.importDate(context(config)));

        assertFalse(error.retryable(), error.getMessage());
        assertEquals("http connector: config.sourceUrl resolves to a refused address (a link-local address)", error.getMessage());
        assertTrue(sourceRequests.isEmpty() && destinationRequests.isEmpty());
    }

    @Test
    void withoutTheLocalSettingEvenLoopbackHttpIsRefused() {
        source(200, THREE_RECORDS);
        HttpConnector strict = new HttpConnector(http, ConnectorUrls.STRICT, Clock.systemUTC());

        ConnectorException error = assertThrows(ConnectorException.class, () -> strict.importDate(context(config())));

        assertFalse(error.retryable());
        assertTrue(error.getMessage().startsWith("http connector: config.sourceUrl must"), error.getMessage());
        assertTrue(sourceRequests.isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/{date}", "file:///etc/passwd", "not a url", "example.com/{date}",
            "http:///no-host", "https://user:password@example.com/{date}", "   "})
    void anInvalidSourceUrlIsPermanent(String url) {
        Map<String, Object> config = config();
        config.put("sourceUrl", url);

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config)));

        assertFalse(error.retryable());
        assertTrue(error.getMessage().contains("config.sourceUrl"), error.getMessage());
        assertFalse(error.getMessage().contains("password"), error.getMessage());
        assertTrue(sourceRequests.isEmpty());
    }

    @Test
    void aMissingDestinationUrlIsPermanentAndNothingIsFetched() {
        source(200, THREE_RECORDS);
        Map<String, Object> config = config();
        config.remove("destinationUrl");

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config)));

        assertFalse(error.retryable());
        assertEquals("http connector: config.destinationUrl is missing", error.getMessage());
        assertTrue(sourceRequests.isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "timeoutSeconds | 0", "timeoutSeconds | 1.5", "timeoutSeconds | '\"30\"'", "timeoutSeconds | 901",
            "maxResponseBytes | 0", "maxResponseBytes | 1e12", "sourceToken | 12"})
    void anInvalidSettingIsPermanent(String name, String json) throws Exception {
        Map<String, Object> config = config();
        config.put(name, Json.MAPPER.readValue(json, Object.class));

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config)));

        assertFalse(error.retryable());
        assertTrue(error.getMessage().contains("config." + name), error.getMessage());
    }

    @Test
    void aTokenThatCannotBeAHeaderIsPermanentAndNotQuoted() {
        Map<String, Object> config = config();
        config.put("sourceToken", "line\nbreak-secret");

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context(config)));

        assertFalse(error.retryable());
        assertEquals("http connector: config.sourceToken is not a valid header value", error.getMessage());
    }

    private Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("sourceUrl", baseUrl + "/source/{date}?day={date}");
        config.put("destinationUrl", baseUrl + "/destination");
        config.put("sourceToken", SOURCE_TOKEN);
        config.put("destinationToken", DESTINATION_TOKEN);
        return config;
    }

    private static ImportContext context(Map<String, Object> config) {
        return context(config, 2);
    }

    private static ImportContext context(Map<String, Object> config, int generation) {
        SyncConnection sync = new SyncConnection("acme", "orders", HttpConnector.TYPE, config);
        return new ImportContext(sync, DATE, generation, "execution-1");
    }

    private void source(int status, String body) {
        sourceHandler = answering(sourceRequests, status, body);
    }

    private void destination(int status, String body) {
        destinationHandler = answering(destinationRequests, status, body);
    }

    private static HttpHandler answering(List<Received> log, int status, String body) {
        return exchange -> {
            record(log, exchange);
            respond(exchange, status, body);
        };
    }

    private static void record(List<Received> log, HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        log.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getQuery(), Map.copyOf(exchange.getRequestHeaders()), body));
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void awaitRelease() {
        try {
            releaseServer.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Received single(List<Received> requests) {
        assertEquals(1, requests.size(), "requests: " + requests);
        return requests.get(0);
    }
}
