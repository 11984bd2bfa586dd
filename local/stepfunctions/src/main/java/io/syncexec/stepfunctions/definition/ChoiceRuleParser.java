package io.syncexec.stepfunctions.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.stepfunctions.jsonpath.JsonPaths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Parses a Choice state's {@code Choices} into {@link ChoiceRule}s, recording what is wrong with them. */
final class ChoiceRuleParser {

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

    private final Problems problems;

    ChoiceRuleParser(Problems problems) {
        this.problems = problems;
    }

    List<ChoiceState.Choice> choices(JsonNode json, String at) {
        JsonNode choices = json.get("Choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
            problems.add("SCHEMA_VALIDATION_FAILED: The field 'Choices' must be a non-empty array", at);
            return List.of();
        }
        List<ChoiceState.Choice> parsed = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            JsonNode rule = choices.get(i);
            if (!rule.hasNonNull("Next")) {
                problems.add("SCHEMA_VALIDATION_FAILED: A choice rule needs 'Next'", at + "/Choices/" + i);
            }
            ChoiceRule parsedRule = rule(rule, at + "/Choices/" + i, true);
            parsed.add(new ChoiceState.Choice(parsedRule, rule.hasNonNull("Next") ? rule.get("Next").asText() : null));
        }
        return List.copyOf(parsed);
    }

    /** The rule, or null when it is not one (the problem is recorded). */
    private ChoiceRule rule(JsonNode rule, String at, boolean topLevel) {
        if (!rule.isObject()) {
            problems.add("SCHEMA_VALIDATION_FAILED: A choice rule must be an object", at);
            return null;
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
                problems.add("UNSUPPORTED_FEATURE: Choice rule field '" + field + "' (JSONata/variables) is not "
                        + "implemented by this Step Functions stand-in", at + "/" + field);
            } else {
                problems.add("SCHEMA_VALIDATION_FAILED: Unknown choice rule field '" + field + "'", at + "/" + field);
            }
        }
        if (operators.size() != 1) {
            problems.add("SCHEMA_VALIDATION_FAILED: A choice rule needs exactly one comparison or And/Or/Not", at);
            return null;
        }
        String operator = operators.get(0);
        JsonNode operand = rule.get(operator);
        return switch (operator) {
            case "And" -> new ChoiceRule.And(rules(operator, operand, at));
            case "Or" -> new ChoiceRule.Or(rules(operator, operand, at));
            case "Not" -> new ChoiceRule.Not(rule(operand, at + "/Not", false));
            default -> comparison(rule, operator, operand, at);
        };
    }

    private List<ChoiceRule> rules(String operator, JsonNode operand, String at) {
        if (!operand.isArray() || operand.isEmpty()) {
            problems.add("SCHEMA_VALIDATION_FAILED: '" + operator + "' needs a non-empty array", at);
            return List.of();
        }
        List<ChoiceRule> rules = new ArrayList<>();
        for (int i = 0; i < operand.size(); i++) {
            rules.add(rule(operand.get(i), at + "/" + operator + "/" + i, false));
        }
        return Collections.unmodifiableList(rules);
    }

    private ChoiceRule comparison(JsonNode rule, String operator, JsonNode operand, String at) {
        JsonNode variable = rule.get("Variable");
        if (variable == null || !variable.isTextual() || !JsonPaths.isValid(variable.asText())) {
            problems.add("SCHEMA_VALIDATION_FAILED: A comparison needs a valid 'Variable' path", at);
        }
        boolean path = operator.endsWith("Path");
        if (path && (!operand.isTextual() || !JsonPaths.isValid(operand.asText()))) {
            problems.add("SCHEMA_VALIDATION_FAILED: '" + operator + "' needs a valid path", at + "/" + operator);
        } else if (operator.startsWith("Is") || operator.startsWith("Boolean")) {
            if (!path && !operand.isBoolean()) {
                problems.add("SCHEMA_VALIDATION_FAILED: '" + operator + "' needs a boolean", at + "/" + operator);
            }
        } else if (operator.startsWith("Numeric") && !path && !operand.isNumber()) {
            problems.add("SCHEMA_VALIDATION_FAILED: '" + operator + "' needs a number", at + "/" + operator);
        } else if ((operator.startsWith("String") || operator.startsWith("Timestamp")) && !path && !operand.isTextual()) {
            problems.add("SCHEMA_VALIDATION_FAILED: '" + operator + "' needs a string", at + "/" + operator);
        }
        ComparisonOperator comparator = ComparisonOperator.valueOf(
                path ? operator.substring(0, operator.length() - "Path".length()) : operator);
        return new ChoiceRule.Comparison(variable == null ? null : variable.asText(), comparator,
                path ? null : operand, path ? operand.asText() : null);
    }
}
