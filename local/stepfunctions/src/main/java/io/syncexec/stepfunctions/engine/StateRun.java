package io.syncexec.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.stepfunctions.definition.Expression;
import io.syncexec.stepfunctions.definition.IoPaths;
import io.syncexec.stepfunctions.definition.State;
import io.syncexec.stepfunctions.definition.Template;
import io.syncexec.stepfunctions.intrinsics.IntrinsicException;
import io.syncexec.stepfunctions.intrinsics.Intrinsics;
import io.syncexec.stepfunctions.jsonpath.JsonPaths;
import io.syncexec.stepfunctions.jsonpath.ReferencePath;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * One entry into one state: its raw input, the event id it was entered at, the context object,
 * and the input/output processing steps (InputPath, payload templates, ResultPath, OutputPath),
 * which fail with AWS's States.Runtime messages.
 */
final class StateRun {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    final Frame frame;
    final State state;
    final JsonNode rawInput;
    final long enteredEventId;
    final Instant enteredTime;

    StateRun(Frame frame, State state, JsonNode rawInput, long enteredEventId, Instant enteredTime) {
        this.frame = frame;
        this.state = state;
        this.rawInput = rawInput;
        this.enteredEventId = enteredEventId;
        this.enteredTime = enteredTime;
    }

    ExecutionRun execution() {
        return frame.execution();
    }

    /** The context object ($$) for this state entry. */
    ObjectNode context(int retryCount) {
        ExecutionRun execution = frame.execution();
        ObjectNode context = NODES.objectNode();
        ObjectNode exec = context.putObject("Execution");
        exec.put("Id", execution.arn());
        exec.set("Input", execution.input());
        exec.put("Name", execution.name());
        exec.put("RoleArn", execution.stateMachine().roleArn());
        exec.put("StartTime", timestamp(execution.startDate()));
        exec.put("RedriveCount", 0);
        ObjectNode stateNode = context.putObject("State");
        stateNode.put("EnteredTime", timestamp(enteredTime));
        stateNode.put("Name", state.name());
        stateNode.put("RetryCount", retryCount);
        ObjectNode machine = context.putObject("StateMachine");
        machine.put("Id", execution.stateMachine().arn());
        machine.put("Name", execution.stateMachine().name());
        return context;
    }

    static String timestamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    StatesError runtime(String message) {
        return new StatesError(StatesError.RUNTIME, "An error occurred while executing the state '" + state.name()
                + "' (entered at the event id #" + enteredEventId + "). " + message);
    }

    /** The input after InputPath. */
    JsonNode effectiveInput(IoPaths io) {
        if (io.inputPath() == null) {
            return NODES.objectNode();
        }
        return readPath(io.inputPath(), rawInput, context(0));
    }

    /** {@code value} after OutputPath. */
    JsonNode output(IoPaths io, JsonNode value) {
        if (io.outputPath() == null) {
            return NODES.objectNode();
        }
        return readPath(io.outputPath(), value, context(0));
    }

    private JsonNode readPath(String path, JsonNode input, JsonNode context) {
        try {
            return JsonPaths.read(path, input, context);
        } catch (JsonPaths.NotFound e) {
            throw runtime("Invalid path '" + path + "' : " + e.getMessage());
        }
    }

    JsonNode applyResultPath(ReferencePath resultPath, JsonNode result) {
        if (resultPath == null) {
            return rawInput;
        }
        try {
            return resultPath.write(rawInput, result);
        } catch (IllegalStateException e) {
            throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "An error occurred while executing the state '"
                    + state.name() + "' (entered at the event id #" + enteredEventId + "). " + e.getMessage());
        }
    }

    /** Evaluates a payload template (Parameters, ItemSelector, ResultSelector) against {@code input}. */
    JsonNode template(Template template, JsonNode input, JsonNode context) {
        return switch (template) {
            case Template.Constant constant -> constant.value();
            case Template.Fields fields -> {
                ObjectNode out = NODES.objectNode();
                fields.fields().forEach((key, value) -> out.set(key, template(value, input, context)));
                yield out;
            }
            case Template.Items items -> {
                ArrayNode out = NODES.arrayNode();
                items.items().forEach(item -> out.add(template(item, input, context)));
                yield out;
            }
            case Template.Dynamic dynamic -> expression(dynamic.field(), dynamic.expression(), input, context);
        };
    }

    /** A path or an intrinsic call in a field named {@code field} (for the error message). */
    JsonNode expression(String field, Expression expression, JsonNode input, JsonNode context) {
        try {
            return switch (expression) {
                case Expression.Intrinsic intrinsic -> Intrinsics.evaluate(intrinsic.call(), input, context);
                case Expression.Path path -> JsonPaths.read(path.text(), input, context);
            };
        } catch (JsonPaths.NotFound e) {
            throw runtime("The JSONPath '" + expression.text() + "' specified for the field '" + field
                    + "' could not be found in the input '" + input + "'");
        } catch (IntrinsicException e) {
            throw new StatesError(StatesError.INTRINSIC_FAILURE, "An error occurred while executing the state '"
                    + state.name() + "' (entered at the event id #" + enteredEventId + "). " + e.getMessage());
        }
    }
}
