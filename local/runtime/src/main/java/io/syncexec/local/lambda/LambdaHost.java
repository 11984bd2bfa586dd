package io.syncexec.local.lambda;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.syncexec.lambda.FunctionEnvironment;
import io.syncexec.local.template.FunctionDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template's functions behind the Lambda Invoke API on 127.0.0.1 ({@code POST
 * /2015-03-31/functions/<name or ARN>/invocations}), running the handler classes in-process, each
 * instantiated once on its first invocation like a warm Lambda. Point a {@code LambdaClient} (or the
 * Step Functions stand-in) at {@link #endpoint()}; call {@link #invoke} for in-process events.
 *
 * <p>As Lambda reports them: a handler's exception is HTTP 200 with {@code X-Amz-Function-Error:
 * Unhandled} and {@code {"errorMessage", "errorType", "stackTrace"}}; an unknown function is 404
 * {@code ResourceNotFoundException}. {@code Event} invocations run in the background (202),
 * {@code DryRun} answers 204. Each function's {@code Timeout} is enforced ({@link FunctionTimedOutException}), and
 * so is the 6 MB response limit.
 */
public final class LambdaHost implements AutoCloseable {

    /** Lambda's synchronous payload limit, for requests and responses. */
    private static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    private static final Pattern INVOKE_PATH = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations/?");

    private final HttpServer http;
    private final ExecutorService threads;
    private final Map<String, WarmFunction> functions;
    private final String arnPrefix;
    private final ObjectMapper json;

    private LambdaHost(HttpServer http, ExecutorService threads, Map<String, WarmFunction> functions, String arnPrefix, ObjectMapper json) {
        this.http = http;
        this.threads = threads;
        this.functions = functions;
        this.arnPrefix = arnPrefix;
        this.json = json;
    }

    /**
     * Serves {@code functions} on 127.0.0.1:{@code port} (0 picks a free one); function logs go to
     * {@code log}, each line prefixed with the function's logical id. A handler is constructed with
     * its environment from {@code environments} on its first invocation.
     */
    public static LambdaHost start(Collection<FunctionDefinition> functions, Function<FunctionDefinition, FunctionEnvironment> environments,
                                   int port, PrintStream log) {
        // Small JSON answers: without TCP_NODELAY each call can wait on a delayed ACK (~40 ms). Read
        // once, when the JDK's HTTP server is first used, so it is set before any server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        ObjectMapper json = JsonMapper.builder()
                .findAndAddModules()
                .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
                .build();
        Map<String, WarmFunction> warm = new LinkedHashMap<>();
        String arnPrefix = null;
        for (FunctionDefinition function : functions) {
            warm.put(function.name(), new WarmFunction(function, environments, json, log));
            arnPrefix = function.arn().substring(0, function.arn().length() - function.name().length());
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "lambda-host-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            LambdaHost host = new LambdaHost(http, threads, warm, arnPrefix, json);
            http.createContext("/", host::handle);
            http.setExecutor(threads);
            http.start();
            return host;
        } catch (IOException e) {
            threads.shutdownNow();
            throw new UncheckedIOException("Cannot bind the Lambda host to 127.0.0.1:" + port, e);
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint for a {@code LambdaClient}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /**
     * Invokes a function in-process (the way API Gateway, EventBridge and SQS event sources call it)
     * and returns its result as {@code resultType}; the handler's exception is thrown as is.
     *
     * @param function a function's name (its logical id) or ARN
     */
    public <O> O invoke(String function, Object event, Class<O> resultType) {
        WarmFunction warm = function(function);
        if (warm == null) {
            throw new IllegalArgumentException("No function " + function + "; the template has " + functions.keySet());
        }
        return warm.invoke(event, resultType);
    }

    /**
     * Loads every handler class without instantiating it, so that a missing class or a class that is
     * no handler fails now, naming the function.
     */
    public void checkHandlerClasses() {
        functions.values().forEach(WarmFunction::handlerClass);
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = INVOKE_PATH.matcher(exchange.getRequestURI().getPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                sendError(exchange, 404, "UnknownOperationException", "Unknown operation "
                        + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
                return;
            }
            String name = path.group(1);
            String qualifier = queryParameter(exchange.getRequestURI().getRawQuery(), "Qualifier");
            WarmFunction function = function(name);
            if (function == null || (qualifier != null && !qualifier.equals("$LATEST"))) {
                sendError(exchange, 404, "ResourceNotFoundException", "Function not found: " + arnPrefix + name
                        + (qualifier == null ? "" : ":" + qualifier));
                return;
            }
            byte[] payload = readAtMost(exchange.getRequestBody(), MAX_PAYLOAD_BYTES);
            if (payload == null) {
                sendError(exchange, 413, "RequestTooLargeException", "Request must be smaller than " + MAX_PAYLOAD_BYTES + " bytes for the InvokeFunction operation");
                return;
            }
            String invocationType = headerOr(exchange, "X-Amz-Invocation-Type", "RequestResponse");
            switch (invocationType) {
                case "RequestResponse" -> requestResponse(exchange, function, payload);
                case "Event" -> {
                    threads.execute(() -> invokeInBackground(function, payload));
                    send(exchange, 202, new byte[0], null);
                }
                case "DryRun" -> send(exchange, 204, new byte[0], null);
                default -> sendError(exchange, 400, "InvalidParameterValueException", "Unknown invocation type " + invocationType);
            }
        }
    }

    private void requestResponse(HttpExchange exchange, WarmFunction function, byte[] payload) throws IOException {
        byte[] result;
        try {
            result = function.invoke(payload);
        } catch (Throwable failure) { // whatever the handler throws is the function's error, as in Lambda
            send(exchange, 200, json.writeValueAsBytes(errorPayload(failure)), "Unhandled");
            return;
        }
        if (result.length > MAX_PAYLOAD_BYTES) {
            send(exchange, 200, json.writeValueAsBytes(json.createObjectNode()
                    .put("errorMessage", "Response payload size (" + result.length + " bytes) exceeded maximum allowed payload size (" + MAX_PAYLOAD_BYTES + " bytes).")
                    .put("errorType", "Function.ResponseSizeTooLarge")), "Unhandled");
            return;
        }
        send(exchange, 200, result, null);
    }

    private void invokeInBackground(WarmFunction function, byte[] payload) {
        try {
            function.invoke(payload);
        } catch (Throwable failure) { // an asynchronous invocation's error only goes to the log
            function.logger().log("Event invocation failed: " + failure);
        }
    }

    /** Lambda's Java runtime error document, causes included. */
    private ObjectNode errorPayload(Throwable failure) {
        ObjectNode error = json.createObjectNode();
        error.put("errorMessage", failure.getMessage());
        error.put("errorType", failure instanceof FunctionTimedOutException ? FunctionTimedOutException.ERROR_TYPE
                : failure instanceof ResponseTooLargeException ? ResponseTooLargeException.ERROR_TYPE : failure.getClass().getName());
        ArrayNode stackTrace = error.putArray("stackTrace");
        for (StackTraceElement element : failure.getStackTrace()) {
            stackTrace.add(element.toString());
        }
        if (failure.getCause() != null && failure.getCause() != failure) {
            error.set("cause", errorPayload(failure.getCause()));
        }
        return error;
    }

    /** By name (the logical id), {@code name:$LATEST}, or ARN. */
    private WarmFunction function(String nameOrArn) {
        String name = nameOrArn;
        if (arnPrefix != null && name.startsWith(arnPrefix)) {
            name = name.substring(arnPrefix.length());
        }
        int qualifier = name.indexOf(':');
        if (qualifier > 0) {
            name = name.substring(0, qualifier); // $LATEST, a version or an alias: locally one code
        }
        return functions.get(name);
    }

    private void sendError(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        send(exchange, status, json.writeValueAsBytes(json.createObjectNode().put("Type", "User").put("Message", message)), null);
    }

    private static void send(HttpExchange exchange, int status, byte[] body, String functionError) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        if (status == 200) {
            exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
        }
        if (functionError != null) {
            exchange.getResponseHeaders().set("X-Amz-Function-Error", functionError);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String headerOr(HttpExchange exchange, String name, String fallback) {
        String value = exchange.getRequestHeaders().getFirst(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(equals + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The whole stream, or null when it is longer than {@code limit}. */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        byte[] bytes = in.readNBytes(limit + 1);
        return bytes.length > limit ? null : bytes;
    }
}
