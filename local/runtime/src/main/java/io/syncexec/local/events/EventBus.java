package io.syncexec.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * The account's default EventBridge bus, locally: the {@code PutEvents} action of the EventBridge API
 * (JSON 1.1 protocol) on 127.0.0.1. Each accepted event is kept (tests read {@link #events()}) and
 * printed to the local mode's log as {@code event: {...}}. As on AWS, an entry needs
 * {@code Source}, {@code DetailType} and a {@code Detail} that is a JSON object, a request carries at
 * most 10 entries and 256 KB; a refused entry is answered in {@code Entries} with an error code and
 * counted in {@code FailedEntryCount}.
 */
public final class EventBus implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REQUEST_BYTES = 256 * 1024;

    /** An event as a rule's target would receive it. */
    public record Event(String id, String source, String detailType, JsonNode detail) {
    }

    private final HttpServer server;
    private final PrintStream log;
    private final List<Event> events = new CopyOnWriteArrayList<>();

    private EventBus(HttpServer server, PrintStream log) {
        this.server = server;
        this.log = log;
    }

    public static EventBus start(int port, PrintStream log) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            EventBus bus = new EventBus(server, log);
            server.createContext("/", bus::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return bus;
        } catch (IOException e) {
            throw new IllegalStateException("The local EventBridge bus could not start on port " + port, e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every event accepted so far, oldest first. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readNBytes(MAX_REQUEST_BYTES + 1);
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"AWSEvents.PutEvents".equals(target)) {
                reply(exchange, 400, error("UnknownOperationException", "Only PutEvents is served here, not " + target));
                return;
            }
            if (body.length > MAX_REQUEST_BYTES) {
                reply(exchange, 400, error("ValidationException", "Total size of the entries in the request is over the limit."));
                return;
            }
            JsonNode entries = JSON.readTree(body).path("Entries");
            if (!entries.isArray() || entries.isEmpty() || entries.size() > 10) {
                reply(exchange, 400, error("ValidationException", "Entries must hold 1 to 10 entries."));
                return;
            }
            ObjectNode response = JSON.createObjectNode();
            ArrayNode results = response.putArray("Entries");
            int failed = 0;
            for (JsonNode entry : entries) {
                JsonNode detail = parse(entry.path("Detail").asText(""));
                if (entry.path("Source").asText("").isEmpty() || entry.path("DetailType").asText("").isEmpty()
                        || detail == null || !detail.isObject()) {
                    failed++;
                    results.addObject().put("ErrorCode", "MalformedDetail").put("ErrorMessage", "Source, DetailType and a JSON object Detail are required");
                    continue;
                }
                String bus = entry.path("EventBusName").asText("default");
                if (!bus.equals("default") && !bus.endsWith(":event-bus/default")) {
                    failed++;
                    results.addObject().put("ErrorCode", "ResourceNotFoundException").put("ErrorMessage", "Event bus " + bus + " does not exist.");
                    continue;
                }
                Event event = new Event(UUID.randomUUID().toString(), entry.path("Source").asText(), entry.path("DetailType").asText(), detail);
                events.add(event);
                results.addObject().put("EventId", event.id());
                log.println("event: " + JSON.writeValueAsString(JSON.createObjectNode()
                        .put("source", event.source()).put("detail-type", event.detailType()).set("detail", detail)));
            }
            response.put("FailedEntryCount", failed);
            reply(exchange, 200, response);
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }

    private static ObjectNode error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("message", message);
    }

    private static void reply(HttpExchange exchange, int status, JsonNode json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
