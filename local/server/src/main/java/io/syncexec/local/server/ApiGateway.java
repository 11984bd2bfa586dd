package io.syncexec.local.server;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.syncexec.standins.HttpApiRoutes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static io.syncexec.local.server.HttpExchanges.json;
import static io.syncexec.local.server.HttpExchanges.send;

/**
 * What API Gateway's HTTP API does for the template's {@code HttpApi} routes, in its order: no route for
 * the method and path → 404 {@code {"message":"Not Found"}} (the caller's, {@link #route}); a body over
 * {@value #MAX_BODY_BYTES} bytes → 413 before it is read; no valid token → 401 {@code {"message":"Unauthorized"}}
 * and the function is not called (the JWT authorizer, {@link LocalIssuer}); else the payload-2.0 event
 * ({@link HttpApiEvent}) to the function and its response to the client; a function that fails → 500
 * {@code {"message":"Internal Server Error"}}.
 */
final class ApiGateway {

    /** API Gateway HTTP API's payload limit. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    /** The most of a refused body read and dropped before answering 413; past it the connection is closed unread. */
    static final long MAX_DRAINED_BYTES = 64L * 1024 * 1024;
    /** How long a refused body may pause before the 413 is sent without reading the rest. */
    static final long DRAIN_IDLE_MILLIS = 200;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpApiRoutes routes;
    private final Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> functions;
    private final LocalIssuer issuer;
    private final Clock clock;
    private final String accountId;
    private final PrintStream log;

    /**
     * @param functions what a routed request invokes (e.g. {@code LocalCloud::api})
     * @param clock     the event's {@code requestContext.timeEpoch} (the local mode's clock)
     * @param accountId the event's {@code requestContext.accountId}
     */
    ApiGateway(HttpApiRoutes routes, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> functions, LocalIssuer issuer,
               Clock clock, String accountId, PrintStream log) {
        this.routes = routes;
        this.functions = functions;
        this.issuer = issuer;
        this.clock = clock;
        this.accountId = accountId;
        this.log = log;
    }

    /** The route that takes the request; empty: not an API request. */
    Optional<HttpApiRoutes.Match> route(String method, String rawPath) {
        return routes.match(method, rawPath);
    }

    void serve(HttpExchange exchange, String method, String rawPath, HttpApiRoutes.Match match) throws IOException {
        Headers requestHeaders = exchange.getRequestHeaders();
        String requestId = requestId();
        Map<String, String> gatewayHeaders = Map.of("content-type", "application/json", "apigw-requestid", requestId);
        if (declaredLength(requestHeaders) > MAX_BODY_BYTES) {
            exchange.getResponseHeaders().set("Connection", "close");
            // Read and drop what we refuse (up to a bound): closing a socket with unread bytes resets it, and the
            // client would see "connection reset" instead of the 413 API Gateway answers.
            drain(exchange.getRequestBody(), declaredLength(requestHeaders));
            send(exchange, 413, gatewayHeaders, json("message", "Request Entity Too Large"), method);
            return;
        }
        Optional<Map<String, Object>> claims = issuer.verify(requestHeaders.getFirst("Authorization"));
        if (claims.isEmpty()) {
            Map<String, String> headers = new LinkedHashMap<>(gatewayHeaders);
            headers.put("www-authenticate", requestHeaders.containsKey("Authorization") ? "Bearer error=\"invalid_token\"" : "Bearer");
            send(exchange, 401, headers, json("message", "Unauthorized"), method);
            return;
        }
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            exchange.getResponseHeaders().set("Connection", "close");
            drain(exchange.getRequestBody(), Long.MAX_VALUE);
            send(exchange, 413, gatewayHeaders, json("message", "Request Entity Too Large"), method);
            return;
        }
        APIGatewayV2HTTPEvent event = HttpApiEvent.of(exchange, method, rawPath, match, claims.get(), body, requestId, accountId, clock.instant());
        APIGatewayV2HTTPResponse response;
        try {
            response = functions.apply(event);
        } catch (RuntimeException e) {
            log.println("gateway: " + match.function() + " failed on " + match.routeKey() + ": "
                    + e.getClass().getName() + ": " + e.getMessage());
            send(exchange, 500, gatewayHeaders, json("message", "Internal Server Error"), method);
            return;
        }
        respond(exchange, method, response, requestId);
    }

    private static void respond(HttpExchange exchange, String method, APIGatewayV2HTTPResponse response, String requestId)
            throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (response.getHeaders() != null) {
            headers.putAll(response.getHeaders());
        }
        headers.put("apigw-requestid", requestId);
        Headers out = exchange.getResponseHeaders();
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> values.forEach(value -> out.add(name, value)));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(cookie -> out.add("Set-Cookie", cookie));
        }
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        send(exchange, response.getStatusCode() == 0 ? 200 : response.getStatusCode(), headers, bytes, method);
    }

    private static long declaredLength(Headers headers) {
        String length = headers.getFirst("Content-Length");
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Reads and drops a refused body while it keeps coming (at most {@link #MAX_DRAINED_BYTES}, and never
     * waiting more than {@link #DRAIN_IDLE_MILLIS} for the next bytes), so a client that sends it all reads
     * the 413 instead of a reset, and one that stops sending is answered at once.
     */
    private static void drain(InputStream in, long declared) {
        if (declared > MAX_DRAINED_BYTES) {
            return;
        }
        AtomicLong total = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[64 * 1024];
            try {
                int read;
                while (total.get() <= MAX_DRAINED_BYTES && (read = in.read(buffer)) >= 0) {
                    total.addAndGet(read);
                }
            } catch (IOException e) {
                // the client went away, or we answered first
            }
            done.set(true);
        });
        long seen = -1;
        while (!done.get() && total.get() != seen) {
            seen = total.get();
            try {
                reader.join(Duration.ofMillis(DRAIN_IDLE_MILLIS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The body, or null when it is longer than {@value #MAX_BODY_BYTES} bytes (chunked requests carry no length). */
    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            out.write(buffer, 0, read);
            if (out.size() > MAX_BODY_BYTES) {
                return null;
            }
        }
        return out.toByteArray();
    }

    /** Like API Gateway's: 12 random bytes, base64 without padding. */
    private static String requestId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
