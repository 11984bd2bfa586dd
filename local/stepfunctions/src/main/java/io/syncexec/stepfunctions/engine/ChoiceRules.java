package io.syncexec.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.stepfunctions.jsonpath.JsonPaths;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;

/**
 * Evaluates Choice rules. A comparison between values of the wrong types is false, as in AWS; a
 * Variable that does not exist is false for IsPresent and a States.Runtime error otherwise.
 */
final class ChoiceRules {

    private final StateRun run;
    private final JsonNode input;
    private final JsonNode context;

    ChoiceRules(StateRun run, JsonNode input, JsonNode context) {
        this.run = run;
        this.input = input;
        this.context = context;
    }

    boolean matches(JsonNode rule) {
        if (rule.has("And")) {
            for (JsonNode inner : rule.get("And")) {
                if (!matches(inner)) {
                    return false;
                }
            }
            return true;
        }
        if (rule.has("Or")) {
            for (JsonNode inner : rule.get("Or")) {
                if (matches(inner)) {
                    return true;
                }
            }
            return false;
        }
        if (rule.has("Not")) {
            return !matches(rule.get("Not"));
        }
        String operator = operator(rule);
        String variablePath = rule.get("Variable").asText();
        JsonNode expected = rule.get(operator);
        JsonNode value;
        try {
            value = JsonPaths.read(variablePath, input, context);
        } catch (JsonPaths.NotFound e) {
            if (operator.equals("IsPresent")) {
                return !expected.asBoolean();
            }
            throw run.runtime("Invalid path '" + variablePath + "': The choice state's condition path references an "
                    + "invalid value.");
        }
        if (operator.endsWith("Path")) {
            String path = expected.asText();
            try {
                expected = JsonPaths.read(path, input, context);
            } catch (JsonPaths.NotFound e) {
                throw run.runtime("Invalid path '" + path + "': The choice state's condition path references an "
                        + "invalid value.");
            }
            operator = operator.substring(0, operator.length() - "Path".length());
        }
        return compare(operator, value, expected);
    }

    private static String operator(JsonNode rule) {
        Iterator<String> names = rule.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!name.equals("Variable") && !name.equals("Next") && !name.equals("Comment")) {
                return name;
            }
        }
        throw new IllegalStateException("validated rule without an operator");
    }

    private static boolean compare(String operator, JsonNode value, JsonNode expected) {
        switch (operator) {
            case "IsPresent":
                return expected.asBoolean();
            case "IsNull":
                return value.isNull() == expected.asBoolean();
            case "IsNumeric":
                return value.isNumber() == expected.asBoolean();
            case "IsString":
                return value.isTextual() == expected.asBoolean();
            case "IsBoolean":
                return value.isBoolean() == expected.asBoolean();
            case "IsTimestamp":
                return (timestamp(value) != null) == expected.asBoolean();
            case "BooleanEquals":
                return value.isBoolean() && expected.isBoolean() && value.asBoolean() == expected.asBoolean();
            case "StringMatches":
                return value.isTextual() && expected.isTextual() && glob(expected.asText(), value.asText());
            default:
                break;
        }
        Integer order = order(operator, value, expected);
        if (order == null) {
            return false;
        }
        if (operator.endsWith("LessThanEquals")) {
            return order <= 0;
        }
        if (operator.endsWith("GreaterThanEquals")) {
            return order >= 0;
        }
        if (operator.endsWith("LessThan")) {
            return order < 0;
        }
        if (operator.endsWith("GreaterThan")) {
            return order > 0;
        }
        return order == 0;
    }

    /** The ordering of value against expected, or null when their types do not fit the comparator. */
    private static Integer order(String operator, JsonNode value, JsonNode expected) {
        if (operator.startsWith("String")) {
            return value.isTextual() && expected.isTextual() ? Integer.signum(value.asText().compareTo(expected.asText())) : null;
        }
        if (operator.startsWith("Numeric")) {
            return value.isNumber() && expected.isNumber() ? value.decimalValue().compareTo(expected.decimalValue()) : null;
        }
        if (operator.startsWith("Timestamp")) {
            OffsetDateTime left = timestamp(value);
            OffsetDateTime right = timestamp(expected);
            return left != null && right != null ? left.toInstant().compareTo(right.toInstant()) : null;
        }
        return null;
    }

    static OffsetDateTime timestamp(JsonNode value) {
        if (!value.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** StringMatches: {@code *} matches any run of characters; {@code \*} and {@code \\} are literal. */
    private static boolean glob(String pattern, String text) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return text.matches("(?s)" + regex);
    }
}
