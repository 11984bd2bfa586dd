package io.syncexec.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A Lambda service on loopback that speaks the Invoke API ({@code POST
 * /2015-03-31/functions/<name>/invocations}), so the engine's real {@code LambdaClient} path is
 * exercised. Functions are plain Java: event in, {@link Reply} out.
 */
final class FakeLambda implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/2015-03-31/functions/";

    /** What an invocation returns: a payload, and whether it is a function error. */
    record Reply(String payload, boolean functionError) {
        static Reply returns(JsonNode value) {
            return new Reply(value.toString(), false);
        }

        static Reply raises(String errorPayload) {
            return new Reply(errorPayload, true);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final Map<String, Function<JsonNode, Reply>> functions = new ConcurrentHashMap<>();

    FakeLambda() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void define(String name, Function<JsonNode, Reply> function) {
        functions.put(name, function);
    }

    void clear() {
        functions.clear();
    }

    /** Defines the functions of a conformance case's {@code lambdas} map (echo / returns / raises). */
    void defineConformanceFunctions(JsonNode lambdas) {
        clear();
        if (lambdas == null) {
            return;
        }
        lambdas.fields().forEachRemaining(entry -> {
            JsonNode behaviour = entry.getValue();
            if (behaviour.isTextual() && behaviour.asText().equals("echo")) {
                define(entry.getKey(), Reply::returns);
            } else if (behaviour.has("returns")) {
                JsonNode value = behaviour.get("returns");
                define(entry.getKey(), event -> Reply.returns(value));
            } else {
                // The case gives the cause exactly as Step Functions reported it: serve it as the error payload.
                String cause = behaviour.path("raises").path("cause").asText();
                define(entry.getKey(), event -> Reply.raises(cause));
            }
        });
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!path.startsWith(PREFIX) || !path.endsWith("/invocations")) {
                respond(exchange, 404, "{\"message\":\"Unknown path\"}", Map.of("x-amzn-ErrorType", "ResourceNotFoundException"));
                return;
            }
            String name = URLDecoder.decode(path.substring(PREFIX.length(), path.length() - "/invocations".length()),
                    StandardCharsets.UTF_8);
            Function<JsonNode, Reply> function = functions.get(name);
            if (function == null) {
                respond(exchange, 404, "{\"Type\":\"User\",\"message\":\"Function not found: " + name + "\"}",
                        Map.of("x-amzn-ErrorType", "ResourceNotFoundException"));
                return;
            }
            JsonNode event = body.length == 0 ? JSON.nullNode() : JSON.readTree(body);
            Reply reply = function.apply(event);
            respond(exchange, 200, reply.payload(), reply.functionError()
                    ? Map.of("X-Amz-Function-Error", "Unhandled", "X-Amz-Executed-Version", "$LATEST")
                    : Map.of("X-Amz-Executed-Version", "$LATEST"));
        }
    }

    private static void respond(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
