package io.syncexec.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;

/** JSON equality where numbers compare by value, so {@code 0} equals {@code 0.0}. */
final class JsonComparison {

    static final Comparator<JsonNode> NUMBERS_BY_VALUE = (left, right) -> {
        if (left.isNumber() && right.isNumber()) {
            return left.decimalValue().compareTo(right.decimalValue());
        }
        return left.equals(right) ? 0 : 1;
    };

    private JsonComparison() {
    }
}
