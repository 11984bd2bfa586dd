package io.syncexec.api;

import java.util.Map;

/**
 * An HTTP request as the API needs it, independent of the event type that carried it.
 *
 * @param routeKey       the route API Gateway matched, e.g. {@code GET /clients/{clientId}}
 * @param pathParameters that route's parameters, decoded, e.g. {@code clientId}
 * @param headers        the request's headers, names in lower case (as API Gateway's payload 2.0 gives them)
 */
public record ApiRequest(String routeKey, Map<String, String> pathParameters, Map<String, String> query, String body,
                         Caller caller, Map<String, String> headers) {
    public ApiRequest {
        pathParameters = pathParameters == null ? Map.of() : pathParameters;
        query = query == null ? Map.of() : query;
        headers = headers == null ? Map.of() : headers;
    }

    public ApiRequest(String routeKey, Map<String, String> pathParameters, Map<String, String> query, String body, Caller caller) {
        this(routeKey, pathParameters, query, body, caller, Map.of());
    }
}
