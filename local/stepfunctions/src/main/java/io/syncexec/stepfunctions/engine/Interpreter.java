package io.syncexec.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.stepfunctions.definition.Catcher;
import io.syncexec.stepfunctions.definition.ChoiceState;
import io.syncexec.stepfunctions.definition.Expression;
import io.syncexec.stepfunctions.definition.FailState;
import io.syncexec.stepfunctions.definition.MapState;
import io.syncexec.stepfunctions.definition.ParallelState;
import io.syncexec.stepfunctions.definition.PassState;
import io.syncexec.stepfunctions.definition.ResultHandling;
import io.syncexec.stepfunctions.definition.Retrier;
import io.syncexec.stepfunctions.definition.RetryableState;
import io.syncexec.stepfunctions.definition.State;
import io.syncexec.stepfunctions.definition.StatesBlock;
import io.syncexec.stepfunctions.definition.SucceedState;
import io.syncexec.stepfunctions.definition.TaskState;
import io.syncexec.stepfunctions.definition.WaitState;
import io.syncexec.stepfunctions.jsonpath.JsonPaths;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs blocks of states asynchronously: every state runs on a worker thread, and waiting (Wait
 * states, retry intervals, callbacks) holds no thread. A block's future completes with its output,
 * or exceptionally with a {@link StatesError} (or a {@link CancellationException} once its scope
 * is cancelled).
 */
final class Interpreter {

    static final int PAYLOAD_LIMIT_BYTES = 256 * 1024;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Scheduler scheduler;
    private final Executor workers;
    private final TaskStates tasks;
    private final BranchStates branches = new BranchStates(this::runBlock);

    Interpreter(Scheduler scheduler, Executor workers, TaskStates tasks) {
        this.scheduler = scheduler;
        this.workers = workers;
        this.tasks = tasks;
    }

    /** A state's outcome: the next state's name (null at the end of the block) and the output. */
    private record Step(String next, JsonNode output) {
    }

    CompletableFuture<JsonNode> runBlock(Frame frame, StatesBlock block, JsonNode input) {
        return runFrom(frame, block, block.startAt(), input);
    }

    private CompletableFuture<JsonNode> runFrom(Frame frame, StatesBlock block, String name, JsonNode input) {
        return CompletableFuture.supplyAsync(() -> block.state(name), workers)
                .thenCompose(state -> {
                    if (frame.scope().isCancelled()) {
                        throw new CancellationException("stopped");
                    }
                    return runState(frame, state, input);
                })
                .thenCompose(step -> step.next() == null
                        ? CompletableFuture.completedFuture(step.output())
                        : runFrom(frame, block, step.next(), step.output()));
    }

    private CompletableFuture<Step> runState(Frame frame, State state, JsonNode input) {
        History history = frame.execution().history();
        Instant entered = scheduler.now();
        long enteredId = history.add(state.type() + "StateEntered", "stateEnteredEventDetails",
                nameAnd(state.name(), "input", input));
        StateRun run = new StateRun(frame, state, input, enteredId, entered);
        CompletableFuture<Step> step;
        try {
            step = switch (state) {
                case PassState pass -> CompletableFuture.completedFuture(pass(run, pass));
                case ChoiceState choice -> CompletableFuture.completedFuture(choice(run, choice));
                case SucceedState succeed -> CompletableFuture.completedFuture(
                        new Step(null, run.output(succeed.io(), run.effectiveInput(succeed.io()))));
                case FailState fail -> CompletableFuture.failedFuture(fail(run, fail));
                case WaitState wait -> waitState(run, wait);
                case RetryableState retryable -> withRetryAndCatch(run, retryable);
            };
        } catch (StatesError e) {
            step = CompletableFuture.failedFuture(e);
        }
        return step.thenApply(done -> {
            checkSize(run, done.output());
            history.add(state.type() + "StateExited", "stateExitedEventDetails", nameAnd(state.name(), "output", done.output()));
            return done;
        });
    }

    private static Step pass(StateRun run, PassState pass) {
        JsonNode effective = run.effectiveInput(pass.io());
        JsonNode result;
        if (pass.result() != null) {
            result = pass.result();
        } else if (pass.parameters() != null) {
            result = run.template(pass.parameters(), effective, run.context(0));
        } else {
            result = effective;
        }
        return new Step(pass.next(), run.output(pass.io(), run.applyResultPath(pass.resultPath(), result)));
    }

    private static Step choice(StateRun run, ChoiceState state) {
        JsonNode effective = run.effectiveInput(state.io());
        ChoiceRules rules = new ChoiceRules(run, effective, run.context(0));
        String next = null;
        for (ChoiceState.Choice choice : state.choices()) {
            if (rules.matches(choice.rule())) {
                next = choice.next();
                break;
            }
        }
        if (next == null) {
            next = state.defaultNext();
        }
        if (next == null) {
            throw new StatesError(StatesError.NO_CHOICE_MATCHED, "An error occurred while executing the state '"
                    + state.name() + "' (entered at the event id #" + run.enteredEventId
                    + "). Failed to find a rule to apply to the input '" + effective + "'");
        }
        return new Step(next, run.output(state.io(), effective));
    }

    private static StatesError fail(StateRun run, FailState fail) {
        return new StatesError(failField(run, fail.error(), "ErrorPath", fail.errorPath()),
                failField(run, fail.cause(), "CausePath", fail.causePath()));
    }

    private static String failField(StateRun run, String constant, String pathField, Expression path) {
        if (constant != null || path == null) {
            return constant;
        }
        JsonNode value = run.expression(pathField, path, run.rawInput, run.context(0));
        return value.isTextual() ? value.asText() : value.toString();
    }

    private CompletableFuture<Step> waitState(StateRun run, WaitState state) {
        JsonNode effective = run.effectiveInput(state.io());
        Duration delay = switch (state.until()) {
            case WaitState.Seconds seconds -> Duration.ofSeconds(seconds.seconds());
            case WaitState.SecondsPath path -> Duration.ofSeconds(secondsFromPath(run, effective, "SecondsPath", path.path()));
            case WaitState.Timestamp timestamp -> until(run, "Timestamp",
                    timestamp.value().isNull() ? null : timestamp.value().asText(), timestamp.value());
            case WaitState.TimestampPath path -> until(run, "TimestampPath", path.path(), read(run, effective, path.path()));
        };
        return delay(delay).thenApply(ignored -> {
            if (run.frame.scope().isCancelled()) {
                throw new CancellationException("stopped");
            }
            return new Step(state.next(), run.output(state.io(), effective));
        });
    }

    /** The time from now until the timestamp {@code value}, which {@code field} ({@code text} as written) gave. */
    private Duration until(StateRun run, String field, String text, JsonNode value) {
        OffsetDateTime until = ChoiceRules.timestamp(value);
        if (until == null) {
            throw run.runtime("The " + field + " parameter does not reference a valid ISO-8601 extended offset "
                    + "date-time format string: " + describe(text, value));
        }
        return Duration.between(scheduler.now(), until.toInstant());
    }

    /** Reads a whole number of seconds at {@code path} for {@code field} (SecondsPath, TimeoutSecondsPath, ...). */
    static long secondsFromPath(StateRun run, JsonNode effective, String field, String path) {
        JsonNode value = read(run, effective, path);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw run.runtime("The " + field + " parameter cannot be parsed as a long value: " + describe(path, value));
        }
        if (value.asLong() < 0) {
            throw run.runtime("The " + field + " parameter references a negative value: " + describe(path, value));
        }
        return value.asLong();
    }

    private static String describe(String path, JsonNode value) {
        return path + " == " + (value.isTextual() ? value.asText() : value.toString());
    }

    static JsonNode read(StateRun run, JsonNode input, String path) {
        try {
            return JsonPaths.read(path, input, run.context(0));
        } catch (JsonPaths.NotFound e) {
            throw run.runtime("Invalid path '" + path + "' : " + e.getMessage());
        }
    }

    private CompletableFuture<Step> withRetryAndCatch(StateRun run, RetryableState state) {
        ResultHandling handling = state.result();
        JsonNode effective = run.effectiveInput(state.io());
        int[] attempts = new int[handling.retriers().size()];
        return attempt(run, state, effective, 0, attempts)
                .thenApply(result -> {
                    JsonNode selected = handling.resultSelector() != null
                            ? run.template(handling.resultSelector(), result, run.context(retries(attempts)))
                            : result;
                    return new Step(state.next(), run.output(state.io(), run.applyResultPath(handling.resultPath(), selected)));
                })
                .exceptionallyCompose(failure -> {
                    Throwable cause = unwrap(failure);
                    if (!(cause instanceof StatesError error)) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    for (Catcher catcher : handling.catchers()) {
                        if (error.matches(catcher.errorEquals())) {
                            ObjectNode errorOutput = NODES.objectNode();
                            if (error.error() != null) {
                                errorOutput.put("Error", error.error());
                            }
                            if (error.cause() != null) {
                                errorOutput.put("Cause", error.cause());
                            }
                            return CompletableFuture.completedFuture(
                                    new Step(catcher.next(), run.applyResultPath(catcher.resultPath(), errorOutput)));
                        }
                    }
                    return CompletableFuture.failedFuture(error);
                });
    }

    private static int retries(int[] attempts) {
        int total = 0;
        for (int count : attempts) {
            total += count;
        }
        return total;
    }

    private CompletableFuture<JsonNode> attempt(StateRun run, RetryableState state, JsonNode effective, int retryCount,
                                                int[] attempts) {
        CompletableFuture<JsonNode> once;
        try {
            once = switch (state) {
                case TaskState task -> tasks.run(run, task, effective, retryCount);
                case ParallelState parallel -> branches.parallel(run, parallel, effective, retryCount);
                case MapState map -> branches.map(run, map, effective, retryCount);
            };
        } catch (StatesError e) {
            once = CompletableFuture.failedFuture(e);
        }
        return once.exceptionallyCompose(failure -> {
            Throwable cause = unwrap(failure);
            if (!(cause instanceof StatesError error)) {
                return CompletableFuture.failedFuture(cause);
            }
            List<Retrier> retriers = state.result().retriers();
            for (int i = 0; i < retriers.size(); i++) {
                Retrier retrier = retriers.get(i);
                if (error.matches(retrier.errorEquals())) {
                    if (attempts[i] >= retrier.maxAttempts()) {
                        break;
                    }
                    Duration wait = retryInterval(retrier, attempts[i]);
                    attempts[i]++;
                    return delay(wait).thenCompose(ignored -> {
                        if (run.frame.scope().isCancelled()) {
                            throw new CancellationException("stopped");
                        }
                        return attempt(run, state, effective, retryCount + 1, attempts);
                    });
                }
            }
            return CompletableFuture.failedFuture(error);
        });
    }

    private static Duration retryInterval(Retrier retrier, int attemptsSoFar) {
        double seconds = retrier.intervalSeconds() * Math.pow(retrier.backoffRate(), attemptsSoFar);
        if (retrier.maxDelaySeconds() != null) {
            seconds = Math.min(seconds, retrier.maxDelaySeconds());
        }
        if (retrier.fullJitter()) {
            seconds = ThreadLocalRandom.current().nextDouble() * seconds;
        }
        return Duration.ofMillis((long) (seconds * 1000));
    }

    /** Completes on a worker after {@code delay} of scheduler time. */
    CompletableFuture<Void> delay(Duration delay) {
        if (delay.isNegative() || delay.isZero()) {
            return CompletableFuture.runAsync(() -> { }, workers);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        scheduler.schedule(delay, () -> workers.execute(() -> done.complete(null)));
        return done;
    }

    static void checkSize(StateRun run, JsonNode output) {
        if (output.toString().getBytes(StandardCharsets.UTF_8).length > PAYLOAD_LIMIT_BYTES) {
            throw new StatesError(StatesError.DATA_LIMIT_EXCEEDED, "The state/task '" + run.state.name()
                    + "' returned a result with a size exceeding the maximum number of bytes service limit.");
        }
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    static ObjectNode nameAnd(String name, String field, JsonNode value) {
        ObjectNode details = NODES.objectNode();
        details.put("name", name);
        details.put(field, value.toString());
        return details;
    }
}
