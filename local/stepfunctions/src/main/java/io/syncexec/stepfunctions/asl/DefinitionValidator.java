package io.syncexec.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.stepfunctions.intrinsics.IntrinsicParser;
import io.syncexec.stepfunctions.jsonpath.JsonPaths;
import io.syncexec.stepfunctions.jsonpath.ReferencePath;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a definition against the ASL rules and against what this interpreter implements. Every
 * problem is collected, then reported in one {@link InvalidDefinitionException} whose message
 * names the field and where it is, in AWS's {@code Invalid State Machine Definition} style.
 */
final class DefinitionValidator {

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
    /** Real ASL fields that this interpreter does not implement, named so the refusal says what is missing. */
    private static final Map<String, String> UNSUPPORTED_FIELDS = Map.ofEntries(
            Map.entry("Arguments", "JSONata 'Arguments'"),
            Map.entry("Output", "JSONata 'Output'"),
            Map.entry("Assign", "variables ('Assign')"),
            Map.entry("Items", "JSONata 'Items'"),
            Map.entry("Credentials", "cross-account task 'Credentials'"),
            Map.entry("ItemReader", "Distributed Map 'ItemReader'"),
            Map.entry("ItemBatcher", "Distributed Map 'ItemBatcher'"),
            Map.entry("ResultWriter", "Distributed Map 'ResultWriter'"),
            Map.entry("ToleratedFailurePercentage", "Distributed Map 'ToleratedFailurePercentage'"),
            Map.entry("ToleratedFailurePercentagePath", "Distributed Map 'ToleratedFailurePercentagePath'"),
            Map.entry("ToleratedFailureCount", "Distributed Map 'ToleratedFailureCount'"),
            Map.entry("ToleratedFailureCountPath", "Distributed Map 'ToleratedFailureCountPath'"),
            Map.entry("Label", "Distributed Map 'Label'"));
    private static final Set<String> COMPARATORS = Set.of(
            "StringEquals", "StringEqualsPath", "StringLessThan", "StringLessThanPath", "StringGreaterThan",
            "StringGreaterThanPath", "StringLessThanEquals", "StringLessThanEqualsPath", "StringGreaterThanEquals",
            "StringGreaterThanEqualsPath", "StringMatches",
            "NumericEquals", "NumericEqualsPath", "NumericLessThan", "NumericLessThanPath", "NumericGreaterThan",
            "NumericGreaterThanPath", "NumericLessThanEquals", "NumericLessThanEqualsPath", "NumericGreaterThanEquals",
            "NumericGreaterThanEqualsPath",
            "BooleanEquals", "BooleanEqualsPath",
            "TimestampEquals", "TimestampEqualsPath", "TimestampLessThan", "TimestampLessThanPath",
            "TimestampGreaterThan", "TimestampGreaterThanPath", "TimestampLessThanEquals",
            "TimestampLessThanEqualsPath", "TimestampGreaterThanEquals", "TimestampGreaterThanEqualsPath",
            "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp");
    private static final Set<String> RETRIER_FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts",
            "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment");
    private static final Set<String> CATCHER_FIELDS = Set.of("ErrorEquals", "Next", "ResultPath", "Comment");

    private final List<String> problems = new ArrayList<>();

    StateMachineDefinition validate(JsonNode json) throws InvalidDefinitionException {
        if (!json.isObject()) {
            throw invalid(List.of("SCHEMA_VALIDATION_FAILED: the definition must be a JSON object"));
        }
        checkQueryLanguage(json, "");
        checkFields(json, TOP_LEVEL, "");
        Integer timeout = null;
        if (json.has("TimeoutSeconds")) {
            timeout = positiveInteger(json.get("TimeoutSeconds"), "/TimeoutSeconds");
        }
        StatesBlock root = block(json, "");
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return new StateMachineDefinition(root, timeout);
    }

    private static InvalidDefinitionException invalid(List<String> problems) {
        return new InvalidDefinitionException("Invalid State Machine Definition: '" + String.join("', '", problems) + "'");
    }

    private StatesBlock block(JsonNode json, String at) {
        JsonNode startAt = json.get("StartAt");
        JsonNode statesJson = json.get("States");
        if (startAt == null || !startAt.isTextual()) {
            problem("SCHEMA_VALIDATION_FAILED: The field 'StartAt' is required", at);
        }
        if (statesJson == null || !statesJson.isObject() || statesJson.isEmpty()) {
            problem("SCHEMA_VALIDATION_FAILED: The field 'States' must be a non-empty object", at);
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
            problem("MISSING_TRANSITION_TARGET: State \"" + startAt.asText() + "\" is not found", at + "/StartAt");
        }
        for (State state : states.values()) {
            String where = at + "/States/" + state.name();
            if (state.next() != null && !statesJson.has(state.next())) {
                problem("MISSING_TRANSITION_TARGET: Missing 'Next' target: " + state.next(), where + "/Next");
            }
            for (Catcher catcher : state.catchers()) {
                if (!statesJson.has(catcher.next())) {
                    problem("MISSING_TRANSITION_TARGET: Missing 'Next' target: " + catcher.next(), where + "/Catch");
                }
            }
            if (state.type() == StateType.Choice) {
                checkChoiceTargets(state, statesJson, where);
            }
        }
        return new StatesBlock(startAt == null ? "" : startAt.asText(), states);
    }

    private State state(String name, JsonNode json, String at) {
        if (!json.isObject()) {
            problem("SCHEMA_VALIDATION_FAILED: a state must be an object", at);
            return null;
        }
        StateType type;
        try {
            type = StateType.valueOf(json.path("Type").asText());
        } catch (IllegalArgumentException e) {
            problem("SCHEMA_VALIDATION_FAILED: Unsupported state type '" + json.path("Type").asText() + "'", at + "/Type");
            return null;
        }
        checkQueryLanguage(json, at);
        checkFields(json, FIELDS.get(type), at);

        String next = json.hasNonNull("Next") ? json.get("Next").asText() : null;
        boolean end = json.path("End").asBoolean(false);
        boolean terminal = type == StateType.Choice || type == StateType.Succeed || type == StateType.Fail;
        if (!terminal && (next == null) == !end) {
            problem("SCHEMA_VALIDATION_FAILED: exactly one of 'Next' or 'End: true' is required", at);
        }
        String inputPath = path(json, "InputPath", at);
        String outputPath = path(json, "OutputPath", at);
        String resultPath = "$";
        if (json.has("ResultPath")) {
            resultPath = json.get("ResultPath").isNull() ? null : referencePath(json.get("ResultPath"), at + "/ResultPath");
        }
        for (String template : List.of("Parameters", "ResultSelector", "ItemSelector")) {
            if (json.has(template)) {
                payloadTemplate(json.get(template), at + "/" + template);
            }
        }
        List<StatesBlock> branches = new ArrayList<>();
        switch (type) {
            case Task -> checkTask(json, at);
            case Choice -> checkChoice(json, at);
            case Wait -> checkWait(json, at);
            case Fail -> checkFail(json, at);
            case Parallel -> branches.addAll(checkParallel(json, at));
            case Map -> branches.add(checkMap(json, at));
            default -> {
            }
        }
        return new State(name, type, json, next, end, inputPath, outputPath, resultPath,
                retriers(json, at), catchers(json, at), List.copyOf(branches));
    }

    private void checkTask(JsonNode json, String at) {
        JsonNode resource = json.get("Resource");
        if (resource == null || !resource.isTextual()) {
            problem("SCHEMA_VALIDATION_FAILED: The field 'Resource' is required", at);
            return;
        }
        String arn = resource.asText();
        if (!Resources.isSupported(arn)) {
            problem("UNSUPPORTED_FEATURE: Task resource '" + arn + "' is not implemented by this Step Functions "
                    + "stand-in (it runs Lambda function ARNs, " + Resources.LAMBDA_INVOKE + "[.waitForTaskToken] and "
                    + Resources.SQS_SEND_MESSAGE + "[.waitForTaskToken])", at + "/Resource");
        }
        if (Resources.waitsForTaskToken(arn) && Resources.isLambdaFunctionArn(Resources.integration(arn))) {
            problem("SCHEMA_VALIDATION_FAILED: '.waitForTaskToken' needs a service integration resource", at + "/Resource");
        }
        String integration = Resources.integration(Resources.normalised(arn));
        if (integration.equals(Resources.LAMBDA_INVOKE) && !hasParameter(json, "FunctionName")) {
            problem("SCHEMA_VALIDATION_FAILED: The field 'FunctionName' is required in 'Parameters'", at + "/Parameters");
        }
        if (integration.equals(Resources.SQS_SEND_MESSAGE)
                && (!hasParameter(json, "QueueUrl") || !hasParameter(json, "MessageBody"))) {
            problem("SCHEMA_VALIDATION_FAILED: The fields 'QueueUrl' and 'MessageBody' are required in 'Parameters'",
                    at + "/Parameters");
        }
        onlyOne(json, at, "TimeoutSeconds", "TimeoutSecondsPath");
        onlyOne(json, at, "HeartbeatSeconds", "HeartbeatSecondsPath");
        Integer timeout = json.has("TimeoutSeconds") ? positiveInteger(json.get("TimeoutSeconds"), at + "/TimeoutSeconds") : null;
        Integer heartbeat = json.has("HeartbeatSeconds") ? positiveInteger(json.get("HeartbeatSeconds"), at + "/HeartbeatSeconds") : null;
        if (timeout != null && heartbeat != null && heartbeat >= timeout) {
            problem("SCHEMA_VALIDATION_FAILED: HeartbeatSeconds must be smaller than TimeoutSeconds", at + "/HeartbeatSeconds");
        }
        path(json, "TimeoutSecondsPath", at);
        path(json, "HeartbeatSecondsPath", at);
    }

    private static boolean hasParameter(JsonNode json, String name) {
        JsonNode parameters = json.get("Parameters");
        return parameters != null && (parameters.has(name) || parameters.has(name + ".$"));
    }

    private void checkChoice(JsonNode json, String at) {
        JsonNode choices = json.get("Choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            problem("SCHEMA_VALIDATION_FAILED: The field 'Choices' must be a non-empty array", at);
            return;
        }
        for (int i = 0; i < choices.size(); i++) {
            JsonNode rule = choices.get(i);
            if (!rule.hasNonNull("Next")) {
                problem("SCHEMA_VALIDATION_FAILED: A choice rule needs 'Next'", at + "/Choices/" + i);
            }
            choiceRule(rule, at + "/Choices/" + i, true);
        }
    }

    private void choiceRule(JsonNode rule, String at, boolean topLevel) {
        if (!rule.isObject()) {
            problem("SCHEMA_VALIDATION_FAILED: A choice rule must be an object", at);
            return;
        }
        List<String> operators = new ArrayList<>();
        Iterator<String> names = rule.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (field.equals("Variable") || field.equals("Comment") || (topLevel && field.equals("Next"))) {
                continue;
            }
            if (field.equals("And") || field.equals("Or") || field.equals("Not") || COMPARATORS.contains(field)) {
                operators.add(field);
            } else if (field.equals("Condition") || field.equals("Assign") || field.equals("Output")) {
                problem("UNSUPPORTED_FEATURE: Choice rule field '" + field + "' (JSONata/variables) is not implemented "
                        + "by this Step Functions stand-in", at + "/" + field);
            } else {
                problem("SCHEMA_VALIDATION_FAILED: Unknown choice rule field '" + field + "'", at + "/" + field);
            }
        }
        if (operators.size() != 1) {
            problem("SCHEMA_VALIDATION_FAILED: A choice rule needs exactly one comparison or And/Or/Not", at);
            return;
        }
        String operator = operators.get(0);
        JsonNode operand = rule.get(operator);
        switch (operator) {
            case "And", "Or" -> {
                if (!operand.isArray() || operand.isEmpty()) {
                    problem("SCHEMA_VALIDATION_FAILED: '" + operator + "' needs a non-empty array", at);
                } else {
                    for (int i = 0; i < operand.size(); i++) {
                        choiceRule(operand.get(i), at + "/" + operator + "/" + i, false);
                    }
                }
            }
            case "Not" -> choiceRule(operand, at + "/Not", false);
            default -> {
                JsonNode variable = rule.get("Variable");
                if (variable == null || !variable.isTextual() || !JsonPaths.isValid(variable.asText())) {
                    problem("SCHEMA_VALIDATION_FAILED: A comparison needs a valid 'Variable' path", at);
                }
                if (operator.endsWith("Path") && (!operand.isTextual() || !JsonPaths.isValid(operand.asText()))) {
                    problem("SCHEMA_VALIDATION_FAILED: '" + operator + "' needs a valid path", at + "/" + operator);
                } else if (operator.startsWith("Is") || operator.startsWith("Boolean")) {
                    if (!operator.endsWith("Path") && !operand.isBoolean()) {
                        problem("SCHEMA_VALIDATION_FAILED: '" + operator + "' needs a boolean", at + "/" + operator);
                    }
                } else if (operator.startsWith("Numeric") && !operator.endsWith("Path") && !operand.isNumber()) {
                    problem("SCHEMA_VALIDATION_FAILED: '" + operator + "' needs a number", at + "/" + operator);
                } else if ((operator.startsWith("String") || operator.startsWith("Timestamp"))
                        && !operator.endsWith("Path") && !operand.isTextual()) {
                    problem("SCHEMA_VALIDATION_FAILED: '" + operator + "' needs a string", at + "/" + operator);
                }
            }
        }
    }

    private void checkChoiceTargets(State state, JsonNode states, String at) {
        JsonNode choices = state.field("Choices");
        if (choices != null) {
            for (JsonNode rule : choices) {
                String next = rule.path("Next").asText();
                if (rule.has("Next") && !states.has(next)) {
                    problem("MISSING_TRANSITION_TARGET: Missing 'Next' target: " + next, at + "/Choices");
                }
            }
        }
        String fallback = state.text("Default");
        if (fallback != null && !states.has(fallback)) {
            problem("MISSING_TRANSITION_TARGET: Missing 'Default' target: " + fallback, at + "/Default");
        }
    }

    private void checkWait(JsonNode json, String at) {
        int count = 0;
        for (String field : List.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath")) {
            count += json.has(field) ? 1 : 0;
        }
        if (count != 1) {
            problem("SCHEMA_VALIDATION_FAILED: A Wait state needs exactly one of Seconds, SecondsPath, Timestamp, "
                    + "TimestampPath", at);
        }
        if (json.has("Seconds") && (!json.get("Seconds").canConvertToLong() || json.get("Seconds").asLong() < 0
                || !json.get("Seconds").isIntegralNumber())) {
            problem("SCHEMA_VALIDATION_FAILED: 'Seconds' must be a non-negative integer", at + "/Seconds");
        }
        path(json, "SecondsPath", at);
        path(json, "TimestampPath", at);
    }

    private void checkFail(JsonNode json, String at) {
        onlyOne(json, at, "Error", "ErrorPath");
        onlyOne(json, at, "Cause", "CausePath");
        for (String field : List.of("ErrorPath", "CausePath")) {
            JsonNode value = json.get(field);
            if (value != null && (!value.isTextual() || !pathOrIntrinsic(value.asText(), at + "/" + field))) {
                problem("SCHEMA_VALIDATION_FAILED: '" + field + "' must be a path or an intrinsic function", at + "/" + field);
            }
        }
    }

    private List<StatesBlock> checkParallel(JsonNode json, String at) {
        JsonNode branches = json.get("Branches");
        List<StatesBlock> blocks = new ArrayList<>();
        if (branches == null || !branches.isArray() || branches.isEmpty()) {
            problem("SCHEMA_VALIDATION_FAILED: The field 'Branches' must be a non-empty array", at);
            return blocks;
        }
        for (int i = 0; i < branches.size(); i++) {
            checkFields(branches.get(i), BLOCK, at + "/Branches/" + i);
            blocks.add(block(branches.get(i), at + "/Branches/" + i));
        }
        return blocks;
    }

    private StatesBlock checkMap(JsonNode json, String at) {
        if (json.has("ItemSelector") && json.has("Parameters")) {
            problem("SCHEMA_VALIDATION_FAILED: 'ItemSelector' and 'Parameters' cannot both be used", at);
        }
        onlyOne(json, at, "Iterator", "ItemProcessor");
        onlyOne(json, at, "MaxConcurrency", "MaxConcurrencyPath");
        path(json, "ItemsPath", at);
        path(json, "MaxConcurrencyPath", at);
        if (json.has("MaxConcurrency") && (!json.get("MaxConcurrency").isIntegralNumber()
                || json.get("MaxConcurrency").asInt() < 0)) {
            problem("SCHEMA_VALIDATION_FAILED: 'MaxConcurrency' must be a non-negative integer", at + "/MaxConcurrency");
        }
        String field = json.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
        JsonNode processor = json.get(field);
        if (processor == null || !processor.isObject()) {
            problem("SCHEMA_VALIDATION_FAILED: A Map state needs 'ItemProcessor' (or 'Iterator')", at);
            return new StatesBlock("", Map.of());
        }
        checkFields(processor, BLOCK, at + "/" + field);
        JsonNode config = processor.get("ProcessorConfig");
        if (config != null) {
            String mode = config.path("Mode").asText("INLINE");
            if (!mode.equals("INLINE")) {
                problem("UNSUPPORTED_FEATURE: Map ProcessorConfig Mode '" + mode + "' (Distributed Map) is not "
                        + "implemented by this Step Functions stand-in", at + "/" + field + "/ProcessorConfig/Mode");
            }
            Iterator<String> names = config.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!name.equals("Mode")) {
                    problem("UNSUPPORTED_FEATURE: Map ProcessorConfig '" + name + "' (Distributed Map) is not "
                            + "implemented by this Step Functions stand-in", at + "/" + field + "/ProcessorConfig");
                }
            }
        }
        return block(processor, at + "/" + field);
    }

    private List<Retrier> retriers(JsonNode json, String at) {
        List<Retrier> retriers = new ArrayList<>();
        JsonNode retry = json.get("Retry");
        if (retry == null) {
            return retriers;
        }
        if (!retry.isArray()) {
            problem("SCHEMA_VALIDATION_FAILED: 'Retry' must be an array", at + "/Retry");
            return retriers;
        }
        for (int i = 0; i < retry.size(); i++) {
            JsonNode entry = retry.get(i);
            String where = at + "/Retry/" + i;
            checkFields(entry, RETRIER_FIELDS, where);
            List<String> errors = errorEquals(entry, where, i == retry.size() - 1);
            int maxAttempts = entry.has("MaxAttempts") ? nonNegativeInteger(entry.get("MaxAttempts"), where + "/MaxAttempts") : 3;
            int interval = entry.has("IntervalSeconds") ? positiveInteger(entry.get("IntervalSeconds"), where + "/IntervalSeconds") : 1;
            double backoff = entry.path("BackoffRate").asDouble(2.0);
            if (entry.has("BackoffRate") && (!entry.get("BackoffRate").isNumber() || backoff < 1.0)) {
                problem("SCHEMA_VALIDATION_FAILED: 'BackoffRate' must be a number >= 1.0", where + "/BackoffRate");
            }
            Integer maxDelay = entry.has("MaxDelaySeconds")
                    ? positiveInteger(entry.get("MaxDelaySeconds"), where + "/MaxDelaySeconds") : null;
            String jitter = entry.path("JitterStrategy").asText("NONE");
            if (!jitter.equals("FULL") && !jitter.equals("NONE")) {
                problem("SCHEMA_VALIDATION_FAILED: 'JitterStrategy' must be FULL or NONE", where + "/JitterStrategy");
            }
            retriers.add(new Retrier(errors, maxAttempts, interval, backoff, maxDelay, jitter.equals("FULL")));
        }
        return retriers;
    }

    private List<Catcher> catchers(JsonNode json, String at) {
        List<Catcher> catchers = new ArrayList<>();
        JsonNode catchJson = json.get("Catch");
        if (catchJson == null) {
            return catchers;
        }
        if (!catchJson.isArray()) {
            problem("SCHEMA_VALIDATION_FAILED: 'Catch' must be an array", at + "/Catch");
            return catchers;
        }
        for (int i = 0; i < catchJson.size(); i++) {
            JsonNode entry = catchJson.get(i);
            String where = at + "/Catch/" + i;
            checkFields(entry, CATCHER_FIELDS, where);
            List<String> errors = errorEquals(entry, where, i == catchJson.size() - 1);
            if (!entry.hasNonNull("Next")) {
                problem("SCHEMA_VALIDATION_FAILED: A catcher needs 'Next'", where);
            }
            String resultPath = "$";
            if (entry.has("ResultPath")) {
                resultPath = entry.get("ResultPath").isNull() ? null : referencePath(entry.get("ResultPath"), where + "/ResultPath");
            }
            catchers.add(new Catcher(errors, entry.path("Next").asText(), resultPath));
        }
        return catchers;
    }

    private List<String> errorEquals(JsonNode entry, String at, boolean last) {
        JsonNode errorsJson = entry.get("ErrorEquals");
        List<String> errors = new ArrayList<>();
        if (errorsJson == null || !errorsJson.isArray() || errorsJson.isEmpty()) {
            problem("SCHEMA_VALIDATION_FAILED: 'ErrorEquals' must be a non-empty array", at);
            return errors;
        }
        errorsJson.forEach(error -> errors.add(error.asText()));
        if (errors.contains("States.ALL") && (errors.size() > 1 || !last)) {
            problem("SCHEMA_VALIDATION_FAILED: 'States.ALL' must appear alone, in the last entry", at + "/ErrorEquals");
        }
        return errors;
    }

    private void payloadTemplate(JsonNode template, String at) {
        if (template.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().endsWith(".$")) {
                    JsonNode value = field.getValue();
                    if (!value.isTextual() || !pathOrIntrinsic(value.asText(), at + "/" + field.getKey())) {
                        problem("SCHEMA_VALIDATION_FAILED: The value for the field '" + field.getKey()
                                + "' must be a valid JSONPath or a valid intrinsic function call", at + "/" + field.getKey());
                    }
                } else {
                    payloadTemplate(field.getValue(), at + "/" + field.getKey());
                }
            }
        } else if (template.isArray()) {
            for (int i = 0; i < template.size(); i++) {
                payloadTemplate(template.get(i), at + "/" + i);
            }
        }
    }

    private boolean pathOrIntrinsic(String value, String at) {
        if (IntrinsicParser.looksLikeCall(value)) {
            try {
                IntrinsicParser.parse(value);
                return true;
            } catch (IllegalArgumentException e) {
                problem("SCHEMA_VALIDATION_FAILED: " + e.getMessage(), at);
                return true;
            }
        }
        return JsonPaths.isValid(value);
    }

    private String path(JsonNode json, String field, String at) {
        if (!json.has(field)) {
            return "$";
        }
        JsonNode value = json.get(field);
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual() || !JsonPaths.isValid(value.asText())) {
            problem("SCHEMA_VALIDATION_FAILED: The value for the field '" + field + "' must be a valid JSONPath", at + "/" + field);
            return "$";
        }
        return value.asText();
    }

    private String referencePath(JsonNode value, String at) {
        try {
            return ReferencePath.parse(value.asText()).toString();
        } catch (IllegalArgumentException e) {
            problem("SCHEMA_VALIDATION_FAILED: The value for the field 'ResultPath' must be a valid ReferencePath", at);
            return "$";
        }
    }

    private void checkQueryLanguage(JsonNode json, String at) {
        JsonNode language = json.get("QueryLanguage");
        if (language != null && !language.asText().equals("JSONPath")) {
            problem("UNSUPPORTED_FEATURE: QueryLanguage '" + language.asText() + "' is not implemented by this Step "
                    + "Functions stand-in (JSONPath only)", at + "/QueryLanguage");
        }
    }

    private void checkFields(JsonNode json, Set<String> allowed, String at) {
        if (!json.isObject()) {
            problem("SCHEMA_VALIDATION_FAILED: expected an object", at);
            return;
        }
        Iterator<String> names = json.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (allowed.contains(name)) {
                continue;
            }
            String feature = UNSUPPORTED_FIELDS.get(name);
            if (feature != null) {
                problem("UNSUPPORTED_FEATURE: " + feature + " is not implemented by this Step Functions stand-in", at + "/" + name);
            } else {
                problem("SCHEMA_VALIDATION_FAILED: The field '" + name + "' is not supported here", at + "/" + name);
            }
        }
    }

    private void onlyOne(JsonNode json, String at, String first, String second) {
        if (json.has(first) && json.has(second)) {
            problem("SCHEMA_VALIDATION_FAILED: '" + first + "' and '" + second + "' cannot both be used", at);
        }
    }

    private Integer positiveInteger(JsonNode value, String at) {
        if (!value.isIntegralNumber() || value.asLong() <= 0 || value.asLong() > 99_999_999) {
            problem("SCHEMA_VALIDATION_FAILED: expected a positive integer", at);
            return 1;
        }
        return value.asInt();
    }

    private int nonNegativeInteger(JsonNode value, String at) {
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > 99_999_999) {
            problem("SCHEMA_VALIDATION_FAILED: expected a non-negative integer", at);
            return 0;
        }
        return value.asInt();
    }

    private void problem(String message, String at) {
        problems.add(message + " at /" + (at.startsWith("/") ? at.substring(1) : at));
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        java.util.HashSet<String> all = new java.util.HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }
}
