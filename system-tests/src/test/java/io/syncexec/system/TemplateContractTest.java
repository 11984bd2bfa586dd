package io.syncexec.system;

import io.syncexec.lambda.FunctionEnvironment;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.api.ExecutionApi;
import io.syncexec.execution.Workflow;
import io.syncexec.standins.FunctionModules;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * template.yaml and the code cannot drift: every handler exists and takes the event its triggers
 * send; every environment variable a function reads is set and every one set is read; every
 * substitution of the state machine is used and defined. (Policies: see {@code PolicyContractIT}.)
 */
class TemplateContractTest {
    private static final Template TEMPLATE = Template.read();
    private List<String> functions() {
        return TEMPLATE.ids("AWS::Serverless::Function");
    }

    private Set<String> stateMachineSteps() {
        Set<String> steps = new TreeSet<>();
        for (String sm : TEMPLATE.ids("AWS::Serverless::StateMachine")) {
            TEMPLATE.resource(sm).path("Properties").path("DefinitionSubstitutions").forEach(v -> {
                if (v.has("Fn::GetAtt")) {
                    steps.add(v.get("Fn::GetAtt").get(0).asText());
                }
                if (v.path("Ref").asText().endsWith(".Alias")) {
                    steps.add(v.get("Ref").asText().replace(".Alias", ""));
                }
            });
        }
        return steps;
    }

    @Test
    void everyFunctionIsBuiltByAModuleAndHasAHandlerOfItsEventType() throws Exception {
        assertEquals(7, functions().size(), "functions: " + functions());
        for (String id : functions()) {
            String module = FunctionModules.read(Template.ROOT).get(id);
            assertTrue(module != null && Files.isRegularFile(Template.ROOT.resolve("functions").resolve(module).resolve("pom.xml")),
                    id + ": the Makefile names no module of functions/ for it (" + module + ")");
            Class<?> handler = Class.forName(TEMPLATE.handlerClass(id));
            List<String> events = TEMPLATE.eventTypes(id);
            if (events.contains("HttpApi")) {
                assertHandles(handler, APIGatewayV2HTTPEvent.class, APIGatewayV2HTTPResponse.class, id);
            } else if (events.contains("SQS")) {
                assertHandles(handler, SQSEvent.class, SQSBatchResponse.class, id);
            } else if (events.contains("Schedule") || stateMachineSteps().contains(id)) {
                assertTrue(RequestStreamHandler.class.isAssignableFrom(handler), id + " reads its JSON event as a stream");
            } else {
                fail(id + " is triggered by nothing");
            }
        }
    }

    /**
     * The HTTP API's routes are the template's {@code HttpApi} events (the local gateway routes
     * from them too): SPEC §4's, a date's history, and a sync's changes (SPEC §11). A route the API serves but the template
     * lacks would never be reached; a route the template has but the API does not dispatch on would
     * answer 404 NOT_FOUND.
     */
    @Test
    void theHttpApiServesEveryRouteOfTheContractThroughTheExecutionApi() {
        Set<String> routes = new TreeSet<>();
        for (String id : functions()) {
            TEMPLATE.resource(id).path("Properties").path("Events").forEach(event -> {
                if (event.path("Type").asText().equals("HttpApi")) {
                    assertEquals("ExecutionApiFunction", id, "only the execution API serves HTTP");
                    routes.add(event.path("Properties").path("Method").asText() + " " + event.path("Properties").path("Path").asText());
                }
            });
        }
        String sync = "/clients/{clientId}/syncs/{syncId}";
        assertEquals(new TreeSet<>(List.of(
                "GET /clients",
                "PUT /clients/{clientId}",
                "GET /clients/{clientId}/syncs",
                "GET " + sync,
                "PUT " + sync,
                "GET " + sync + "/ledger",
                "GET " + sync + "/ledger/{date}",
                "GET " + sync + "/changes",
                "POST " + sync + "/executions",
                "GET " + sync + "/executions",
                "GET " + sync + "/executions/{executionId}",
                "GET " + sync + "/executions/{executionId}/outcomes",
                "POST " + sync + "/executions/{executionId}/confirmation",
                "POST " + sync + "/executions/{executionId}/cancel")), routes);
        assertEquals(routes, new TreeSet<>(ExecutionApi.ROUTE_KEYS),
                "the execution API dispatches on exactly the template's route keys (API Gateway sends no other)");
    }

    private static void assertHandles(Class<?> handler, Class<?> event, Class<?> response, String id) {
        for (Type type : handler.getGenericInterfaces()) {
            if (type instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                assertEquals(event, p.getActualTypeArguments()[0], id);
                assertEquals(response, p.getActualTypeArguments()[1], id);
                return;
            }
        }
        fail(id + " must implement RequestHandler<" + event.getSimpleName() + ", " + response.getSimpleName() + ">");
    }

    @Test
    void everyVariableAFunctionReadsIsSetAndEveryVariableSetIsRead() throws Exception {
        for (String id : functions()) {
            Map<String, String> env = new HashMap<>(TEMPLATE.environment(id));
            env.putAll(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "contract", "AWS_SECRET_ACCESS_KEY", "contract"));
            construct(id, env); // everything it reads is set
            for (String variable : TEMPLATE.environment(id).keySet()) {
                Map<String, String> without = new HashMap<>(env);
                without.remove(variable);
                Throwable failure = constructionFailure(id, without);
                assertTrue(failure != null && String.valueOf(failure.getMessage()).contains(variable),
                        id + " sets " + variable + " but never reads it (or reads it too late to fail at cold start)");
            }
        }
    }

    private void construct(String id, Map<String, String> environment) throws Exception {
        Throwable failure = constructionFailure(id, environment);
        if (failure != null) {
            throw new AssertionError(id + " could not start with its template environment: " + failure.getMessage(), failure);
        }
    }

    /** Constructs the handler as Lambda would, with this environment and nothing else (no JVM-wide setting). */
    private Throwable constructionFailure(String id, Map<String, String> environment) throws ReflectiveOperationException {
        try {
            Class.forName(TEMPLATE.handlerClass(id)).getConstructor(FunctionEnvironment.class).newInstance(FunctionEnvironment.onLambda(environment));
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
    }

    @Test
    void everyCallerReachesThePublishedPrimedVersionOfAFunction() {
        // SnapStart only applies to published versions: a caller of $LATEST would pay the whole cold start.
        String applyOn = TEMPLATE.functionGlobals().path("SnapStart").path("ApplyOn").path("Ref").asText();
        assertEquals("PublishedVersions", TEMPLATE.parameterDefault(applyOn), "SnapStart by default");
        assertTrue(TEMPLATE.functionGlobals().path("AutoPublishAlias").isTextual(), "SAM points every event source at the alias");
        for (String id : functions()) {
            assertTrue(TEMPLATE.resource(id).path("Properties").path("SnapStart").isMissingNode()
                    && TEMPLATE.resource(id).path("Properties").path("AutoPublishAlias").isMissingNode(), id + " keeps the globals");
        }
        for (String sm : TEMPLATE.ids("AWS::Serverless::StateMachine")) {
            TEMPLATE.resource(sm).path("Properties").path("DefinitionSubstitutions").fields().forEachRemaining(e -> assertFalse(
                    e.getValue().has("Fn::GetAtt") && functions().contains(e.getValue().get("Fn::GetAtt").get(0).asText()),
                    sm + " calls " + e.getKey() + " through its alias (!Ref Function.Alias), not $LATEST"));
        }
        assertEquals(Set.of("ConfirmationRequestFunction", "DispatchFunction", "FinalizeFunction"), stateMachineSteps());
    }

    @Test
    void everySubstitutionOfTheStateMachineIsDefinedAndUsed() throws Exception {
        for (String id : TEMPLATE.ids("AWS::Serverless::StateMachine")) {
            JsonNode properties = TEMPLATE.resource(id).path("Properties");
            String asl = Files.readString(Template.ROOT.resolve(properties.path("DefinitionUri").asText()));
            Set<String> used = new TreeSet<>();
            Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(asl);
            while (m.find()) {
                used.add(m.group(1));
            }
            Set<String> defined = new TreeSet<>();
            properties.path("DefinitionSubstitutions").fieldNames().forEachRemaining(defined::add);
            assertEquals(defined, used, id + ": substitutions defined vs used in the ASL");
            assertFalse(used.isEmpty());
            properties.path("DefinitionSubstitutions").forEach(v ->
                    assertFalse(v.isTextual() && v.asText().startsWith("arn:aws:"), "ARNs take ${AWS::Partition}: " + v));
        }
    }

    @Test
    void theWorkerRetriesAsOftenAsTheQueueDeliversBeforeItsDeadLetterQueue() {
        JsonNode worker = TEMPLATE.resource("ImportWorkerFunction").path("Properties");
        String queue = worker.path("Events").path("ImportQueue").path("Properties").path("Queue").path("Fn::GetAtt").get(0).asText();
        JsonNode queueProperties = TEMPLATE.resource(queue).path("Properties");
        assertEquals(queueProperties.path("RedrivePolicy").path("maxReceiveCount").asInt(),
                Integer.parseInt(TEMPLATE.environment("ImportWorkerFunction").get("MAX_RECEIVE_COUNT")));
        int timeout = worker.path("Timeout").asInt();
        assertTrue(queueProperties.path("VisibilityTimeout").asInt() >= 6 * timeout, "visibility timeout ≥ 6 × the worker's timeout");
        assertTrue(Integer.parseInt(TEMPLATE.environment("ImportWorkerFunction").get("LEASE_SECONDS")) > timeout,
                "a lease outlives the worker that took it");
        assertTrue(worker.path("Events").path("ImportQueue").path("Properties").path("BatchSize").asInt() <= 10);
        assertEquals("ReportBatchItemFailures",
                worker.path("Events").path("ImportQueue").path("Properties").path("FunctionResponseTypes").get(0).asText());
        assertTrue(queueProperties.path("RedrivePolicy").path("maxReceiveCount").asInt() >= 5, "a DLQ after at least 5 deliveries");
    }

    @Test
    void theWorkerFitsItsTimeBudgetAndItsConcurrencyIsBounded() {
        JsonNode worker = TEMPLATE.resource("ImportWorkerFunction").path("Properties");
        int timeout = worker.path("Timeout").asInt();
        long perDate = Long.parseLong(TEMPLATE.environment("ImportWorkerFunction").get("CONNECTOR_TIMEOUT_SECONDS"));
        assertTrue(perDate + io.syncexec.workflow.ImportService.MARGIN.toSeconds() < timeout,
                "one date's connector deadline and its margin fit in the worker's Timeout: " + perDate + " s of " + timeout + " s");
        JsonNode scaling = worker.path("Events").path("ImportQueue").path("Properties").path("ScalingConfig").path("MaximumConcurrency");
        String parameter = scaling.path("Ref").asText();
        assertEquals("ImportMaximumConcurrency", parameter, "ScalingConfig.MaximumConcurrency is a template parameter");
        assertEquals("10", TEMPLATE.parameterDefault(parameter));
    }

    @Test
    void aSyncLockOutlivesTheLongestWorkflowWhateverTheParameters() throws Exception {
        JsonNode properties = TEMPLATE.resource("SyncExecutionStateMachine").path("Properties");
        JsonNode states = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Files.readString(Template.ROOT.resolve(properties.path("DefinitionUri").asText()))).path("States");
        assertEquals(Workflow.IMPORT_WAIT.toSeconds(), states.path("DispatchAndAwaitImports").path("TimeoutSeconds").asLong(),
                "the import wait the lock is derived from");
        assertEquals("$.confirmationTimeoutSeconds", states.path("AwaitConfirmation").path("TimeoutSecondsPath").asText(),
                "the confirmation wait comes from the API's input (CONFIRMATION_TIMEOUT_SECONDS), as the lock does");
        // Every Task state: each attempt may run its function's whole timeout, plus every back-off
        // (Interval × Backoff^i, capped by MaxDelaySeconds). The waits themselves are counted above.
        long steps = 0;
        for (JsonNode state : states) {
            if (!"Task".equals(state.path("Type").asText())) {
                continue;
            }
            String substitution = state.path("Parameters").path("FunctionName").asText().replaceAll("[${}]", "");
            String function = properties.path("DefinitionSubstitutions").path(substitution).path("Ref").asText().replace(".Alias", "");
            JsonNode timeout = TEMPLATE.resource(function).path("Properties").path("Timeout");
            long functionTimeout = (timeout.isMissingNode() ? TEMPLATE.functionGlobals().path("Timeout") : timeout).asLong();
            assertTrue(functionTimeout > 0, function + " has a timeout");
            long attempts = 1;
            for (JsonNode retrier : state.path("Retry")) {
                int maxAttempts = retrier.path("MaxAttempts").asInt(3);
                double delay = retrier.path("IntervalSeconds").asDouble(1);
                double cap = retrier.path("MaxDelaySeconds").asDouble(Double.MAX_VALUE);
                for (int i = 0; i < maxAttempts; i++) {
                    steps += (long) Math.ceil(Math.min(delay, cap));
                    delay *= retrier.path("BackoffRate").asDouble(2.0);
                }
                attempts += maxAttempts;
            }
            steps += attempts * functionTimeout;
        }
        assertTrue(steps <= Workflow.STEPS_ALLOWANCE.toSeconds(),
                "every step with its retries takes at most " + steps + " s, more than the lock's allowance " + Workflow.STEPS_ALLOWANCE);
        long longestConfirmation = TEMPLATE.parameterMax("ConfirmationTimeoutSeconds");
        assertTrue(longestConfirmation > 0, "ConfirmationTimeoutSeconds has a MaxValue");
        assertEquals(java.time.Duration.ofSeconds(longestConfirmation).plus(Workflow.IMPORT_WAIT).plus(Workflow.STEPS_ALLOWANCE),
                Workflow.lockDuration(java.time.Duration.ofSeconds(longestConfirmation)));
        assertTrue(TEMPLATE.resource("ExecutionApiFunction").path("Properties").path("Environment").path("Variables")
                .path("EXECUTION_LOCK_SECONDS").isMissingNode(), "the lock is derived, never a parameter of its own");
    }
}
