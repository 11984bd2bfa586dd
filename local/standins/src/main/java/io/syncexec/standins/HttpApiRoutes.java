package io.syncexec.standins;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes of the HTTP API, from the {@code HttpApi} events of template.yaml's functions, matched as
 * API Gateway matches a request: by segment, {@code {name}} takes one segment, {@code {name+}} the rest,
 * the most specific route wins (literal segments over parameters, a named method over {@code ANY}).
 * The one route matcher of the repository: the local gateway, {@code LocalCloud.api} and the tests' API
 * client build their events from its {@link Match}.
 */
public final class HttpApiRoutes {

    /**
     * One route: an {@code HttpApi} event's {@code Method} and {@code Path}.
     *
     * @param function the function the route invokes (its logical id)
     */
    public record Route(String function, String method, String path) {

        /** {@code "GET /clients/{clientId}"}: the event's {@code routeKey}, as API Gateway writes it. */
        public String routeKey() {
            return method + " " + path;
        }

        /** The route's path parameters for this request, decoded; empty when the route does not take it. */
        Optional<Map<String, String>> match(String requestMethod, String rawPath) {
            if (!"ANY".equals(method) && !method.equals(requestMethod)) {
                return Optional.empty();
            }
            String[] template = segments(path);
            String[] request = segments(rawPath);
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < template.length; i++) {
                String part = template[i];
                if (i >= request.length) {
                    return Optional.empty();
                }
                if (part.startsWith("{") && part.endsWith("+}")) {
                    String rest = String.join("/", List.of(request).subList(i, request.length));
                    if (rest.isEmpty()) {
                        return Optional.empty();
                    }
                    parameters.put(part.substring(1, part.length() - 2), decode(rest));
                    return Optional.of(parameters);
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

        private int specificity() {
            int score = "ANY".equals(method) ? 0 : 1;
            for (String part : segments(path)) {
                score += part.startsWith("{") ? (part.endsWith("+}") ? 10 : 100) : 1000;
            }
            return score;
        }
    }

    /**
     * A request's route and what API Gateway puts in the event for it.
     *
     * @param pathParameters the route's parameters, URL-decoded (empty when the route has none)
     */
    public record Match(Route route, Map<String, String> pathParameters) {

        public Match {
            pathParameters = Map.copyOf(pathParameters);
        }

        public String function() {
            return route.function();
        }

        public String routeKey() {
            return route.routeKey();
        }
    }

    private final List<Route> routes;

    /** @param routes at least one; {@code $default} (no method and path) is not routed here */
    public HttpApiRoutes(List<Route> routes) {
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("The HTTP API has no routes");
        }
        this.routes = routes.stream().sorted(Comparator.comparingInt(Route::specificity).reversed()).toList();
    }

    /** The routes of {@code template.yaml} ({@link TemplateResources#read}). */
    public static HttpApiRoutes read(Path templateFile) {
        return of(TemplateResources.read(templateFile));
    }

    /** The {@code HttpApi} events of the template's functions; a route without a literal method and path is refused. */
    public static HttpApiRoutes of(TemplateResources template) {
        List<Route> routes = new ArrayList<>();
        template.template().path("Resources").properties().forEach(resource -> {
            if ("AWS::Serverless::Function".equals(resource.getValue().path("Type").asText())) {
                resource.getValue().path("Properties").path("Events").properties().forEach(event -> {
                    if ("HttpApi".equals(event.getValue().path("Type").asText())) {
                        routes.add(route(resource.getKey(), event.getKey(), event.getValue().path("Properties")));
                    }
                });
            }
        });
        return new HttpApiRoutes(routes);
    }

    private static Route route(String function, String event, JsonNode properties) {
        JsonNode method = properties.path("Method");
        JsonNode path = properties.path("Path");
        if (!method.isTextual() || !path.isTextual()) {
            throw new IllegalStateException(function + "." + event + ": the local HTTP API routes literal methods and paths only"
                    + " (no $default)");
        }
        return new Route(function, method.asText().toUpperCase(Locale.ROOT), path.asText());
    }

    /** The route API Gateway picks for {@code method} (upper case) and {@code rawPath} (as sent); empty: API Gateway's 404. */
    public Optional<Match> match(String method, String rawPath) {
        for (Route route : routes) {
            Optional<Map<String, String>> parameters = route.match(method, rawPath);
            if (parameters.isPresent()) {
                return Optional.of(new Match(route, parameters.get()));
            }
        }
        return Optional.empty();
    }

    /** Most specific first. */
    public List<Route> routes() {
        return routes;
    }

    public Set<String> routeKeys() {
        Set<String> keys = new TreeSet<>();
        routes.forEach(route -> keys.add(route.routeKey()));
        return keys;
    }

    private static String[] segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.split("/", -1); // keep a trailing empty segment: "/clients/" is not "/clients"
    }

    /** Percent-decoding as API Gateway does for path parameters: a {@code +} stays a {@code +}. */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }
}
