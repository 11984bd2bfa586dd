package io.syncexec.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.stepfunctions.definition.TaskResource;
import io.syncexec.stepfunctions.definition.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One attempt of a Task state: issues the callback token (for {@code .waitForTaskToken}),
 * evaluates Parameters, calls Lambda or SQS on a worker, waits for the token, and enforces
 * TimeoutSeconds and HeartbeatSeconds with scheduler timers. Records the Task/LambdaFunction
 * events of the history.
 */
final class TaskStates {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Scheduler scheduler;
    private final Executor workers;
    private final ServiceIntegrations integrations;
    private final TaskTokens tokens;
    private final String region;

    TaskStates(Scheduler scheduler, Executor workers, ServiceIntegrations integrations, TaskTokens tokens, String region) {
        this.scheduler = scheduler;
        this.workers = workers;
        this.integrations = integrations;
        this.tokens = tokens;
        this.region = region;
    }

    CompletableFuture<JsonNode> run(StateRun run, TaskState state, JsonNode effective, int retryCount) {
        TaskResource resource = state.resource();
        boolean functionArn = resource.integration() == TaskResource.Integration.LAMBDA_FUNCTION;
        boolean callback = resource.waitsForTaskToken();
        Long timeout = seconds(run, effective, "TimeoutSeconds", state.timeout());
        Long heartbeat = callback ? seconds(run, effective, "HeartbeatSeconds", state.heartbeat()) : null;
        History history = run.execution().history();

        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        CompletableFuture<JsonNode> callbackResult = new CompletableFuture<>();
        List<Scheduler.Cancellable> timers = new ArrayList<>();
        Heartbeat heartbeatTimer = new Heartbeat(heartbeat, result);
        ObjectNode context = run.context(retryCount);
        if (callback) {
            String token = tokens.issue(run.execution(), callbackResult, heartbeatTimer::reset);
            context.putObject("Task").put("Token", token);
        }
        JsonNode parameters;
        try {
            parameters = state.parameters() != null ? run.template(state.parameters(), effective, context) : effective;
        } catch (StatesError e) {
            callbackResult.cancel(false);
            throw e;
        }

        List<String> typeAndName = functionArn
                ? List.of("lambda", resource.arn()) : ServiceIntegrations.resourceTypeAndName(resource.arn());
        if (functionArn) {
            ObjectNode scheduled = NODES.objectNode().put("resource", resource.arn()).put("input", parameters.toString());
            if (timeout != null) {
                scheduled.put("timeoutInSeconds", timeout);
            }
            history.add("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails", scheduled);
        } else {
            ObjectNode scheduled = resourceDetails(typeAndName).put("region", region).put("parameters", parameters.toString());
            if (timeout != null) {
                scheduled.put("timeoutInSeconds", timeout);
            }
            if (heartbeat != null) {
                scheduled.put("heartbeatInSeconds", heartbeat);
            }
            history.add("TaskScheduled", "taskScheduledEventDetails", scheduled);
        }
        if (timeout != null) {
            timers.add(scheduler.schedule(Duration.ofSeconds(timeout), () -> workers.execute(() ->
                    result.completeExceptionally(new StatesError(StatesError.TIMEOUT, null)))));
        }
        heartbeatTimer.reset();

        workers.execute(() -> {
            if (result.isDone()) {
                return;
            }
            if (functionArn) {
                history.add("LambdaFunctionStarted", null, null);
            } else {
                history.add("TaskStarted", "taskStartedEventDetails", resourceDetails(typeAndName));
            }
            try {
                JsonNode output = call(resource, parameters);
                if (callback) {
                    history.add("TaskSubmitted", "taskSubmittedEventDetails",
                            resourceDetails(typeAndName).put("output", output.toString()));
                    callbackResult.whenComplete((value, failure) -> {
                        if (failure == null) {
                            result.complete(value);
                        } else {
                            result.completeExceptionally(Interpreter.unwrap(failure));
                        }
                    });
                } else {
                    result.complete(output);
                }
            } catch (StatesError e) {
                result.completeExceptionally(e);
            }
        });

        return result.whenComplete((output, failure) -> {
            timers.forEach(Scheduler.Cancellable::cancel);
            heartbeatTimer.cancel();
            callbackResult.cancel(false);
            record(history, functionArn, typeAndName, output, Interpreter.unwrap(failure));
        }).thenApply(output -> {
            Interpreter.checkSize(run, output);
            return output;
        });
    }

    private JsonNode call(TaskResource resource, JsonNode parameters) {
        return switch (resource.integration()) {
            case LAMBDA_FUNCTION -> integrations.invokeFunctionArn(resource.arn(), parameters);
            case LAMBDA_INVOKE -> integrations.lambdaInvoke(parameters);
            case SQS_SEND_MESSAGE -> integrations.sqsSendMessage(parameters);
        };
    }

    private static void record(History history, boolean functionArn, List<String> typeAndName, JsonNode output,
                               Throwable failure) {
        if (failure == null) {
            if (functionArn) {
                history.add("LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails",
                        NODES.objectNode().put("output", output.toString()));
            } else {
                history.add("TaskSucceeded", "taskSucceededEventDetails",
                        resourceDetails(typeAndName).put("output", output.toString()));
            }
            return;
        }
        if (!(failure instanceof StatesError error)) {
            return;
        }
        boolean timedOut = StatesError.TIMEOUT.equals(error.error()) || StatesError.HEARTBEAT_TIMEOUT.equals(error.error());
        ObjectNode details = functionArn ? NODES.objectNode() : resourceDetails(typeAndName);
        putIfPresent(details, "error", error.error());
        putIfPresent(details, "cause", error.cause());
        if (functionArn) {
            history.add(timedOut ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed",
                    timedOut ? "lambdaFunctionTimedOutEventDetails" : "lambdaFunctionFailedEventDetails", details);
        } else {
            history.add(timedOut ? "TaskTimedOut" : "TaskFailed",
                    timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails", details);
        }
    }

    private static void putIfPresent(ObjectNode details, String field, String value) {
        if (value != null) {
            details.put(field, value);
        }
    }

    private static ObjectNode resourceDetails(List<String> typeAndName) {
        return NODES.objectNode().put("resourceType", typeAndName.get(0)).put("resource", typeAndName.get(1));
    }

    /** TimeoutSeconds or HeartbeatSeconds ({@code field}): null when the state sets neither it nor its Path. */
    private static Long seconds(StateRun run, JsonNode effective, String field, TaskState.Seconds seconds) {
        return switch (seconds) {
            case null -> null;
            case TaskState.FixedSeconds fixed -> fixed.seconds();
            case TaskState.SecondsPath path -> {
                long value = Interpreter.secondsFromPath(run, effective, field + "Path", path.path());
                if (value <= 0) {
                    throw run.runtime("The " + field + "Path parameter must be a positive integer");
                }
                yield value;
            }
        };
    }

    /** The heartbeat timer of a callback task: restarted by every SendTaskHeartbeat. */
    private final class Heartbeat {
        private final Long seconds;
        private final CompletableFuture<JsonNode> result;
        private Scheduler.Cancellable timer;
        private boolean cancelled;

        Heartbeat(Long seconds, CompletableFuture<JsonNode> result) {
            this.seconds = seconds;
            this.result = result;
        }

        synchronized void reset() {
            if (seconds == null || cancelled) {
                return;
            }
            if (timer != null) {
                timer.cancel();
            }
            timer = scheduler.schedule(Duration.ofSeconds(seconds), () -> workers.execute(() ->
                    result.completeExceptionally(new StatesError(StatesError.HEARTBEAT_TIMEOUT, null))));
        }

        synchronized void cancel() {
            cancelled = true;
            if (timer != null) {
                timer.cancel();
            }
        }
    }
}
