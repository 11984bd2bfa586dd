package io.syncexec.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.stepfunctions.definition.MapState;
import io.syncexec.stepfunctions.definition.ParallelState;
import io.syncexec.stepfunctions.definition.StatesBlock;
import io.syncexec.stepfunctions.definition.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One attempt of a Parallel or a Map state: runs its branches (or one iteration per item, at most
 * MaxConcurrency at a time) in a child scope, collects their outputs in order, and cancels the rest
 * at the first failure. Records the Parallel/Map events of the history. Retry and Catch around an
 * attempt are the {@link Interpreter}'s, as for a Task.
 */
final class BranchStates {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Runs a block of states (the interpreter's {@code runBlock}). */
    interface BlockRunner {
        CompletableFuture<JsonNode> run(Frame frame, StatesBlock block, JsonNode input);
    }

    private final BlockRunner blocks;

    BranchStates(BlockRunner blocks) {
        this.blocks = blocks;
    }

    CompletableFuture<JsonNode> parallel(StateRun run, ParallelState state, JsonNode effective, int retryCount) {
        JsonNode input = state.parameters() != null
                ? run.template(state.parameters(), effective, run.context(retryCount)) : effective;
        Scope scope = run.frame.scope().child();
        Frame branchFrame = new Frame(run.execution(), scope);
        History history = run.execution().history();
        history.add("ParallelStateStarted", null, null);
        List<Supplier<CompletableFuture<JsonNode>>> branches = new ArrayList<>();
        for (StatesBlock branch : state.branches()) {
            branches.add(() -> blocks.run(branchFrame, branch, input));
        }
        return all(branches, 0, scope).whenComplete((result, failure) -> history.add(
                failure == null ? "ParallelStateSucceeded" : "ParallelStateFailed", null, null));
    }

    CompletableFuture<JsonNode> map(StateRun run, MapState state, JsonNode effective, int retryCount) {
        ObjectNode context = run.context(retryCount);
        JsonNode items = state.itemsPath() != null ? Interpreter.read(run, effective, state.itemsPath()) : effective;
        if (!items.isArray()) {
            throw run.runtime("Item list is not a JSON array: " + items);
        }
        int maxConcurrency = state.maxConcurrency();
        if (state.maxConcurrencyPath() != null) {
            String path = state.maxConcurrencyPath();
            JsonNode value = Interpreter.read(run, effective, path);
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 0) {
                throw run.runtime("The MaxConcurrencyPath field refers to value \"" + (value.isTextual() ? value.asText()
                        : value.toString()) + "\" which is not a valid integer: " + path);
            }
            maxConcurrency = value.asInt();
        }
        Template selector = state.itemSelector();
        List<JsonNode> inputs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (selector == null) {
                inputs.add(items.get(i));
            } else {
                ObjectNode itemContext = context.deepCopy();
                ObjectNode item = itemContext.putObject("Map").putObject("Item");
                item.put("Index", i);
                item.set("Value", items.get(i));
                inputs.add(run.template(selector, effective, itemContext));
            }
        }
        History history = run.execution().history();
        ObjectNode started = NODES.objectNode().put("length", items.size());
        history.add("MapStateStarted", "mapStateStartedEventDetails", started);
        Scope scope = run.frame.scope().child();
        Frame itemFrame = new Frame(run.execution(), scope);
        List<Supplier<CompletableFuture<JsonNode>>> iterations = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            int index = i;
            iterations.add(() -> {
                ObjectNode iteration = NODES.objectNode().put("name", state.name()).put("index", index);
                history.add("MapIterationStarted", "mapIterationStartedEventDetails", iteration);
                return blocks.run(itemFrame, state.processor(), inputs.get(index)).whenComplete((out, failure) ->
                        history.add(failure == null ? "MapIterationSucceeded" : "MapIterationFailed",
                                failure == null ? "mapIterationSucceededEventDetails" : "mapIterationFailedEventDetails",
                                iteration));
            });
        }
        return all(iterations, maxConcurrency, scope).whenComplete((result, failure) -> history.add(
                failure == null ? "MapStateSucceeded" : "MapStateFailed", null, null));
    }

    /**
     * Runs the branches with at most {@code limit} at a time (0: no limit) and collects their
     * outputs in order; the first failure cancels the rest and fails the whole.
     */
    private static CompletableFuture<JsonNode> all(List<Supplier<CompletableFuture<JsonNode>>> branches, int limit,
                                                   Scope scope) {
        CompletableFuture<JsonNode> all = new CompletableFuture<>();
        int count = branches.size();
        if (count == 0) {
            all.complete(NODES.arrayNode());
            return all;
        }
        JsonNode[] results = new JsonNode[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Runnable[] launch = new Runnable[1];
        launch[0] = () -> {
            int index = next.getAndIncrement();
            if (index >= count || all.isDone()) {
                return;
            }
            branches.get(index).get().whenComplete((output, failure) -> {
                if (failure != null) {
                    scope.cancel();
                    all.completeExceptionally(Interpreter.unwrap(failure));
                    return;
                }
                results[index] = output;
                if (done.incrementAndGet() == count) {
                    ArrayNode array = NODES.arrayNode();
                    for (JsonNode result : results) {
                        array.add(result);
                    }
                    all.complete(array);
                } else {
                    launch[0].run();
                }
            });
        };
        int initial = limit <= 0 ? count : Math.min(limit, count);
        for (int i = 0; i < initial; i++) {
            launch[0].run();
        }
        return all;
    }
}
