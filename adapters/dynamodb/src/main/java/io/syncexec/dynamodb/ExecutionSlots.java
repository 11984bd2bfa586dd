package io.syncexec.dynamodb;

import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionRepository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
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
 * of the read it made anyway; when the run is full, the item as the condition saw it) and leaves in
 * its counter add ({@link ExecutionOutcomes}): the cap costs no request on the path that imports. A worker that dies leaves a lease that the next
 * worker finding the run full removes once it has expired: slots come back by themselves.
 */
record ExecutionSlots(DynamoDbClient dynamo, String table, ConditionalWrite writes) {

    ExecutionSlots(DynamoDbClient dynamo, String table) {
        this(dynamo, table, new ConditionalWrite(dynamo, table));
    }

    ExecutionRepository.SlotEntry enter(String clientId, String syncId, String executionId, String holder, int cap,
                                        Instant now, Instant leaseUntil) {
        Map<String, AttributeValue> key = key(clientId, syncId, executionId);
        for (int attempt = 0; ; attempt++) {
            Map<String, AttributeValue> item;
            try {
                ConditionalWrite.Result entered = writes.update(key, "SET #slots.#h = :until")
                        .when("attribute_exists(#executionId) AND size(#slots) < :cap")
                        .name("#h", holder)
                        .values(Map.of(":until", n(leaseUntil.toEpochMilli()), ":cap", n(cap)))
                        .returning(ReturnValue.ALL_NEW).run();
                if (entered.written()) {
                    return new ExecutionRepository.SlotEntry(ExecutionItems.execution(entered.attributes()), true, 0, null);
                }
                item = entered.old(); // full, or gone: the item as the condition saw it says which
            } catch (DynamoDbException e) {
                if (e.statusCode() != 400) {
                    throw e;
                }
                // No slots map yet (the run's first worker): added below, after a read of the run.
                item = dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true)).item();
            }
            if (item == null || item.isEmpty()) {
                return null;
            }
            Execution execution = ExecutionItems.execution(item);
            Map<String, AttributeValue> slots = item.containsKey("slots") ? item.get("slots").m() : null;
            if (slots == null) {
                addSlots(key);
            } else if (!removeExpired(key, slots, now) || attempt == 1) {
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
        // Not written: the execution is gone, no slot to give back.
        writes.update(key(clientId, syncId, executionId), "REMOVE #slots.#h")
                .when("attribute_exists(#executionId)")
                .name("#h", holder)
                .run();
    }

    private boolean removeExpired(Map<String, AttributeValue> key, Map<String, AttributeValue> slots, Instant now) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> removes = new ArrayList<>();
        slots.forEach((holder, until) -> {
            if (Long.parseLong(until.n()) <= now.toEpochMilli()) {
                int i = names.size();
                names.put("#e" + i, holder);
                values.put(":e" + i, until);
                removes.add("#slots.#e" + i);
            }
        });
        if (removes.isEmpty()) {
            return false;
        }
        List<String> conditions = removes.stream().map(path -> path + " = :" + path.substring("#slots.#".length())).toList();
        // Only leases still as read: one renewed meanwhile stays. Not written: someone else removed them; try again anyway.
        ConditionalWrite.Write remove = writes.update(key, "REMOVE " + String.join(", ", removes))
                .when(String.join(" AND ", conditions)).values(values);
        names.forEach(remove::name);
        remove.run();
        return true;
    }

    private void addSlots(Map<String, AttributeValue> key) {
        // Not written: added meanwhile.
        writes.update(key, "SET #slots = :empty")
                .when("attribute_exists(#executionId) AND attribute_not_exists(#slots)")
                .values(Map.of(":empty", AttributeValue.fromM(Map.of())))
                .run();
    }
}
