package io.syncexec.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.stepfunctions.asl.State;
import io.syncexec.stepfunctions.intrinsics.IntrinsicCall;
import io.syncexec.stepfunctions.intrinsics.IntrinsicException;
import io.syncexec.stepfunctions.intrinsics.IntrinsicParser;
import io.syncexec.stepfunctions.intrinsics.Intrinsics;
import io.syncexec.stepfunctions.jsonpath.JsonPaths;
import io.syncexec.stepfunctions.jsonpath.ReferencePath;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;

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

    Execution execution() {
        return frame.execution();
    }

    /** The context object ($$) for this state entry. */
    ObjectNode context(int retryCount) {
        Execution execution = frame.execution();
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

    JsonNode effectiveInput() {
        String path = state.inputPath();
        if (path == null) {
            return NODES.objectNode();
        }
        return readPath(path, rawInput, context(0));
    }

    JsonNode output(JsonNode value) {
        String path = state.outputPath();
        if (path == null) {
            return NODES.objectNode();
        }
        return readPath(path, value, context(0));
    }

    private JsonNode readPath(String path, JsonNode input, JsonNode context) {
        try {
            return JsonPaths.read(path, input, context);
        } catch (JsonPaths.NotFound e) {
            throw runtime("Invalid path '" + path + "' : " + e.getMessage());
        }
    }

    JsonNode applyResultPath(String resultPath, JsonNode result) {
        if (resultPath == null) {
            return rawInput;
        }
        try {
            return ReferencePath.parse(resultPath).write(rawInput, result);
        } catch (IllegalStateException e) {
            throw new StatesError(StatesError.RESULT_PATH_MATCH_FAILURE, "An error occurred while executing the state '"
                    + state.name() + "' (entered at the event id #" + enteredEventId + "). " + e.getMessage());
        }
    }

    /** Evaluates a payload template (Parameters, ItemSelector, ResultSelector) against {@code input}. */
    JsonNode template(JsonNode template, JsonNode input, JsonNode context) {
        if (template.isObject()) {
            ObjectNode out = NODES.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                if (key.endsWith(".$")) {
                    out.set(key.substring(0, key.length() - 2), expression(key, field.getValue().asText(), input, context));
                } else {
                    out.set(key, template(field.getValue(), input, context));
                }
            }
            return out;
        }
        if (template.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode out = NODES.arrayNode();
            template.forEach(item -> out.add(template(item, input, context)));
            return out;
        }
        return template;
    }

    /** A path or an intrinsic call in a field named {@code field} (for the error message). */
    JsonNode expression(String field, String expression, JsonNode input, JsonNode context) {
        try {
            if (IntrinsicParser.looksLikeCall(expression)) {
                IntrinsicCall call = IntrinsicParser.parse(expression);
                return Intrinsics.evaluate(call, input, context);
            }
            return JsonPaths.read(expression, input, context);
        } catch (JsonPaths.NotFound e) {
            throw runtime("The JSONPath '" + expression + "' specified for the field '" + field
                    + "' could not be found in the input '" + input + "'");
        } catch (IntrinsicException e) {
            throw new StatesError(StatesError.INTRINSIC_FAILURE, "An error occurred while executing the state '"
                    + state.name() + "' (entered at the event id #" + enteredEventId + "). " + e.getMessage());
        }
    }
}
