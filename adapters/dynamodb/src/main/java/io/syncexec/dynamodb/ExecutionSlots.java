package io.syncexec.dynamodb;

import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionRepository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.syncexec.dynamodb.Attributes.n;
import static io.syncexec.dynamodb.ExecutionItems.key;

/**
 * The slots of a run: at most {@code cap} workers import its dates at once (its sync's
 * {@code connector.limits.maxConcurrentDates}; a sync has one active run, invariant 4, so the run's
 * cap is the sync's). {@code slots} on the execution item maps each holder to its lease end (epoch
 * ms). A worker enters with the conditional write that also reads the execution (ALL_NEW, in place
 * of the read it made anyway) and leaves in its counter add ({@link ExecutionOutcomes}): the cap
 * costs no request on the path that imports. A worker that dies leaves a lease that the next
 * worker finding the run full removes once it has expired: slots come back by themselves.
 */
record ExecutionSlots(DynamoDbClient dynamo, String table) {

    ExecutionRepository.SlotEntry enter(String clientId, String syncId, String executionId, String holder, int cap,
                                        Instant now, Instant leaseUntil) {
        for (int attempt = 0; ; attempt++) {
            try {
                Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId, executionId))
                        .updateExpression("SET slots.#h = :until")
                        .conditionExpression("attribute_exists(executionId) AND size(slots) < :cap")
                        .expressionAttributeNames(Map.of("#h", holder))
                        .expressionAttributeValues(Map.of(":until", n(leaseUntil.toEpochMilli()), ":cap", n(cap)))
                        .returnValues(ReturnValue.ALL_NEW)).attributes();
                return new ExecutionRepository.SlotEntry(ExecutionItems.execution(item), true, 0, null);
            } catch (ConditionalCheckFailedException e) {
                // Full, or gone: the read below says which.
            } catch (DynamoDbException e) {
                if (e.statusCode() != 400) {
                    throw e;
                }
                // No slots map yet (the run's first worker): added below.
            }
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(clientId, syncId, executionId))
                    .consistentRead(true)).item();
            if (item == null || item.isEmpty()) {
                return null;
            }
            Execution execution = ExecutionItems.execution(item);
            Map<String, AttributeValue> slots = item.containsKey("slots") ? item.get("slots").m() : null;
            if (slots == null) {
                addSlots(clientId, syncId, executionId);
            } else if (!removeExpired(clientId, syncId, executionId, slots, now) || attempt == 1) {
                Instant first = slots.values().stream().map(v -> Instant.ofEpochMilli(Long.parseLong(v.n())))
                        .min(Instant::compareTo).orElse(now);
                return new ExecutionRepository.SlotEntry(execution, false, slots.size(), first);
            }
            if (attempt == 1) {
                return new ExecutionRepository.SlotEntry(execution, false, 0, now);
            }
        }
    }

    /** Gives a slot back (when the counter add could not): safe to repeat. */
    void leave(String clientId, String syncId, String executionId, String holder) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId, executionId))
                    .updateExpression("REMOVE slots.#h")
                    .conditionExpression("attribute_exists(executionId)")
                    .expressionAttributeNames(Map.of("#h", holder)));
        } catch (ConditionalCheckFailedException e) {
            // The execution is gone: no slot to give back.
        }
    }

    private boolean removeExpired(String clientId, String syncId, String executionId, Map<String, AttributeValue> slots, Instant now) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> removes = new ArrayList<>();
        slots.forEach((holder, until) -> {
            if (Long.parseLong(until.n()) <= now.toEpochMilli()) {
                int i = names.size();
                names.put("#e" + i, holder);
                values.put(":e" + i, until);
                removes.add("slots.#e" + i);
            }
        });
        if (removes.isEmpty()) {
            return false;
        }
        List<String> conditions = removes.stream().map(path -> path + " = :" + path.substring("slots.#".length())).toList();
        try {
            // Only leases still as read: one renewed meanwhile stays.
            dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId, executionId))
                    .updateExpression("REMOVE " + String.join(", ", removes))
                    .conditionExpression(String.join(" AND ", conditions))
                    .expressionAttributeNames(names).expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            // Someone else removed them: try again anyway.
        }
        return true;
    }

    private void addSlots(String clientId, String syncId, String executionId) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId, executionId))
                    .updateExpression("SET slots = :empty")
                    .conditionExpression("attribute_exists(executionId) AND attribute_not_exists(slots)")
                    .expressionAttributeValues(Map.of(":empty", AttributeValue.fromM(Map.of()))));
        } catch (ConditionalCheckFailedException e) {
            // Added meanwhile.
        }
    }
}
