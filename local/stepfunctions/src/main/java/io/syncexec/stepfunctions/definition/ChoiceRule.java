package io.syncexec.stepfunctions.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A Choice rule: a boolean combination of comparisons of a Variable. */
public sealed interface ChoiceRule {

    record And(List<ChoiceRule> rules) implements ChoiceRule {
    }

    record Or(List<ChoiceRule> rules) implements ChoiceRule {
    }

    record Not(ChoiceRule rule) implements ChoiceRule {
    }

    /**
     * {@code Variable <operator> value}; for a {@code ...Path} operator the value is read from
     * {@code valuePath} at run time and {@code value} is null.
     */
    record Comparison(String variable, ComparisonOperator operator, JsonNode value, String valuePath)
            implements ChoiceRule {
    }
}
