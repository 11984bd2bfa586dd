package io.syncexec.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way this package makes a conditional write (PutItem, UpdateItem, DeleteItem of one
 * item). Each asks DynamoDB for the item as it was when the condition failed
 * ({@code ReturnValuesOnConditionCheckFailure.ALL_OLD}: no read capacity, no second request), and
 * answers with a {@link Result} instead of a {@link ConditionalCheckFailedException}: written, or
 * not written and the item the condition saw (empty when there was none). Callers decide from it
 * rather than read the item again.
 *
 * <p>Expressions name every attribute through a placeholder ({@code #status}, {@code #slots.#h}),
 * never raw, so no attribute name can collide with a reserved word; a raw name is refused before
 * the request leaves. A placeholder stands for the attribute of the same name unless
 * {@link Write#name} says otherwise; the request carries that map, with exactly the placeholders
 * the expressions use.
 */
record ConditionalWrite(DynamoDbClient dynamo, String table) {
    private static final Pattern PLACEHOLDER = Pattern.compile("#([A-Za-z0-9_]+)");
    private static final Pattern WORD = Pattern.compile("[#:]?[A-Za-z_][A-Za-z0-9_]*");
    /** Words of DynamoDB's expression grammar: keywords (any case) and functions (as written). */
    private static final Set<String> KEYWORDS = Set.of("SET", "REMOVE", "ADD", "DELETE", "AND", "OR", "NOT", "IN", "BETWEEN");
    private static final Set<String> FUNCTIONS = Set.of("attribute_exists", "attribute_not_exists", "attribute_type",
            "begins_with", "contains", "size", "if_not_exists", "list_append");

    /**
     * What a conditional write did.
     *
     * @param written    whether the condition held and the item was written
     * @param attributes when written, what the write returned ({@link Write#returning}; empty for NONE)
     * @param old        when not written, the item as the condition saw it; empty when there was none
     */
    record Result(boolean written, Map<String, AttributeValue> attributes, Map<String, AttributeValue> old) {
        /** Whether an item was there when the condition failed. */
        boolean existed() {
            return !old.isEmpty();
        }
    }

    /** An UpdateItem of the item under {@code key}. */
    Write update(Map<String, AttributeValue> key, String updateExpression) {
        return new Write(Kind.UPDATE, key, updateExpression);
    }

    /** A PutItem of {@code item}. */
    Write put(Map<String, AttributeValue> item) {
        return new Write(Kind.PUT, item, null);
    }

    /** A DeleteItem of the item under {@code key}. */
    Write delete(Map<String, AttributeValue> key) {
        return new Write(Kind.DELETE, key, null);
    }

    private enum Kind { UPDATE, PUT, DELETE }

    /** One conditional write being described; {@link #run()} sends it. */
    final class Write {
        private final Kind kind;
        private final Map<String, AttributeValue> keyOrItem;
        private final String updateExpression;
        private final Map<String, String> aliases = new HashMap<>();
        private String condition;
        private Map<String, AttributeValue> values = Map.of();
        private ReturnValue returning = ReturnValue.NONE;

        private Write(Kind kind, Map<String, AttributeValue> keyOrItem, String updateExpression) {
            this.kind = kind;
            this.keyOrItem = keyOrItem;
            this.updateExpression = updateExpression;
        }

        /** The condition, attributes named by placeholders. Required. */
        Write when(String conditionExpression) {
            this.condition = conditionExpression;
            return this;
        }

        /** The expressions' {@code :values}. */
        Write values(Map<String, AttributeValue> expressionValues) {
            this.values = expressionValues;
            return this;
        }

        /** {@code placeholder} (e.g. {@code "#h"}) stands for {@code attribute}, not for the attribute of its own name. */
        Write name(String placeholder, String attribute) {
            aliases.put(placeholder, attribute);
            return this;
        }

        /** What a successful UpdateItem returns (NONE unless given). */
        Write returning(ReturnValue returnValue) {
            this.returning = returnValue;
            return this;
        }

        /** Sends the write: written, or not and the item as the condition saw it. */
        Result run() {
            try {
                return new Result(true, send(), Map.of());
            } catch (ConditionalCheckFailedException e) {
                return new Result(false, Map.of(), e.hasItem() ? e.item() : Map.of());
            }
        }

        /**
         * Sends the write where a failed condition is an error, not an answer: it throws the
         * {@link ConditionalCheckFailedException} (with the item as it was).
         *
         * @return what the write returned
         */
        Map<String, AttributeValue> runOrThrow() {
            return send();
        }

        private Map<String, AttributeValue> send() {
            if (condition == null || condition.isBlank()) {
                throw new IllegalArgumentException("a conditional write needs a condition");
            }
            Map<String, String> placeholders = names(aliases, updateExpression, condition);
            Map<String, String> names = placeholders.isEmpty() ? null : placeholders;
            Map<String, AttributeValue> expressionValues = values.isEmpty() ? null : values;
            ReturnValuesOnConditionCheckFailure allOld = ReturnValuesOnConditionCheckFailure.ALL_OLD;
            Map<String, AttributeValue> attributes = switch (kind) {
                case UPDATE -> dynamo.updateItem(r -> r.tableName(table).key(keyOrItem)
                        .updateExpression(updateExpression).conditionExpression(condition)
                        .expressionAttributeNames(names).expressionAttributeValues(expressionValues)
                        .returnValues(returning).returnValuesOnConditionCheckFailure(allOld)).attributes();
                case PUT -> dynamo.putItem(r -> r.tableName(table).item(keyOrItem).conditionExpression(condition)
                        .expressionAttributeNames(names).expressionAttributeValues(expressionValues)
                        .returnValuesOnConditionCheckFailure(allOld)).attributes();
                case DELETE -> dynamo.deleteItem(r -> r.tableName(table).key(keyOrItem).conditionExpression(condition)
                        .expressionAttributeNames(names).expressionAttributeValues(expressionValues)
                        .returnValuesOnConditionCheckFailure(allOld)).attributes();
            };
            return attributes == null ? Map.of() : attributes;
        }
    }

    /**
     * The placeholders {@code expressions} use and the attributes they stand for (the attribute of
     * the placeholder's name, unless {@code aliases} maps it); a raw attribute name is refused.
     * Also for the package's unconditional writes that share an expression with a conditional one.
     */
    static Map<String, String> names(Map<String, String> aliases, String... expressions) {
        Map<String, String> names = new LinkedHashMap<>();
        for (String expression : expressions) {
            if (expression == null) {
                continue;
            }
            refuseRawNames(expression);
            Matcher placeholder = PLACEHOLDER.matcher(expression);
            while (placeholder.find()) {
                names.put(placeholder.group(), aliases.getOrDefault(placeholder.group(), placeholder.group(1)));
            }
        }
        if (!names.keySet().containsAll(aliases.keySet())) {
            throw new IllegalArgumentException("named but unused: " + aliases.keySet() + " in " + names.keySet());
        }
        return names;
    }

    /** Throws if {@code expression} names an attribute without a placeholder. */
    private static void refuseRawNames(String expression) {
        Matcher word = WORD.matcher(expression);
        while (word.find()) {
            String w = word.group();
            boolean rawName = w.charAt(0) != '#' && w.charAt(0) != ':'
                    && !KEYWORDS.contains(w.toUpperCase(Locale.ROOT)) && !FUNCTIONS.contains(w);
            if (rawName) {
                throw new IllegalArgumentException("attribute '" + w + "' without a placeholder in: " + expression);
            }
        }
    }
}
