package io.syncexec.dynamodb;

import io.syncexec.sync.SourceGate;
import io.syncexec.sync.SyncRepository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.syncexec.dynamodb.Attributes.n;
import static io.syncexec.dynamodb.Attributes.number;
import static io.syncexec.dynamodb.Attributes.s;

/**
 * How a sync's imports share its source, kept on the sync's own item with single-item conditional
 * writes (SPEC §10; the cap's slots are on the run's item, see {@code ExecutionSlots}):
 * <ul>
 * <li>{@code sourcePausedUntil} (epoch ms): the source asked to wait ({@code Retry-After}, or a back-off);
 *     nobody enters before it. {@code throttledAt}: when it last asked, so workers re-check the pause
 *     between dates only for syncs whose source throttles.</li>
 * <li>{@code paceAt} (epoch ms): the pacing of {@code requestsPerMinute}, as the generic cell rate
 *     algorithm keeps a token bucket in one number: the instant the next source call may start.</li>
 * </ul>
 */
public final class DynamoDbSourceGate implements SourceGate {
    private final DynamoDbClient dynamo;
    private final String table;
    private final ConditionalWrite writes;
    private final SyncRepository syncs;

    public DynamoDbSourceGate(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.writes = new ConditionalWrite(dynamo, table);
        this.syncs = new DynamoDbSyncRepository(dynamo, table);
    }

    @Override
    public Source read(String clientId, String syncId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(clientId, syncId)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        return new Source(DynamoDbSyncRepository.sync(item), millis(item, "sourcePausedUntil"), millis(item, "throttledAt"), millis(item, "paceAt"));
    }

    @Override
    public void pause(String clientId, String syncId, Instant until, Instant now) {
        // Not written: paused as long or longer already.
        writes.update(key(clientId, syncId), "SET #sourcePausedUntil = :until, #throttledAt = :now")
                .when("attribute_exists(#syncId) AND (attribute_not_exists(#sourcePausedUntil) OR #sourcePausedUntil < :until)")
                .values(Map.of(":until", n(until.toEpochMilli()), ":now", n(now.toEpochMilli())))
                .run();
    }

    @Override
    public Instant pausedUntil(String clientId, String syncId) {
        return syncs.sourcePausedUntil(clientId, syncId);
    }

    @Override
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
            String condition = "attribute_exists(#syncId) AND attribute_not_exists(#paceAt)";
            if (old != null) {
                values.put(":old", n(old));
                condition = "attribute_exists(#syncId) AND #paceAt = :old";
            }
            ConditionalWrite.Result paced = writes.update(key(clientId, syncId), "SET #paceAt = :next")
                    .when(condition).values(values).run();
            if (paced.written()) {
                return new Pace(starts, Instant.ofEpochMilli(next));
            }
            // Another worker moved it: go on from the pace the condition saw, no second read.
            Instant seen = millis(paced.old(), "paceAt");
            old = seen == null ? null : seen.toEpochMilli();
        }
        return new Pace(List.of(), now.plusMillis(interval));
    }

    private static Instant millis(Map<String, AttributeValue> item, String name) {
        long value = number(item, name, -1);
        return value < 0 ? null : Instant.ofEpochMilli(value);
    }

    private static Map<String, AttributeValue> key(String clientId, String syncId) {
        return Map.of("clientId", s(clientId), "syncId", s(syncId));
    }
}
