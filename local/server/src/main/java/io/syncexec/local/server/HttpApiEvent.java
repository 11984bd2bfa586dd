package io.syncexec.local.server;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.syncexec.standins.HttpApiRoutes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static io.syncexec.local.server.HttpExchanges.JSON;

/**
 * The payload-2.0 event API Gateway's HTTP API sends a function for a request: its {@code routeKey} and
 * {@code pathParameters} from the matched route, headers and cookies, the decoded query, the body (base64
 * unless it is text) and the JWT authorizer's claims.
 */
final class HttpApiEvent {
    static final String API_ID = "local";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private HttpApiEvent() {
    }

    static APIGatewayV2HTTPEvent of(HttpExchange exchange, String method, String rawPath, HttpApiRoutes.Match match,
                                    Map<String, Object> claims, byte[] body, String requestId, String accountId, Instant now) {
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
        String host = Optional.ofNullable(requestHeaders.getFirst("Host")).orElse("127.0.0.1");
        String domainName = host.contains(":") ? host.substring(0, host.lastIndexOf(':')) : host;
        boolean text = isText(requestHeaders.getFirst("Content-Type"));
        String remote = exchange.getRemoteAddress().getAddress().getHostAddress();

        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.routeKey())
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(HttpExchanges.query(rawQuery))
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
                        .withRouteKey(match.routeKey())
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
    private static Map<String, String> claimStrings(Map<String, Object> claims) {
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

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true; // the API's clients send JSON; API Gateway passes such bodies as text
        }
        String type = contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript")
                || type.equals("application/x-www-form-urlencoded");
    }
}
