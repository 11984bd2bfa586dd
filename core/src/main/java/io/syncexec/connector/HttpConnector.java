package io.syncexec.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.json.Json;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSocketFactory;

/**
 * The {@code http} connector: GETs a date's records from the source, then POSTs them to the
 * destination with an {@code Idempotency-Key} of {@code <clientId>/<syncId>/<date>/<generation>},
 * so that the destination can drop a retried delivery of the same import while a re-import (the
 * next generation) arrives as new data.
 *
 * <p>Config: {@code sourceUrl} ({@code {date}} becomes {@code YYYY-MM-DD}), {@code destinationUrl},
 * optional {@code sourceToken} and {@code destinationToken} (sent as {@code Authorization: Bearer}),
 * {@code timeoutSeconds} (1 to 900, default 20; for each of the two requests, body included; the import's
 * deadline cuts it to half the time left, so both requests end before the worker's time budget does) and
 * {@code maxResponseBytes} (default 10 MiB, at most 256 MiB; the source's body is not read past it).
 *
 * <p>The source answers a JSON array of records or an object with a {@code records} array. The
 * destination receives {@code {"clientId","syncId","date","generation","records":[...]}}.
 *
 * <p>{@code 429} and {@code 503} are throttling ({@link ConnectorException#throttled}, with the answer's
 * {@code Retry-After} in seconds or as an HTTP date); timeouts, I/O errors and other 5xx are retryable; other statuses, invalid JSON, an oversized
 * body and an invalid config are permanent. Messages name the origin ({@code scheme://host:port})
 * and a status with its standard reason, never a path, a query, a token or a response body.
 * URLs must be https to public hosts ({@link ConnectorUrls}), checked again on the addresses the host resolves
 * to at each import; https requests then connect to the address checked ({@link PinnedHttps}), never to a
 * second lookup.
 */
public final class HttpConnector implements Connector {
    public static final String TYPE = "http";
    static final long DEFAULT_TIMEOUT_SECONDS = 20;
    static final long MAX_TIMEOUT_SECONDS = 900;
    static final long DEFAULT_MAX_RESPONSE_BYTES = 10L * 1024 * 1024;
    static final long MAX_RESPONSE_BYTES_LIMIT = 256L * 1024 * 1024;
    /** The most read of an error body (which is then dropped: only its status is reported). */
    private static final int EXCERPT_BYTES = 800;
    private static final ObjectReader JSON = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final HttpClient http;
    private final ConnectorUrls urls;
    private final PinnedHttps https;
    private final Clock clock;

    /**
     * @param urls  where the connector may send requests: {@link ConnectorUrls#STRICT} on AWS
     * @param clock tells how much time an import's deadline leaves
     */
    public HttpConnector(HttpClient http, ConnectorUrls urls, Clock clock) {
        this(http, urls, (SSLSocketFactory) SSLSocketFactory.getDefault(), clock);
    }

    /** @param tls the TLS of https requests (the JVM's default trust; tests give their own) */
    HttpConnector(HttpClient http, ConnectorUrls urls, SSLSocketFactory tls, Clock clock) {
        this.http = http;
        this.urls = urls;
        this.https = new PinnedHttps(tls);
        this.clock = clock;
    }

    private record Settings(URI source, URI destination, InetAddress sourceAddress, InetAddress destinationAddress,
                            String sourceToken, String destinationToken, Duration timeout, int maxResponseBytes) {
        /** Each request's timeout, at most half the time left at {@code now} before {@code deadline}: both requests end before it. */
        Settings within(Instant deadline, Instant now) {
            if (deadline == null) {
                return this;
            }
            Duration half = Duration.between(now, deadline).dividedBy(2);
            Duration capped = half.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : half;
            return capped.compareTo(timeout) < 0
                    ? new Settings(source, destination, sourceAddress, destinationAddress, sourceToken, destinationToken, capped,
                    maxResponseBytes) : this;
        }
    }

    private record Answer(int status, byte[] body, String retryAfter) {
    }

    @Override
    public long importDate(ImportContext context) throws ConnectorException {
        ConnectorConfig config = new ConnectorConfig(TYPE, context.sync().connectorConfig());
        String sourceToken = config.string("sourceToken");
        String destinationToken = config.string("destinationToken");
        try {
            return importDate(context, settings(config, context.date(), sourceToken, destinationToken).within(context.deadline(), clock.instant()));
        } catch (ConnectorException e) {
            throw redacted(e, sourceToken, destinationToken);
        }
    }

    private long importDate(ImportContext context, Settings settings) throws ConnectorException {
        String source = "http connector: source GET " + origin(settings.source());
        HttpRequest get = request(settings.source(), settings.sourceToken(), "sourceToken", settings.timeout())
                .header("Accept", "application/json")
                .GET()
                .build();
        Answer fetched = exchange(get, null, settings.sourceAddress(), source, settings.maxResponseBytes(), true, settings.timeout());
        requireSuccess(fetched, source);
        JsonNode records = records(fetched.body(), source);

        String destination = "http connector: destination POST " + origin(settings.destination());
        byte[] delivery = delivery(context, records);
        HttpRequest post = request(settings.destination(), settings.destinationToken(), "destinationToken", settings.timeout())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey(context))
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery))
                .build();
        Answer delivered = exchange(post, delivery, settings.destinationAddress(), destination, EXCERPT_BYTES, false, settings.timeout());
        requireSuccess(delivered, destination);
        return records.size();
    }

    /** {@code <clientId>/<syncId>/<date>/<generation>}: the same for retries of one import, new for a re-import. */
    public static String idempotencyKey(ImportContext context) {
        return context.sync().clientId() + "/" + context.sync().syncId() + "/" + context.date() + "/" + context.generation();
    }

    private Settings settings(ConnectorConfig config, LocalDate date, String sourceToken, String destinationToken)
            throws ConnectorException {
        URI source = url(config, "sourceUrl", date);
        URI destination = url(config, "destinationUrl", date);
        InetAddress sourceAddress = urls.resolve(source, "sourceUrl")[0];
        InetAddress destinationAddress = urls.resolve(destination, "destinationUrl")[0];
        long timeoutSeconds = config.integer("timeoutSeconds", DEFAULT_TIMEOUT_SECONDS, 1, MAX_TIMEOUT_SECONDS);
        long maxResponseBytes = config.integer("maxResponseBytes", DEFAULT_MAX_RESPONSE_BYTES, 1, MAX_RESPONSE_BYTES_LIMIT);
        return new Settings(source, destination, sourceAddress, destinationAddress, sourceToken, destinationToken,
                Duration.ofSeconds(timeoutSeconds), (int) maxResponseBytes);
    }

    /** The URL of {@code name}, {@code {date}} filled in; {@link #settings} checks it ({@link ConnectorUrls}). */
    private URI url(ConnectorConfig config, String name, LocalDate date) throws ConnectorException {
        String text = config.requiredString(name).strip().replace("{date}", date.toString());
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw ConnectorException.permanent("http connector: config." + name + " is not a valid URL");
        }
        return uri;
    }

    private static HttpRequest.Builder request(URI uri, String token, String tokenName, Duration timeout)
            throws ConnectorException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
        if (token != null) {
            try {
                builder.header("Authorization", "Bearer " + token);
            } catch (IllegalArgumentException e) {
                throw ConnectorException.permanent("http connector: config." + tokenName + " is not a valid header value");
            }
        }
        return builder;
    }

    /**
     * Sends one request and reads its body, all within {@code timeout}. A 2xx body is read up to
     * {@code successLimit} bytes (failing beyond it if {@code failWhenOver}); an error body only
     * up to an excerpt.
     */
    private Answer exchange(HttpRequest request, byte[] body, InetAddress pinned, String what, int successLimit, boolean failWhenOver,
                            Duration timeout) throws ConnectorException {
        if (request.uri().getScheme().equalsIgnoreCase("https")) {
            // Connected to the address checked in settings(): no second lookup, no rebinding.
            try {
                PinnedHttps.Answer answer = https.exchange(request.uri(), pinned, request.method(), request.headers().map(), body,
                        successLimit, failWhenOver, EXCERPT_BYTES, timeout);
                return new Answer(answer.status(), answer.body(), answer.retryAfter());
            } catch (TimeoutException e) {
                throw timedOut(what, timeout);
            } catch (IOException e) {
                throw failed(e, what, successLimit, timeout);
            }
        }
        // Plain http: loopback only, and only with the local mode's setting (ConnectorUrls).
        CompletableFuture<HttpResponse<byte[]>> pending =
                http.sendAsync(request, LimitedBody.handler(successLimit, failWhenOver, EXCERPT_BYTES));
        try {
            HttpResponse<byte[]> response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(response.statusCode(), response.body(), response.headers().firstValue("Retry-After").orElse(null));
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw timedOut(what, timeout);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw ConnectorException.retryable(what + " was interrupted");
        } catch (ExecutionException e) {
            throw failed(e.getCause(), what, successLimit, timeout);
        }
    }

    private static ConnectorException failed(Throwable error, String what, int limit, Duration timeout) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof LimitedBody.TooLargeException) {
                return ConnectorException.permanent(what + " answered more than " + limit
                        + " bytes (config.maxResponseBytes)");
            }
            if (cause instanceof HttpTimeoutException || cause instanceof java.net.SocketTimeoutException) {
                return timedOut(what, timeout);
            }
        }
        if (error instanceof IOException) {
            return ConnectorException.retryable(what + " failed: " + error.getClass().getSimpleName());
        }
        return ConnectorException.permanent(what + " failed: "
                + (error == null ? "unknown error" : error.getClass().getSimpleName()));
    }

    private static ConnectorException timedOut(String what, Duration timeout) {
        return ConnectorException.retryable(what + " did not answer within " + Math.max(1, Math.round(timeout.toMillis() / 1000.0)) + " s");
    }

    private void requireSuccess(Answer answer, String what) throws ConnectorException {
        int status = answer.status();
        if (status / 100 == 2) {
            return;
        }
        // Only the status and its standard reason: an upstream's own text can carry anything, and
        // client operators read this message in the ledger and the execution's outcomes.
        String message = what + " answered HTTP " + status + reason(status);
        if (status == 429 || status == 503) {
            // Asked to slow down: the sync's calls wait (Retry-After, or a back-off), and the date fails nothing.
            throw ConnectorException.throttled(message, RetryAfter.parse(answer.retryAfter(), clock.instant()));
        }
        throw status >= 500
                ? ConnectorException.retryable(message)
                : ConnectorException.permanent(message);
    }

    /** The records of a source body: a JSON array, or an object with a {@code records} array. */
    private static JsonNode records(byte[] body, String what) throws ConnectorException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw ConnectorException.permanent(what + " answered invalid JSON" + where);
        } catch (IOException e) {
            throw ConnectorException.permanent(what + " answered invalid JSON");
        }
        if (root != null && root.isArray()) {
            return root;
        }
        if (root != null && root.isObject() && root.path("records").isArray()) {
            return root.get("records");
        }
        throw ConnectorException.permanent(what + " answered JSON that is neither an array of records"
                + " nor an object with a \"records\" array");
    }

    private static byte[] delivery(ImportContext context, JsonNode records) throws ConnectorException {
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("clientId", context.sync().clientId())
                .put("syncId", context.sync().syncId())
                .put("date", context.date().toString())
                .put("generation", context.generation());
        body.set("records", records);
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw ConnectorException.permanent("http connector: the records could not be serialised");
        }
    }

    /** {@code scheme://host[:port]}: enough to tell which server failed, without a path or a query. */
    private static String origin(URI uri) {
        return uri.getScheme().toLowerCase() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    /** {@code " (Service Unavailable)"}: the standard reason of common statuses, never the server's text. */
    static String reason(int status) {
        String reason = switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 300 && status < 400 ? "redirect, not followed" : null;
        };
        return reason == null ? "" : " (" + reason + ")";
    }

    /** The same error without the tokens, should a server have echoed one into its answer. */
    private static ConnectorException redacted(ConnectorException error, String... tokens) {
        String message = error.getMessage();
        for (String token : tokens) {
            if (token != null) {
                message = message.replace(token, "[token]");
            }
        }
        if (message.equals(error.getMessage())) {
            return error;
        }
        return error.retryable() ? ConnectorException.retryable(message) : ConnectorException.permanent(message);
    }
}
