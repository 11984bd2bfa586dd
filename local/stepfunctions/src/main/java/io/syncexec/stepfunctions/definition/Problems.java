package io.syncexec.stepfunctions.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.stepfunctions.intrinsics.IntrinsicParser;
import io.syncexec.stepfunctions.jsonpath.JsonPaths;
import io.syncexec.stepfunctions.jsonpath.ReferencePath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The problems of one parse, and the readers of the field kinds that every state shares (paths,
 * integers, payload templates, expressions). A reader that finds a problem records it, with where
 * it is, and returns a placeholder so the parse goes on and reports every problem at once.
 */
final class Problems {

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

    private final List<String> problems = new ArrayList<>();

    void add(String message, String at) {
        problems.add(message + " at /" + (at.startsWith("/") ? at.substring(1) : at));
    }

    /** Throws the problems found so far, in AWS's {@code Invalid State Machine Definition} style. */
    void throwIfAny() throws InvalidDefinitionException {
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
    }

    static InvalidDefinitionException invalid(List<String> problems) {
        return new InvalidDefinitionException("Invalid State Machine Definition: '" + String.join("', '", problems) + "'");
    }

    void checkQueryLanguage(JsonNode json, String at) {
        JsonNode language = json.get("QueryLanguage");
        if (language != null && !language.asText().equals("JSONPath")) {
            add("UNSUPPORTED_FEATURE: QueryLanguage '" + language.asText() + "' is not implemented by this Step "
                    + "Functions stand-in (JSONPath only)", at + "/QueryLanguage");
        }
    }

    void checkFields(JsonNode json, Set<String> allowed, String at) {
        if (!json.isObject()) {
            add("SCHEMA_VALIDATION_FAILED: expected an object", at);
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
                add("UNSUPPORTED_FEATURE: " + feature + " is not implemented by this Step Functions stand-in", at + "/" + name);
            } else {
                add("SCHEMA_VALIDATION_FAILED: The field '" + name + "' is not supported here", at + "/" + name);
            }
        }
    }

    void onlyOne(JsonNode json, String at, String first, String second) {
        if (json.has(first) && json.has(second)) {
            add("SCHEMA_VALIDATION_FAILED: '" + first + "' and '" + second + "' cannot both be used", at);
        }
    }

    /** A JSONPath field: {@code "$"} when absent, null when it is the JSON {@code null}. */
    String path(JsonNode json, String field, String at) {
        if (!json.has(field)) {
            return "$";
        }
        JsonNode value = json.get(field);
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual() || !JsonPaths.isValid(value.asText())) {
            add("SCHEMA_VALIDATION_FAILED: The value for the field '" + field + "' must be a valid JSONPath", at + "/" + field);
            return "$";
        }
        return value.asText();
    }

    /** A path field that may be absent: null when it is (or when it is the JSON {@code null}). */
    String optionalPath(JsonNode json, String field, String at) {
        return json.has(field) ? path(json, field, at) : null;
    }

    /** A ResultPath: {@code $} when absent, null (discard) when it is the JSON {@code null}. */
    ReferencePath resultPath(JsonNode json, String at) {
        JsonNode value = json.get("ResultPath");
        if (value == null) {
            return ReferencePath.parse("$");
        }
        if (value.isNull()) {
            return null;
        }
        try {
            return ReferencePath.parse(value.asText());
        } catch (IllegalArgumentException e) {
            add("SCHEMA_VALIDATION_FAILED: The value for the field 'ResultPath' must be a valid ReferencePath", at + "/ResultPath");
            return ReferencePath.parse("$");
        }
    }

    Integer positiveInteger(JsonNode value, String at) {
        if (!value.isIntegralNumber() || value.asLong() <= 0 || value.asLong() > 99_999_999) {
            add("SCHEMA_VALIDATION_FAILED: expected a positive integer", at);
            return 1;
        }
        return value.asInt();
    }

    int nonNegativeInteger(JsonNode value, String at) {
        if (!value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > 99_999_999) {
            add("SCHEMA_VALIDATION_FAILED: expected a non-negative integer", at);
            return 0;
        }
        return value.asInt();
    }

    /** The payload template in {@code field}, or null when the state has none. */
    Template template(JsonNode json, String field, String at) {
        return json.has(field) ? template(json.get(field), at + "/" + field) : null;
    }

    private Template template(JsonNode template, String at) {
        if (template.isObject()) {
            Map<String, Template> fields = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> entries = template.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                String key = entry.getKey();
                String where = at + "/" + key;
                if (key.endsWith(".$")) {
                    Expression expression = expression(entry.getValue(), where, "SCHEMA_VALIDATION_FAILED: The value "
                            + "for the field '" + key + "' must be a valid JSONPath or a valid intrinsic function call");
                    fields.put(key.substring(0, key.length() - 2), new Template.Dynamic(key, expression));
                } else {
                    fields.put(key, template(entry.getValue(), where));
                }
            }
            return new Template.Fields(Collections.unmodifiableMap(fields));
        }
        if (template.isArray()) {
            List<Template> items = new ArrayList<>();
            for (int i = 0; i < template.size(); i++) {
                items.add(template(template.get(i), at + "/" + i));
            }
            return new Template.Items(List.copyOf(items));
        }
        return new Template.Constant(template);
    }

    /**
     * A JSONPath or an intrinsic function call. When it is neither, records {@code invalid} (or
     * what is wrong with the call) and returns null.
     */
    Expression expression(JsonNode value, String at, String invalid) {
        String text = value.isTextual() ? value.asText() : null;
        if (text != null && IntrinsicParser.looksLikeCall(text)) {
            try {
                return new Expression.Intrinsic(text, IntrinsicParser.parse(text));
            } catch (IllegalArgumentException e) {
                add("SCHEMA_VALIDATION_FAILED: " + e.getMessage(), at);
                return null;
            }
        }
        if (text != null && JsonPaths.isValid(text)) {
            return new Expression.Path(text);
        }
        add(invalid, at);
        return null;
    }
}
