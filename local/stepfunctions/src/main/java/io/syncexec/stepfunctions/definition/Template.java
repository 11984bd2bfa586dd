package io.syncexec.stepfunctions.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A payload template (Parameters, ItemSelector, ResultSelector) parsed once: objects and arrays
 * keep their shape, each {@code "key.$"} field becomes an {@link Expression} to evaluate.
 */
public sealed interface Template {

    /** A value copied as written. */
    record Constant(JsonNode value) implements Template {
    }

    /** An object; the keys are the output's ({@code .$} removed), in the definition's order. */
    record Fields(Map<String, Template> fields) implements Template {
    }

    record Items(List<Template> items) implements Template {
    }

    /** A {@code "key.$"} field: {@code field} is the key as written, for error messages. */
    record Dynamic(String field, Expression expression) implements Template {
    }
}
