package io.syncexec.local.server;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The local HTTP front door on 127.0.0.1: what API Gateway's HTTP API does for the template's
 * {@code HttpApi} routes (JWT authorizer, payload-2.0 event, the function's response), the consumer page
 * as static files, {@code POST /local/schedule} (EventBridge's rule, fired by hand) and
 * {@code GET /local/sign-in} (the local stand-in for the Cognito sign-in: the page with a token).
 *
 * <p>API requests follow API Gateway's order: no route for the method and path → 404
 * {@code {"message":"Not Found"}}; a body over {@value #MAX_BODY_BYTES} bytes → 413 before it is read;
 * no valid token → 401 {@code {"message":"Unauthorized"}} and the function is not called; a function
 * that fails → 500 {@code {"message":"Internal Server Error"}}.
 */
public final class Gateway implements AutoCloseable {

    /** API Gateway HTTP API's payload limit. */
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;
    public static final String SCHEDULE_PATH = "/local/schedule";
    /** Runs the sweeper once now (each schedule tick runs it too). */
    public static final String SWEEP_PATH = "/local/sweep";
    public static final String SIGN_IN_PATH = "/local/sign-in";
    static final String API_ID = "local";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<ApiRoute> routes;
    private final Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> functions;
    private final LocalIssuer issuer;
    private final StaticFiles page;
    private final Supplier<Object> schedule;
    private volatile Supplier<Object> sweep = () -> Map.of("message", "No sweeper here");
    private final Supplier<Map<String, String>> identities;
    private final SignInKey signInKey;
    private final String accountId;
    private final PrintStream log;

    private Gateway(HttpServer server, List<ApiRoute> routes, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> functions,
                    LocalIssuer issuer, StaticFiles page, Supplier<Object> schedule, Supplier<Map<String, String>> identities,
                    SignInKey signInKey, String accountId, PrintStream log) {
        this.server = server;
        this.signInKey = signInKey;
        this.routes = routes.stream().sorted(Comparator.comparingInt(ApiRoute::specificity).reversed()).toList();
        this.functions = functions;
        this.issuer = issuer;
        this.page = page;
        this.schedule = schedule;
        this.identities = identities;
        this.accountId = accountId;
        this.log = log;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "gateway-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    /** Binds 127.0.0.1:{@code port} (0: any free port); {@link #start} serves. */
    public static HttpServer bind(int port) throws IOException {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true"); // small answers: no delayed-ACK stalls
        }
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    }

    /**
     * Serves on {@code server} (from {@link #bind}).
     *
     * @param functions what a routed API request invokes (e.g. {@code LocalCloud::api})
     * @param schedule   fires the schedule once, its result answered as JSON
     * @param identities who one can sign in as at {@value #SIGN_IN_PATH} ({@code admin}, client ids) → their token
     * @param signInKey  the one-time key of the sign-in link printed at start
     */
    public static Gateway start(HttpServer server, List<ApiRoute> routes,
                                Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> functions, LocalIssuer issuer,
                                StaticFiles page, Supplier<Object> schedule, Supplier<Map<String, String>> identities,
                                SignInKey signInKey, String accountId, PrintStream log) {
        Gateway gateway = new Gateway(server, routes, functions, issuer, page, schedule, identities, signInKey, accountId, log);
        server.start();
        return gateway;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath();
            if (!localHost(exchange.getRequestHeaders().getFirst("Host"))) {
                // Only pages of this origin may talk to us (a guard against DNS rebinding).
                send(exchange, 421, Map.of("content-type", "application/json"), json("message", "Misdirected Request"), method);
                return;
            }
            Optional<RouteMatch> route = route(method, rawPath);
            if (route.isPresent()) {
                api(exchange, method, rawPath, route.get());
            } else if (SCHEDULE_PATH.equals(rawPath)) {
                localAction(exchange, method, schedule);
            } else if (SWEEP_PATH.equals(rawPath)) {
                localAction(exchange, method, sweep);
            } else if (SIGN_IN_PATH.equals(rawPath)) {
                signIn(exchange, method);
            } else if (("GET".equals(method) || "HEAD".equals(method)) && page.serve(exchange, rawPath, method)) {
                return;
            } else {
                send(exchange, 404, Map.of("content-type", "application/json"), json("message", "Not Found"), method);
            }
        } catch (IOException | RuntimeException e) {
            log.println("gateway: " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " failed: "
                    + e.getClass().getName() + ": " + e.getMessage());
            if (exchange.getResponseCode() == -1) {
                send(exchange, 500, Map.of("content-type", "application/json"), json("message", "Internal Server Error"), "GET");
            }
        } finally {
            exchange.close();
        }
    }

    private record RouteMatch(ApiRoute route, Map<String, String> pathParameters) {
    }

    private Optional<RouteMatch> route(String method, String rawPath) {
        for (ApiRoute route : routes) {
            Optional<Map<String, String>> parameters = route.match(method, rawPath);
            if (parameters.isPresent()) {
                return Optional.of(new RouteMatch(route, parameters.get()));
            }
        }
        return Optional.empty();
    }

    private void api(HttpExchange exchange, String method, String rawPath, RouteMatch match) throws IOException {
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
        APIGatewayV2HTTPEvent event = event(exchange, method, rawPath, match, claims.get(), body, requestId);
        APIGatewayV2HTTPResponse response;
        try {
            response = functions.apply(event);
        } catch (RuntimeException e) {
            log.println("gateway: " + match.route().function() + " failed on " + match.route().routeKey() + ": "
                    + e.getClass().getName() + ": " + e.getMessage());
            send(exchange, 500, gatewayHeaders, json("message", "Internal Server Error"), method);
            return;
        }
        respond(exchange, method, response, requestId);
    }

    /** The payload-2.0 event API Gateway sends for this request. */
    private APIGatewayV2HTTPEvent event(HttpExchange exchange, String method, String rawPath, RouteMatch match,
                                Map<String, Object> claims, byte[] body, String requestId) {
        Headers requestHeaders = exchange.getRequestHeaders();
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        requestHeaders.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if ("cookie".equals(lower)) {
                for (String value : values) {
                    for (String cookie : value.split(";")) {
                        if (!cookie.isBlank()) {
                            cookies.add(cookie.strip());
                        }
                    }
                }
            } else {
                headers.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Instant now = Instant.now();
        String host = Optional.ofNullable(requestHeaders.getFirst("Host")).orElse("127.0.0.1");
        String domainName = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        String contentType = requestHeaders.getFirst("Content-Type");
        boolean text = isText(contentType);
        String remote = exchange.getRemoteAddress().getAddress().getHostAddress();

        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.route().routeKey())
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query(rawQuery))
                .withPathParameters(match.pathParameters().isEmpty() ? null : match.pathParameters())
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId(accountId)
                        .withApiId(API_ID)
                        .withDomainName(domainName)
                        .withDomainPrefix(domainName.contains(".") ? domainName.substring(0, domainName.indexOf('.')) : domainName)
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(exchange.getRequestURI().getPath())
                                .withProtocol(exchange.getProtocol())
                                .withSourceIp(remote)
                                .withUserAgent(requestHeaders.getFirst("User-Agent"))
                                .build())
                        .withRequestId(requestId)
                        .withRouteKey(match.route().routeKey())
                        .withStage("$default")
                        .withTime(REQUEST_TIME.format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(claimStrings(claims))
                                        .withScopes(scopes(claims))
                                        .build())
                                .build())
                        .build())
                .build();
    }

    /** Claims as API Gateway hands them over in payload 2.0: every value a string, arrays as {@code "[a b]"}. */
    static Map<String, String> claimStrings(Map<String, Object> claims) {
        Map<String, String> strings = new LinkedHashMap<>();
        claims.forEach((name, value) -> strings.put(name, claimString(value)));
        return strings;
    }

    private static String claimString(Object value) {
        if (value instanceof List<?> list) {
            List<String> items = new ArrayList<>();
            list.forEach(item -> items.add(claimString(item)));
            return "[" + String.join(" ", items) + "]";
        }
        if (value instanceof Map<?, ?> map) {
            try {
                return JSON.writeValueAsString(map);
            } catch (IOException e) {
                return String.valueOf(map);
            }
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            return number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString((long) number) : Double.toString(number);
        }
        return String.valueOf(value);
    }

    /** The token's {@code scope} (or {@code scp}) claim as a list; null when it has none. */
    private static List<String> scopes(Map<String, Object> claims) {
        Object scope = claims.containsKey("scope") ? claims.get("scope") : claims.get("scp");
        if (scope instanceof String text && !text.isBlank()) {
            return List.of(text.strip().split("\\s+"));
        }
        if (scope instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return null;
    }

    /** Query parameters, decoded; repeated names joined with commas as payload 2.0 does; null when none. */
    static Map<String, String> query(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.merge(name, value, (a, b) -> a + "," + b);
        }
        return parameters.isEmpty() ? null : parameters;
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true; // the API's clients send JSON; API Gateway passes such bodies as text
        }
        String type = contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
                || type.equals("application/x-www-form-urlencoded");
    }

    private void respond(HttpExchange exchange, String method, APIGatewayV2HTTPResponse response, String requestId) throws IOException {
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

    /** What {@value #SWEEP_PATH} runs (its result answered as JSON). */
    public Gateway sweepWith(Supplier<Object> sweeper) {
        this.sweep = sweeper;
        return this;
    }

    /** {@value #SCHEDULE_PATH} and {@value #SWEEP_PATH}: POST from this machine only. */
    private void localAction(HttpExchange exchange, String method, Supplier<Object> action) throws IOException {
        Map<String, String> headers = Map.of("content-type", "application/json");
        if (!"POST".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "POST");
            send(exchange, 405, headers, json("message", "Method Not Allowed"), method);
            return;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !localHost(origin.replaceFirst("^https?://", ""))) {
            // Not behind the authorizer (EventBridge is not): no other site may trigger it from a browser.
            send(exchange, 403, headers, json("message", "Forbidden"), method);
            return;
        }
        Object result = action.get();
        send(exchange, 200, headers, JSON.writeValueAsBytes(result), method);
    }

    /**
     * {@code GET /local/sign-in} lists who one can be; {@code ?as=admin} or {@code ?as=<clientId>}
     * answers 303 to the page with that identity's token in the address fragment, which the page
     * keeps and removes from the address. So the terminal never shows a token. Only the person
     * who started the local mode may sign in: with the one-time key of the link it printed
     * ({@code ?key=…}, refused after its first use), or later from the browser that used it (its
     * sign-in session cookie, {@link SignInKey}); anyone else gets 403. Only this origin (Host
     * checked above) and not another site (Sec-Fetch-Site) may sign the browser in.
     */
    private void signIn(HttpExchange exchange, String method) throws IOException {
        if (!"GET".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "GET");
            send(exchange, 405, Map.of("content-type", "application/json"), json("message", "Method Not Allowed"), method);
            return;
        }
        if ("cross-site".equals(exchange.getRequestHeaders().getFirst("Sec-Fetch-Site"))) {
            send(exchange, 403, Map.of("content-type", "application/json"), json("message", "Forbidden"), method);
            return;
        }
        Map<String, String> tokens = identities.get();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String as = query == null ? null : query.get("as");
        Map<String, String> noStore = new LinkedHashMap<>(Map.of("cache-control", "no-store", "referrer-policy", "no-referrer"));
        String key = query == null ? null : query.get("key");
        if (key != null && signInKey.redeem(key)) {
            noStore.put("set-cookie", SignInKey.COOKIE + "=" + signInKey.openSession()
                    + "; Path=" + SIGN_IN_PATH + "; HttpOnly; SameSite=Strict");
        } else if (!signInKey.hasSession(exchange.getRequestHeaders().getFirst("Cookie"))) {
            String html = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Sign in (local mode)</title>"
                    + "<main><h1>Sign in (local mode)</h1><p>Only the person who started <code>./run-local</code> may sign in: "
                    + "open the sign-in link it printed (its key works once, then this browser stays allowed). "
                    + "Restart <code>./run-local</code> for a new link.</p></main></html>";
            Map<String, String> headers = new LinkedHashMap<>(noStore);
            headers.put("content-type", "text/html; charset=utf-8");
            send(exchange, 403, headers, html.getBytes(StandardCharsets.UTF_8), method);
            return;
        }
        if (as == null) {
            StringBuilder list = new StringBuilder();
            tokens.keySet().forEach(who -> list.append("<li><a href=\"").append(SIGN_IN_PATH).append("?as=")
                    .append(URLEncoder.encode(who, StandardCharsets.UTF_8)).append("\">")
                    .append(who.equals("admin") ? "Admin (every client, sync settings)" : "Operator of " + who.replace("<", "&lt;"))
                    .append("</a></li>"));
            String html = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Sign in (local mode)</title>"
                    + "<main><h1>Sign in (local mode)</h1><p>On AWS this is your identity provider's sign-in.</p><ul>"
                    + list + "</ul></main></html>";
            Map<String, String> headers = new LinkedHashMap<>(noStore);
            headers.put("content-type", "text/html; charset=utf-8");
            send(exchange, 200, headers, html.getBytes(StandardCharsets.UTF_8), method);
            return;
        }
        String token = tokens.get(as);
        if (token == null) {
            send(exchange, 404, Map.of("content-type", "application/json"), json("message", "No such identity: sign in at " + SIGN_IN_PATH),
                    method);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>(noStore);
        headers.put("location", "/#token=" + token);
        send(exchange, 303, headers, new byte[0], method);
    }

    private boolean localHost(String host) {
        if (host == null) {
            return true; // HTTP/1.0 without Host
        }
        String port = ":" + port();
        return host.equals("127.0.0.1" + port) || host.equals("localhost" + port) || host.equals("[::1]" + port)
                || host.equals("127.0.0.1") || host.equals("localhost");
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

    /** The most of a refused body read and dropped before answering 413; past it the connection is closed unread. */
    static final long MAX_DRAINED_BYTES = 64L * 1024 * 1024;

    /** How long a refused body may pause before the 413 is sent without reading the rest. */
    static final long DRAIN_IDLE_MILLIS = 200;

    /**
     * Reads and drops a refused body while it keeps coming (at most {@link #MAX_DRAINED_BYTES}, and never
     * waiting more than {@link #DRAIN_IDLE_MILLIS} for the next bytes), so a client that sends it all reads
     * the 413 instead of a reset, and one that stops sending is answered at once.
     */
    private static void drain(InputStream in, long declared) {
        if (declared > MAX_DRAINED_BYTES) {
            return;
        }
        java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
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
                reader.join(java.time.Duration.ofMillis(DRAIN_IDLE_MILLIS));
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

    static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body, String method) throws IOException {
        Headers out = exchange.getResponseHeaders();
        headers.forEach(out::set);
        boolean noBody = "HEAD".equals(method) || status == 204 || status == 304 || body.length == 0;
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(body);
            }
        }
    }

    private static byte[] json(String name, String value) {
        try {
            return JSON.writeValueAsBytes(Map.of(name, value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Like API Gateway's: 12 random bytes, base64 without padding. */
    private static String requestId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
