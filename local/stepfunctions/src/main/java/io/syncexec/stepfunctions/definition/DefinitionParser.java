package io.syncexec.stepfunctions.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.stepfunctions.jsonpath.ReferencePath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a definition into {@link State} records, checking it against the ASL rules and against
 * what this interpreter implements: the parse is the validation. Every problem is collected, then
 * reported in one {@link InvalidDefinitionException} whose message names the field and where it
 * is, in AWS's {@code Invalid State Machine Definition} style.
 */
final class DefinitionParser {

    private static final Set<String> TOP_LEVEL = Set.of("StartAt", "States", "Comment", "Version", "TimeoutSeconds",
            "QueryLanguage");
    private static final Set<String> BLOCK = Set.of("StartAt", "States", "Comment", "ProcessorConfig", "QueryLanguage");
    private static final Set<String> IO = Set.of("Type", "Comment", "InputPath", "OutputPath", "QueryLanguage");
    private static final Set<String> FLOW = Set.of("Next", "End");
    private static final Set<String> RESULT = Set.of("Parameters", "ResultSelector", "ResultPath", "Retry", "Catch");
    private static final Map<StateType, Set<String>> FIELDS = Map.of(
            StateType.Pass, union(IO, FLOW, Set.of("Parameters", "Result", "ResultPath")),
            StateType.Task, union(IO, FLOW, RESULT, Set.of("Resource", "TimeoutSeconds", "TimeoutSecondsPath",
                    "HeartbeatSeconds", "HeartbeatSecondsPath")),
            StateType.Choice, union(IO, Set.of("Choices", "Default")),
            StateType.Wait, union(IO, FLOW, Set.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath")),
            StateType.Succeed, IO,
            StateType.Fail, Set.of("Type", "Comment", "Error", "ErrorPath", "Cause", "CausePath", "QueryLanguage"),
            StateType.Parallel, union(IO, FLOW, RESULT, Set.of("Branches")),
            StateType.Map, union(IO, FLOW, RESULT, Set.of("ItemsPath", "ItemSelector", "Iterator", "ItemProcessor",
                    "MaxConcurrency", "MaxConcurrencyPath")));
    private static final Set<String> RETRIER_FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts",
            "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment");
    private static final Set<String> CATCHER_FIELDS = Set.of("ErrorEquals", "Next", "ResultPath", "Comment");

    private final Problems problems = new Problems();
    private final ChoiceRuleParser choiceRules = new ChoiceRuleParser(problems);

    ParsedDefinition parse(JsonNode json) throws InvalidDefinitionException {
        if (!json.isObject()) {
            throw Problems.invalid(List.of("SCHEMA_VALIDATION_FAILED: the definition must be a JSON object"));
        }
        problems.checkQueryLanguage(json, "");
        problems.checkFields(json, TOP_LEVEL, "");
        Integer timeout = null;
        if (json.has("TimeoutSeconds")) {
            timeout = problems.positiveInteger(json.get("TimeoutSeconds"), "/TimeoutSeconds");
        }
        StatesBlock root = block(json, "");
        problems.throwIfAny();
        return new ParsedDefinition(root, timeout);
    }

    private StatesBlock block(JsonNode json, String at) {
        JsonNode startAt = json.get("StartAt");
        JsonNode statesJson = json.get("States");
        if (startAt == null || !startAt.isTextual()) {
            problems.add("SCHEMA_VALIDATION_FAILED: The field 'StartAt' is required", at);
        }
        if (statesJson == null || !statesJson.isObject() || statesJson.isEmpty()) {
            problems.add("SCHEMA_VALIDATION_FAILED: The field 'States' must be a non-empty object", at);
            return new StatesBlock(startAt == null ? "" : startAt.asText(), Map.of());
        }
        Map<String, State> states = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = statesJson.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            State state = state(entry.getKey(), entry.getValue(), at + "/States/" + entry.getKey());
            if (state != null) {
                states.put(entry.getKey(), state);
            }
        }
        if (startAt != null && !statesJson.has(startAt.asText())) {
            problems.add("MISSING_TRANSITION_TARGET: State \"" + startAt.asText() + "\" is not found", at + "/StartAt");
        }
        for (State state : states.values()) {
            checkTargets(state, statesJson, at + "/States/" + state.name());
        }
        return new StatesBlock(startAt == null ? "" : startAt.asText(), Collections.unmodifiableMap(states));
    }

    private void checkTargets(State state, JsonNode states, String at) {
        switch (state) {
            case PassState pass -> checkNext(pass.next(), states, at);
            case WaitState wait -> checkNext(wait.next(), states, at);
            case RetryableState retryable -> {
                checkNext(retryable.next(), states, at);
                for (Catcher catcher : retryable.result().catchers()) {
                    if (!states.has(catcher.next())) {
                        problems.add("MISSING_TRANSITION_TARGET: Missing 'Next' target: " + catcher.next(), at + "/Catch");
                    }
                }
            }
            case ChoiceState choice -> {
                for (ChoiceState.Choice rule : choice.choices()) {
                    if (rule.next() != null && !states.has(rule.next())) {
                        problems.add("MISSING_TRANSITION_TARGET: Missing 'Next' target: " + rule.next(), at + "/Choices");
                    }
                }
                if (choice.defaultNext() != null && !states.has(choice.defaultNext())) {
                    problems.add("MISSING_TRANSITION_TARGET: Missing 'Default' target: " + choice.defaultNext(),
                            at + "/Default");
                }
            }
            case SucceedState ignored -> {
            }
            case FailState ignored -> {
            }
        }
    }

    private void checkNext(String next, JsonNode states, String at) {
        if (next != null && !states.has(next)) {
            problems.add("MISSING_TRANSITION_TARGET: Missing 'Next' target: " + next, at + "/Next");
        }
    }

    private State state(String name, JsonNode json, String at) {
        if (!json.isObject()) {
            problems.add("SCHEMA_VALIDATION_FAILED: a state must be an object", at);
            return null;
        }
        StateType type;
        try {
            type = StateType.valueOf(json.path("Type").asText());
        } catch (IllegalArgumentException e) {
            problems.add("SCHEMA_VALIDATION_FAILED: Unsupported state type '" + json.path("Type").asText() + "'", at + "/Type");
            return null;
        }
        problems.checkQueryLanguage(json, at);
        problems.checkFields(json, FIELDS.get(type), at);

        String next = json.hasNonNull("Next") ? json.get("Next").asText() : null;
        boolean end = json.path("End").asBoolean(false);
        boolean terminal = type == StateType.Choice || type == StateType.Succeed || type == StateType.Fail;
        if (!terminal && (next == null) == !end) {
            problems.add("SCHEMA_VALIDATION_FAILED: exactly one of 'Next' or 'End: true' is required", at);
        }
        IoPaths io = new IoPaths(problems.path(json, "InputPath", at), problems.path(json, "OutputPath", at));
        Parts parts = new Parts(name, json, at, io, next, problems.resultPath(json, at),
                problems.template(json, "Parameters", at), problems.template(json, "ResultSelector", at),
                problems.template(json, "ItemSelector", at));
        return switch (type) {
            case Pass -> new PassState(name, io, next, json.get("Result"), parts.parameters(), parts.resultPath());
            case Task -> task(parts);
            case Choice -> new ChoiceState(name, io, choiceRules.choices(json, at),
                    json.hasNonNull("Default") ? json.get("Default").asText() : null);
            case Wait -> waitState(parts);
            case Succeed -> new SucceedState(name, io);
            case Fail -> failState(name, json, at);
            case Parallel -> parallel(parts);
            case Map -> map(parts);
        };
    }

    /** What every state type reads alike, handed to the parsers of the types that use it. */
    private record Parts(String name, JsonNode json, String at, IoPaths io, String next, ReferencePath resultPath,
                         Template parameters, Template resultSelector, Template itemSelector) {
    }

    private TaskState task(Parts parts) {
        JsonNode json = parts.json();
        String at = parts.at();
        TaskResource resource = null;
        JsonNode resourceJson = json.get("Resource");
        if (resourceJson == null || !resourceJson.isTextual()) {
            problems.add("SCHEMA_VALIDATION_FAILED: The field 'Resource' is required", at);
        } else {
            resource = resource(json, resourceJson.asText(), at);
        }
        problems.onlyOne(json, at, "TimeoutSeconds", "TimeoutSecondsPath");
        problems.onlyOne(json, at, "HeartbeatSeconds", "HeartbeatSecondsPath");
        Integer timeout = json.has("TimeoutSeconds")
                ? problems.positiveInteger(json.get("TimeoutSeconds"), at + "/TimeoutSeconds") : null;
        Integer heartbeat = json.has("HeartbeatSeconds")
                ? problems.positiveInteger(json.get("HeartbeatSeconds"), at + "/HeartbeatSeconds") : null;
        if (timeout != null && heartbeat != null && heartbeat >= timeout) {
            problems.add("SCHEMA_VALIDATION_FAILED: HeartbeatSeconds must be smaller than TimeoutSeconds",
                    at + "/HeartbeatSeconds");
        }
        String timeoutPath = problems.optionalPath(json, "TimeoutSecondsPath", at);
        String heartbeatPath = problems.optionalPath(json, "HeartbeatSecondsPath", at);
        return new TaskState(parts.name(), parts.io(), parts.next(), result(parts), resource, parts.parameters(),
                seconds(timeout, timeoutPath), seconds(heartbeat, heartbeatPath));
    }

    private static TaskState.Seconds seconds(Integer fixed, String path) {
        if (fixed != null) {
            return new TaskState.FixedSeconds(fixed);
        }
        return path == null ? null : new TaskState.SecondsPath(path);
    }

    private TaskResource resource(JsonNode json, String arn, String at) {
        TaskResource resource = TaskResource.parse(arn);
        if (resource == null) {
            problems.add("UNSUPPORTED_FEATURE: Task resource '" + arn + "' is not implemented by this Step Functions "
                    + "stand-in (it runs Lambda function ARNs, " + TaskResource.LAMBDA_INVOKE + "[.waitForTaskToken] and "
                    + TaskResource.SQS_SEND_MESSAGE + "[.waitForTaskToken])", at + "/Resource");
        }
        if (TaskResource.waitsForTaskToken(arn) && TaskResource.isLambdaFunctionArn(TaskResource.integration(arn))) {
            problems.add("SCHEMA_VALIDATION_FAILED: '.waitForTaskToken' needs a service integration resource",
                    at + "/Resource");
        }
        TaskResource.Integration integration = resource == null ? null : resource.integration();
        if (integration == TaskResource.Integration.LAMBDA_INVOKE && !hasParameter(json, "FunctionName")) {
            problems.add("SCHEMA_VALIDATION_FAILED: The field 'FunctionName' is required in 'Parameters'",
                    at + "/Parameters");
        }
        if (integration == TaskResource.Integration.SQS_SEND_MESSAGE
                && (!hasParameter(json, "QueueUrl") || !hasParameter(json, "MessageBody"))) {
            problems.add("SCHEMA_VALIDATION_FAILED: The fields 'QueueUrl' and 'MessageBody' are required in "
                    + "'Parameters'", at + "/Parameters");
        }
        return resource;
    }

    private static boolean hasParameter(JsonNode json, String name) {
        JsonNode parameters = json.get("Parameters");
        return parameters != null && (parameters.has(name) || parameters.has(name + ".$"));
    }

    private WaitState waitState(Parts parts) {
        JsonNode json = parts.json();
        String at = parts.at();
        int count = 0;
        for (String field : List.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath")) {
            count += json.has(field) ? 1 : 0;
        }
        if (count != 1) {
            problems.add("SCHEMA_VALIDATION_FAILED: A Wait state needs exactly one of Seconds, SecondsPath, Timestamp, "
                    + "TimestampPath", at);
        }
        JsonNode seconds = json.get("Seconds");
        if (seconds != null && (!seconds.canConvertToLong() || seconds.asLong() < 0 || !seconds.isIntegralNumber())) {
            problems.add("SCHEMA_VALIDATION_FAILED: 'Seconds' must be a non-negative integer", at + "/Seconds");
        }
        String secondsPath = problems.path(json, "SecondsPath", at);
        String timestampPath = problems.path(json, "TimestampPath", at);
        WaitState.Until until;
        if (seconds != null) {
            until = new WaitState.Seconds(seconds.asLong());
        } else if (json.has("SecondsPath")) {
            until = new WaitState.SecondsPath(secondsPath);
        } else if (json.has("Timestamp")) {
            until = new WaitState.Timestamp(json.get("Timestamp"));
        } else {
            until = new WaitState.TimestampPath(timestampPath);
        }
        return new WaitState(parts.name(), parts.io(), parts.next(), until);
    }

    private FailState failState(String name, JsonNode json, String at) {
        problems.onlyOne(json, at, "Error", "ErrorPath");
        problems.onlyOne(json, at, "Cause", "CausePath");
        return new FailState(name, text(json, "Error"), failPath(json, "ErrorPath", at),
                text(json, "Cause"), failPath(json, "CausePath", at));
    }

    private Expression failPath(JsonNode json, String field, String at) {
        JsonNode value = json.get(field);
        return value == null ? null : problems.expression(value, at + "/" + field,
                "SCHEMA_VALIDATION_FAILED: '" + field + "' must be a path or an intrinsic function");
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private ParallelState parallel(Parts parts) {
        JsonNode branches = parts.json().get("Branches");
        List<StatesBlock> blocks = new ArrayList<>();
        if (branches == null || !branches.isArray() || branches.isEmpty()) {
            problems.add("SCHEMA_VALIDATION_FAILED: The field 'Branches' must be a non-empty array", parts.at());
        } else {
            for (int i = 0; i < branches.size(); i++) {
                problems.checkFields(branches.get(i), BLOCK, parts.at() + "/Branches/" + i);
                blocks.add(block(branches.get(i), parts.at() + "/Branches/" + i));
            }
        }
        return new ParallelState(parts.name(), parts.io(), parts.next(), result(parts), parts.parameters(),
                List.copyOf(blocks));
    }

    private MapState map(Parts parts) {
        JsonNode json = parts.json();
        String at = parts.at();
        if (json.has("ItemSelector") && json.has("Parameters")) {
            problems.add("SCHEMA_VALIDATION_FAILED: 'ItemSelector' and 'Parameters' cannot both be used", at);
        }
        problems.onlyOne(json, at, "Iterator", "ItemProcessor");
        problems.onlyOne(json, at, "MaxConcurrency", "MaxConcurrencyPath");
        String itemsPath = problems.optionalPath(json, "ItemsPath", at);
        String maxConcurrencyPath = problems.optionalPath(json, "MaxConcurrencyPath", at);
        JsonNode maxConcurrency = json.get("MaxConcurrency");
        if (maxConcurrency != null && (!maxConcurrency.isIntegralNumber() || maxConcurrency.asInt() < 0)) {
            problems.add("SCHEMA_VALIDATION_FAILED: 'MaxConcurrency' must be a non-negative integer",
                    at + "/MaxConcurrency");
        }
        StatesBlock processor = processor(json, at);
        return new MapState(parts.name(), parts.io(), parts.next(), result(parts), itemsPath,
                parts.itemSelector() != null ? parts.itemSelector() : parts.parameters(),
                maxConcurrency == null ? 0 : maxConcurrency.asInt(), maxConcurrencyPath, processor);
    }

    private StatesBlock processor(JsonNode json, String at) {
        String field = json.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
        JsonNode processor = json.get(field);
        if (processor == null || !processor.isObject()) {
            problems.add("SCHEMA_VALIDATION_FAILED: A Map state needs 'ItemProcessor' (or 'Iterator')", at);
            return new StatesBlock("", Map.of());
        }
        problems.checkFields(processor, BLOCK, at + "/" + field);
        JsonNode config = processor.get("ProcessorConfig");
        if (config != null) {
            String mode = config.path("Mode").asText("INLINE");
            if (!mode.equals("INLINE")) {
                problems.add("UNSUPPORTED_FEATURE: Map ProcessorConfig Mode '" + mode + "' (Distributed Map) is not "
                        + "implemented by this Step Functions stand-in", at + "/" + field + "/ProcessorConfig/Mode");
            }
            Iterator<String> names = config.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!name.equals("Mode")) {
                    problems.add("UNSUPPORTED_FEATURE: Map ProcessorConfig '" + name + "' (Distributed Map) is not "
                            + "implemented by this Step Functions stand-in", at + "/" + field + "/ProcessorConfig");
                }
            }
        }
        return block(processor, at + "/" + field);
    }

    private ResultHandling result(Parts parts) {
        return new ResultHandling(parts.resultSelector(), parts.resultPath(), retriers(parts.json(), parts.at()),
                catchers(parts.json(), parts.at()));
    }

    private List<Retrier> retriers(JsonNode json, String at) {
        return errorHandlers(json, "Retry", RETRIER_FIELDS, at, (entry, errors, where) -> {
            int maxAttempts = entry.has("MaxAttempts")
                    ? problems.nonNegativeInteger(entry.get("MaxAttempts"), where + "/MaxAttempts") : 3;
            int interval = entry.has("IntervalSeconds")
                    ? problems.positiveInteger(entry.get("IntervalSeconds"), where + "/IntervalSeconds") : 1;
            double backoff = entry.path("BackoffRate").asDouble(2.0);
            if (entry.has("BackoffRate") && (!entry.get("BackoffRate").isNumber() || backoff < 1.0)) {
                problems.add("SCHEMA_VALIDATION_FAILED: 'BackoffRate' must be a number >= 1.0", where + "/BackoffRate");
            }
            Integer maxDelay = entry.has("MaxDelaySeconds")
                    ? problems.positiveInteger(entry.get("MaxDelaySeconds"), where + "/MaxDelaySeconds") : null;
            String jitter = entry.path("JitterStrategy").asText("NONE");
            if (!jitter.equals("FULL") && !jitter.equals("NONE")) {
                problems.add("SCHEMA_VALIDATION_FAILED: 'JitterStrategy' must be FULL or NONE", where + "/JitterStrategy");
            }
            return new Retrier(errors, maxAttempts, interval, backoff, maxDelay, jitter.equals("FULL"));
        });
    }

    private List<Catcher> catchers(JsonNode json, String at) {
        return errorHandlers(json, "Catch", CATCHER_FIELDS, at, (entry, errors, where) -> {
            if (!entry.hasNonNull("Next")) {
                problems.add("SCHEMA_VALIDATION_FAILED: A catcher needs 'Next'", where);
            }
            return new Catcher(errors, entry.path("Next").asText(), problems.resultPath(entry, where));
        });
    }

    /** Parses one entry of a Retry or Catch list, given its checked ErrorEquals and where it is. */
    private interface ErrorHandlerParser<T> {
        T parse(JsonNode entry, List<String> errorEquals, String at);
    }

    /** The Retry or Catch list ({@code field}): an array of entries, each with ErrorEquals. */
    private <T> List<T> errorHandlers(JsonNode json, String field, Set<String> allowed, String at,
                                      ErrorHandlerParser<T> parser) {
        JsonNode list = json.get(field);
        if (list == null) {
            return List.of();
        }
        if (!list.isArray()) {
            problems.add("SCHEMA_VALIDATION_FAILED: '" + field + "' must be an array", at + "/" + field);
            return List.of();
        }
        List<T> parsed = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode entry = list.get(i);
            String where = at + "/" + field + "/" + i;
            problems.checkFields(entry, allowed, where);
            List<String> errors = errorEquals(entry, where, i == list.size() - 1);
            parsed.add(parser.parse(entry, errors, where));
        }
        return List.copyOf(parsed);
    }

    private List<String> errorEquals(JsonNode entry, String at, boolean last) {
        JsonNode errorsJson = entry.get("ErrorEquals");
        if (errorsJson == null || !errorsJson.isArray() || errorsJson.isEmpty()) {
            problems.add("SCHEMA_VALIDATION_FAILED: 'ErrorEquals' must be a non-empty array", at);
            return List.of();
        }
        List<String> errors = new ArrayList<>();
        errorsJson.forEach(error -> errors.add(error.asText()));
        if (errors.contains("States.ALL") && (errors.size() > 1 || !last)) {
            problems.add("SCHEMA_VALIDATION_FAILED: 'States.ALL' must appear alone, in the last entry", at + "/ErrorEquals");
        }
        return List.copyOf(errors);
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }
}
