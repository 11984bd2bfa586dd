package io.syncexec.local.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One route of the HTTP API ({@code Method} and {@code Path} of an {@code HttpApi} event), matched as API
 * Gateway matches it: by segment, {@code {name}} takes one segment, {@code {name+}} the rest; the most
 * specific route wins (see {@link #specificity()}).
 *
 * @param function the function the route invokes (its logical id)
 */
public record ApiRoute(String function, String method, String path) {

    /** {@code "GET /clients/{clientId}"}: the event's {@code routeKey}. */
    public String routeKey() {
        return method + " " + path;
    }

    /** The route's path parameters for this request, decoded; empty when the route does not take the request. */
    public Optional<Map<String, String>> match(String requestMethod, String rawPath) {
        if (!"ANY".equals(method) && !method.equals(requestMethod)) {
            return Optional.empty();
        }
        String[] template = segments(path);
        String[] request = segments(rawPath);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String part = template[i];
            if (part.startsWith("{") && part.endsWith("+}")) {
                if (i >= request.length) {
                    return Optional.empty();
                }
                String rest = String.join("/", List.of(request).subList(i, request.length));
                if (rest.isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(part.substring(1, part.length() - 2), decode(rest));
                return Optional.of(parameters);
            }
            if (i >= request.length) {
                return Optional.empty();
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                if (request[i].isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(part.substring(1, part.length() - 1), decode(request[i]));
            } else if (!part.equals(request[i])) {
                return Optional.empty();
            }
        }
        return template.length == request.length ? Optional.of(parameters) : Optional.empty();
    }

    /** Literal segments count more than parameters, a named method more than ANY. */
    public int specificity() {
        int score = "ANY".equals(method) ? 0 : 1;
        for (String part : segments(path)) {
            score += part.startsWith("{") ? (part.endsWith("+}") ? 10 : 100) : 1000;
        }
        return score;
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.split("/", -1); // keep a trailing empty segment: "/clients/" is not "/clients"
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
