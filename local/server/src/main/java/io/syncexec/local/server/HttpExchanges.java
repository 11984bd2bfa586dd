package io.syncexec.local.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every endpoint of the local server does with an exchange: read its query, send an answer. */
final class HttpExchanges {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> JSON_TYPE = Map.of("content-type", "application/json");

    private HttpExchanges() {
    }

    /** Sends {@code status}, {@code headers} and {@code body} (no body for HEAD, 204, 304 or an empty one). */
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

    /** API Gateway's own answers: {@code {"message": "..."}}. */
    static void sendMessage(HttpExchange exchange, int status, String message, String method) throws IOException {
        send(exchange, status, JSON_TYPE, json("message", message), method);
    }

    static byte[] json(String name, String value) {
        try {
            return JSON.writeValueAsBytes(Map.of(name, value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
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
}
