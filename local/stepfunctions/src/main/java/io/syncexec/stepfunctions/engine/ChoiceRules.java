package io.syncexec.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.stepfunctions.definition.ChoiceRule;
import io.syncexec.stepfunctions.definition.ComparisonOperator;
import io.syncexec.stepfunctions.jsonpath.JsonPaths;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

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

    boolean matches(ChoiceRule rule) {
        return switch (rule) {
            case ChoiceRule.And and -> and.rules().stream().allMatch(this::matches);
            case ChoiceRule.Or or -> or.rules().stream().anyMatch(this::matches);
            case ChoiceRule.Not not -> !matches(not.rule());
            case ChoiceRule.Comparison comparison -> matches(comparison);
        };
    }

    private boolean matches(ChoiceRule.Comparison comparison) {
        ComparisonOperator operator = comparison.operator();
        JsonNode value;
        try {
            value = JsonPaths.read(comparison.variable(), input, context);
        } catch (JsonPaths.NotFound e) {
            if (operator == ComparisonOperator.IsPresent) {
                return !comparison.value().asBoolean();
            }
            throw run.runtime("Invalid path '" + comparison.variable() + "': The choice state's condition path "
                    + "references an invalid value.");
        }
        JsonNode expected = comparison.value();
        if (comparison.valuePath() != null) {
            try {
                expected = JsonPaths.read(comparison.valuePath(), input, context);
            } catch (JsonPaths.NotFound e) {
                throw run.runtime("Invalid path '" + comparison.valuePath() + "': The choice state's condition path "
                        + "references an invalid value.");
            }
        }
        return compare(operator, value, expected);
    }

    private static boolean compare(ComparisonOperator operator, JsonNode value, JsonNode expected) {
        return switch (operator) {
            case IsPresent -> expected.asBoolean();
            case IsNull -> value.isNull() == expected.asBoolean();
            case IsNumeric -> value.isNumber() == expected.asBoolean();
            case IsString -> value.isTextual() == expected.asBoolean();
            case IsBoolean -> value.isBoolean() == expected.asBoolean();
            case IsTimestamp -> (timestamp(value) != null) == expected.asBoolean();
            case BooleanEquals -> value.isBoolean() && expected.isBoolean() && value.asBoolean() == expected.asBoolean();
            case StringMatches -> value.isTextual() && expected.isTextual() && glob(expected.asText(), value.asText());
            case StringEquals, NumericEquals, TimestampEquals -> holds(operator, value, expected, order -> order == 0);
            case StringLessThan, NumericLessThan, TimestampLessThan -> holds(operator, value, expected, order -> order < 0);
            case StringGreaterThan, NumericGreaterThan, TimestampGreaterThan ->
                    holds(operator, value, expected, order -> order > 0);
            case StringLessThanEquals, NumericLessThanEquals, TimestampLessThanEquals ->
                    holds(operator, value, expected, order -> order <= 0);
            case StringGreaterThanEquals, NumericGreaterThanEquals, TimestampGreaterThanEquals ->
                    holds(operator, value, expected, order -> order >= 0);
        };
    }

    /** Whether the ordering of value against expected passes {@code test}; false when their types do not fit. */
    private static boolean holds(ComparisonOperator operator, JsonNode value, JsonNode expected, IntPredicate test) {
        Integer order = switch (operator) {
            case StringEquals, StringLessThan, StringGreaterThan, StringLessThanEquals, StringGreaterThanEquals ->
                    value.isTextual() && expected.isTextual()
                            ? Integer.signum(value.asText().compareTo(expected.asText())) : null;
            case NumericEquals, NumericLessThan, NumericGreaterThan, NumericLessThanEquals, NumericGreaterThanEquals ->
                    value.isNumber() && expected.isNumber() ? value.decimalValue().compareTo(expected.decimalValue()) : null;
            default -> {
                OffsetDateTime left = timestamp(value);
                OffsetDateTime right = timestamp(expected);
                yield left != null && right != null ? left.toInstant().compareTo(right.toInstant()) : null;
            }
        };
        return order != null && test.test(order);
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
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return text.matches("(?s)" + regex);
    }
}
