package io.syncexec.sync;

import io.syncexec.connector.ConnectorLimits;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.syncexec.dynamodb.Items.n;
import static io.syncexec.dynamodb.Items.number;
import static io.syncexec.dynamodb.Items.s;

/**
 * How a sync's imports share its source, kept on the sync's own item with single-item conditional
 * writes (SPEC §10):
 * <ul>
 * <li>{@code slots}: a map of holder → lease end (epoch ms). A worker enters with one conditional
 *     write that also reads the sync ({@code size(slots) < maxConcurrentDates}, ALL_NEW), so the cap
 *     costs no read of its own; it leaves by removing its key. A worker that dies leaves a lease
 *     that the next worker finding the sync full removes once it has expired: slots come back by
 *     themselves, a counter could leak.</li>
 * <li>{@code pausedUntil} (epoch ms): the source asked to wait ({@code Retry-After}, or a back-off);
 *     nobody enters before it. {@code throttledAt}: when it last asked, so workers re-check the pause
 *     between dates only for syncs whose source throttles.</li>
 * <li>{@code paceAt} (epoch ms): the pacing of {@code requestsPerMinute}, as the generic cell rate
 *     algorithm keeps a token bucket in one number: the instant the next source call may start.</li>
 * </ul>
 */
public final class SourceGate {
    private final DynamoDbClient dynamo;
    private final String table;

    public SourceGate(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** What {@link #enter} answered. */
    public sealed interface Entry permits Admitted, Wait, Missing {
    }

    /**
     * A slot is held until {@code leaseUntil}: the sync as read by the same write, when its source
     * last throttled (null for never) and where its pacing stands (null before its first paced call).
     */
    public record Admitted(Sync sync, String holder, Instant throttledAt, Instant paceAt) implements Entry {
    }

    /**
     * No slot now: the source asked to wait until {@code until} ({@code paused}), or every slot is
     * held, the first lease ending at {@code until} at the latest.
     */
    public record Wait(boolean paused, Instant until, int held, int cap) implements Entry {
    }

    /** The sync does not exist (any more). */
    public record Missing() implements Entry {
    }

    /**
     * Takes one of the sync's slots for {@code holder} until {@code leaseUntil}, unless the source
     * asked to wait or all {@code maxConcurrentDates} slots are held. One conditional write that
     * returns the sync; when it is refused, one read, and one write removing expired leases before
     * a second try.
     */
    public Entry enter(String clientId, String syncId, String holder, Instant now, Instant leaseUntil) {
        for (int attempt = 0; ; attempt++) {
            try {
                Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId))
                        .updateExpression("SET slots.#h = :until")
                        .conditionExpression("attribute_exists(syncId) AND (attribute_not_exists(pausedUntil) OR pausedUntil <= :now)"
                                + " AND (size(slots) < maxConcurrentDates OR (attribute_not_exists(maxConcurrentDates) AND size(slots) < :cap))")
                        .expressionAttributeNames(Map.of("#h", holder))
                        .expressionAttributeValues(Map.of(":until", n(leaseUntil.toEpochMilli()), ":now", n(now.toEpochMilli()),
                                ":cap", n(ConnectorLimits.DEFAULT_MAX_CONCURRENT_DATES)))
                        .returnValues(ReturnValue.ALL_NEW)).attributes();
                return new Admitted(SyncRepository.sync(item), holder, millis(item, "throttledAt"), millis(item, "paceAt"));
            } catch (ConditionalCheckFailedException e) {
                // Paused, full, or gone: the read below says which.
            } catch (DynamoDbException e) {
                if (e.statusCode() != 400) {
                    throw e;
                }
                // A sync saved before it had slots: the map is added below.
            }
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(clientId, syncId)).consistentRead(true)).item();
            if (item == null || item.isEmpty()) {
                return new Missing();
            }
            Instant pausedUntil = millis(item, "pausedUntil");
            if (pausedUntil != null && pausedUntil.isAfter(now)) {
                return new Wait(true, pausedUntil, 0, 0);
            }
            int cap = SyncRepository.limits(item).maxConcurrentDates();
            Map<String, AttributeValue> slots = item.containsKey("slots") ? item.get("slots").m() : null;
            if (slots == null) {
                addSlots(clientId, syncId);
            } else if (!removeExpired(clientId, syncId, slots, now)) {
                Instant first = slots.values().stream().map(v -> Instant.ofEpochMilli(Long.parseLong(v.n())))
                        .min(Instant::compareTo).orElse(now);
                return new Wait(false, first, slots.size(), cap);
            }
            if (attempt == 1) {
                return new Wait(false, now, slots == null ? 0 : slots.size(), cap);
            }
        }
    }

    /** Gives the slot back. Safe to repeat; a no-op once the sync is gone. */
    public void leave(String clientId, String syncId, String holder) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId))
                    .updateExpression("REMOVE slots.#h")
                    .conditionExpression("attribute_exists(syncId)")
                    .expressionAttributeNames(Map.of("#h", holder)));
        } catch (ConditionalCheckFailedException e) {
            // The sync was removed meanwhile: no slot to give back.
        }
    }

    /** Nobody enters before {@code until}: the source asked to wait. Never moves an existing pause earlier. */
    public void pause(String clientId, String syncId, Instant until, Instant now) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId))
                    .updateExpression("SET pausedUntil = :until, throttledAt = :now")
                    .conditionExpression("attribute_exists(syncId) AND (attribute_not_exists(pausedUntil) OR pausedUntil < :until)")
                    .expressionAttributeValues(Map.of(":until", n(until.toEpochMilli()), ":now", n(now.toEpochMilli()))));
        } catch (ConditionalCheckFailedException e) {
            // Paused as long or longer already.
        }
    }

    /** Until when the sync's source asked to wait; null when it did not (or the sync is gone). */
    public Instant pausedUntil(String clientId, String syncId) {
        return new SyncRepository(dynamo, table).sourcePausedUntil(clientId, syncId);
    }

    /**
     * When each of up to {@code wanted} source calls may start, at {@code perMinute} calls a minute
     * across all workers: only the calls that may start within {@code horizon} from {@code now} are
     * taken, and {@code next} says when the one after them may. One conditional write on the
     * sync's {@code paceAt}; a concurrent taker makes it read and try again.
     */
    public Pace pace(String clientId, String syncId, int perMinute, int wanted, Instant now, Duration horizon, Instant known) {
        long interval = (60_000L + perMinute - 1) / perMinute;
        Long old = known == null ? null : known.toEpochMilli();
        for (int attempt = 0; attempt < 5; attempt++) {
            long first = Math.max(old == null ? 0 : old, now.toEpochMilli());
            List<Instant> starts = new ArrayList<>();
            while (starts.size() < wanted && first + starts.size() * interval <= now.plus(horizon).toEpochMilli()) {
                starts.add(Instant.ofEpochMilli(first + starts.size() * interval));
            }
            long next = first + starts.size() * interval;
            if (starts.isEmpty()) {
                return new Pace(starts, Instant.ofEpochMilli(next));
            }
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":next", n(next)));
            String condition = "attribute_exists(syncId) AND attribute_not_exists(paceAt)";
            if (old != null) {
                values.put(":old", n(old));
                condition = "attribute_exists(syncId) AND paceAt = :old";
            }
            String expected = condition;
            try {
                dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId))
                        .updateExpression("SET paceAt = :next").conditionExpression(expected).expressionAttributeValues(values));
                return new Pace(starts, Instant.ofEpochMilli(next));
            } catch (ConditionalCheckFailedException e) {
                Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(clientId, syncId))
                        .consistentRead(true).projectionExpression("paceAt")).item();
                Instant read = item == null ? null : millis(item, "paceAt");
                old = read == null ? null : read.toEpochMilli();
            }
        }
        return new Pace(List.of(), now.plusMillis(interval));
    }

    /** When the calls taken may start, and when the next one may. */
    public record Pace(List<Instant> starts, Instant next) {
    }

    private boolean removeExpired(String clientId, String syncId, Map<String, AttributeValue> slots, Instant now) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> removes = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        slots.forEach((holder, until) -> {
            if (Long.parseLong(until.n()) <= now.toEpochMilli()) {
                int i = names.size();
                names.put("#e" + i, holder);
                values.put(":e" + i, until);
                removes.add("slots.#e" + i);
                conditions.add("slots.#e" + i + " = :e" + i);
            }
        });
        if (removes.isEmpty()) {
            return false;
        }
        try {
            // Only leases still as read: one renewed meanwhile stays.
            dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId))
                    .updateExpression("REMOVE " + String.join(", ", removes))
                    .conditionExpression(String.join(" AND ", conditions))
                    .expressionAttributeNames(names).expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            // Someone else cleaned them (or one was renewed): try again anyway.
        }
        return true;
    }

    private void addSlots(String clientId, String syncId) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId))
                    .updateExpression("SET slots = :empty")
                    .conditionExpression("attribute_exists(syncId) AND attribute_not_exists(slots)")
                    .expressionAttributeValues(Map.of(":empty", AttributeValue.fromM(Map.of()))));
        } catch (ConditionalCheckFailedException e) {
            // Added meanwhile.
        }
    }

    private static Instant millis(Map<String, AttributeValue> item, String name) {
        long value = number(item, name, -1);
        return value < 0 ? null : Instant.ofEpochMilli(value);
    }

    private static Map<String, AttributeValue> key(String clientId, String syncId) {
        return Map.of("clientId", s(clientId), "syncId", s(syncId));
    }
}
