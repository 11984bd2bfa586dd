package io.syncexec.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.syncexec.aws.TransientFailures;
import io.syncexec.dynamodb.DynamoDbStores;
import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import io.syncexec.eventbridge.EventBridgeStatusEvents;
import io.syncexec.lambda.FunctionEnvironment;
import io.syncexec.lambda.Priming;
import io.syncexec.lambda.Wiring;
import io.syncexec.observability.Correlation;
import io.syncexec.observability.Log;
import io.syncexec.sfn.StepFunctionsWorkflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Predicate;

/**
 * API Gateway HTTP API (payload 2.0) → {@link ExecutionApi}. Turns the event into a request,
 * the answer into a response, and any unexpected failure into a plain 500/503 without a stack
 * trace. Logs one JSON line per request (method, path, status, with API Gateway's request id as
 * the correlation id); never a body, a query string or a token.
 */
public final class ExecutionApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final Map<String, String> HEADERS = Map.of(
            "content-type", "application/json",
            "cache-control", "no-store");


    private final ExecutionApi api;
    private final Log log;
    private final Predicate<RuntimeException> isTransient;

    public ExecutionApiHandler() {
        this(FunctionEnvironment.onLambda(System.getenv()));
    }

    /**
     * The function with this environment: on Lambda the process's ({@link #ExecutionApiHandler()}); the local
     * runtime gives each function its own, as Lambda does.
     */
    public ExecutionApiHandler(FunctionEnvironment environment) {
        this(Wiring.of(environment)
                .stores(DynamoDbStores::new).workflow(StepFunctionsWorkflow::new).statusEvents(EventBridgeStatusEvents::new)
                .transientFailures(TransientFailures::isTransient));
    }

    /** The function on this graph: the environment's on AWS, the tests' own stores and workflow in {@code ApiHarness}. */
    ExecutionApiHandler(Wiring wiring) {
        this.api = new ExecutionApi(wiring.clients(), wiring.syncs(), wiring.ledger(), wiring.executionService(), wiring.calendar(),
                wiring.connectorUrls(), wiring.changes(), wiring.config().allowDemoFaults());
        this.log = wiring.log("api");
        this.isTransient = wiring.transientFailures();
        // SnapStart: before the snapshot, two reads of things that do not exist run the request
        // path once (routing, DynamoDB reads, JSON answers): an operator's client list, and an
        // admin's read of a sync (a 404).
        wiring.prime(() -> {
            handleRequest(primingRequest(ExecutionApi.LIST_CLIENTS, "/clients", Map.of(),
                    Map.of("sub", "priming", "clients", Priming.NO_SUCH_ID)), null);
            handleRequest(primingRequest(ExecutionApi.GET_SYNC, "/clients/" + Priming.NO_SUCH_ID + "/syncs/" + Priming.NO_SUCH_ID,
                    Map.of("clientId", Priming.NO_SUCH_ID, "syncId", Priming.NO_SUCH_ID),
                    Map.of("sub", "priming", "cognito:groups", "[" + Caller.ADMIN_GROUP + "]")), null);
        });
    }

    private static APIGatewayV2HTTPEvent primingRequest(String routeKey, String path, Map<String, String> pathParameters,
                                                        Map<String, String> claims) {
        return APIGatewayV2HTTPEvent.builder()
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withPathParameters(pathParameters)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").build())
                        .withAuthorizer(APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder().withClaims(claims).build())
                                .build())
                        .build())
                .build();
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        // API Gateway's request id (also in the access log) is the correlation id of all that follows.
        String requestId = event.getRequestContext() != null && event.getRequestContext().getRequestId() != null
                ? event.getRequestContext().getRequestId() : requestId(context);
        return Correlation.supply(requestId, () -> answer(event, context));
    }

    private APIGatewayV2HTTPResponse answer(APIGatewayV2HTTPEvent event, Context context) {
        ApiResponse response;
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : "GET";
        String path = event.getRawPath();
        try {
            response = api.handle(new ApiRequest(event.getRouteKey(), event.getPathParameters(), event.getQueryStringParameters(),
                    body(event), caller(event), event.getHeaders()));
        } catch (Refusal e) {
            response = ApiResponse.error(e);
        } catch (RuntimeException e) {
            boolean retryable = isTransient.test(e);
            log.error("request.failed", "method", method, "path", path, "error", e.getClass().getSimpleName(), "retryable", retryable);
            response = ApiResponse.error(retryable
                    ? new Refusal(Reason.SERVICE_UNAVAILABLE, "A backing service did not answer. Try again in a moment.")
                    : new Refusal(Reason.INTERNAL_ERROR,
                            "Something went wrong on our side. The request id is " + Correlation.id() + "."));
        }
        log.info("request", "method", method, "path", path, "status", response.status());
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(HEADERS)
                .withBody(response.body())
                .build();
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            try {
                return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Refusal(Reason.INVALID_JSON, "The request body is not valid base64.");
            }
        }
        return body;
    }

    private static Caller caller(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null) {
            return null;
        }
        return Caller.fromClaims(context.getAuthorizer().getJwt().getClaims());
    }

    private static String requestId(Context context) {
        return context == null ? "unknown" : context.getAwsRequestId();
    }
}
