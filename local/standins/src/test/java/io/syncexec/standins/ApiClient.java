package io.syncexec.standins;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tests' HTTP API client: turns a method, a path (with an optional query), a body and the caller's
 * JWT claims into the payload-2.0 event API Gateway sends, routed by {@link HttpApiRoutes} ({@code routeKey},
 * {@code pathParameters}), hands it to the API (the handler, or {@code LocalCloud::api}) and reads the JSON
 * answer. A request no route takes gets API Gateway's {@code 404 {"message":"Not Found"}} without a call.
 * Shared by the execution API's tests and the system tests (this module's test-jar).
 */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpApiRoutes routes;
    private final Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api;

    public ApiClient(HttpApiRoutes routes, Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> api) {
        this.routes = routes;
        this.api = api;
    }

    /** The routes of the repository's template.yaml. */
    public static HttpApiRoutes templateRoutes() {
        return HttpApiRoutes.read(RepositoryRoot.find().resolve("template.yaml"));
    }

    /**
     * @param path   e.g. {@code /clients/acme/syncs?limit=2}: the query's values are passed as written (not decoded)
     * @param claims the caller's token claims; null: no authorizer context (a request the function must refuse)
     */
    public Answer call(String method, String path, String body, Map<String, String> claims) {
        return call(method, path, body, claims, null);
    }

    /** @param headers the request's headers, names in lower case as API Gateway's payload 2.0 gives them; null: none */
    public Answer call(String method, String path, String body, Map<String, String> claims, Map<String, String> headers) {
        String rawPath = path;
        Map<String, String> query = new HashMap<>();
        int q = path.indexOf('?');
        if (q >= 0) {
            rawPath = path.substring(0, q);
            for (String pair : path.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                query.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        Optional<HttpApiRoutes.Match> match = routes.match(method, rawPath);
        if (match.isEmpty()) {
            return new Answer(404, JSON.createObjectNode().put("message", "Not Found"));
        }
        APIGatewayV2HTTPEvent.RequestContext.RequestContextBuilder context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey(match.get().routeKey())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(rawPath).build());
        if (claims != null) {
            context.withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                    .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build()).build());
        }
        Map<String, String> pathParameters = match.get().pathParameters();
        return send(APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(match.get().routeKey())
                .withRawPath(rawPath)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withHeaders(headers)
                .withBody(body)
                .withRequestContext(context.build())
                .build());
    }

    /** Hands {@code event} to the API as it is. */
    public Answer send(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPResponse response = api.apply(event);
        try {
            return new Answer(response.getStatusCode(), JSON.readTree(response.getBody()));
        } catch (Exception e) {
            throw new AssertionError("response is not JSON: " + response.getBody(), e);
        }
    }

    public static Answer expect(int status, Answer answer) {
        assertEquals(status, answer.status(), answer.json().toString());
        return answer;
    }

    /** A status and a JSON body. */
    public record Answer(int status, JsonNode json) {

        /** An API error's {@code error.code}; null for any other answer. */
        public String code() {
            return json.path("error").path("code").asText(null);
        }

        public String text(String field) {
            return json.path(field).asText(null);
        }

        public String id() {
            return json.path("executionId").asText();
        }
    }
}
