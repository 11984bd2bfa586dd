package io.syncexec.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.syncexec.connector.ConnectorLimits;
import io.syncexec.json.Json;
import io.syncexec.sync.Revision;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncPause;
import io.syncexec.sync.SyncRepository;
import io.syncexec.sync.SyncSchedule;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.syncexec.dynamodb.Attributes.bool;
import static io.syncexec.dynamodb.Attributes.date;
import static io.syncexec.dynamodb.Attributes.epochSeconds;
import static io.syncexec.dynamodb.Attributes.n;
import static io.syncexec.dynamodb.Attributes.number;
import static io.syncexec.dynamodb.Attributes.s;
import static io.syncexec.dynamodb.Attributes.string;

/**
 * Sync definitions and the state kept on them: the active-execution lock (single-item
 * conditional writes through {@link ConditionalWrite}, with an expiry so a crashed run cannot block the sync for ever) and the
 * contiguous-import watermark.
 */
public final class DynamoDbSyncRepository implements SyncRepository {
    /** The sparse index of syncs with the schedule enabled: partition {@code dueShard}, sort {@code nextDueAt} (epoch seconds). */
    public static final String DUE_INDEX = "DueIndex";
    private final DynamoDbClient dynamo;
    private final String table;
    private final ConditionalWrite writes;

    public DynamoDbSyncRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.writes = new ConditionalWrite(dynamo, table);
    }

    @Override
    public Optional<Sync> get(String clientId, String syncId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(clientId, syncId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(sync(item));
    }

    @Override
    public List<Sync> list(String clientId) {
        List<Sync> syncs = new ArrayList<>();
        dynamo.queryPaginator(QueryRequest.builder().tableName(table)
                        .keyConditionExpression("clientId = :c")
                        .expressionAttributeValues(Map.of(":c", s(clientId)))
                        .build())
                .items().forEach(item -> syncs.add(sync(item)));
        return syncs;
    }

    @Override
    public boolean putDefinition(Sync definition, Instant now) {
        DefinitionUpdate update = definitionUpdate(definition, now);
        Map<String, AttributeValue> key = key(definition.clientId(), definition.syncId());
        ConditionalWrite.Result kept = writes.update(key, update.set() + update.remove(List.of()))
                .when("attribute_not_exists(#firstDate) OR #firstDate <= :first")
                .values(update.values()).returning(ReturnValue.UPDATED_OLD).run();
        if (kept.written()) {
            return kept.attributes().isEmpty();
        }
        // The first date moves earlier: the dates before the old one were never planned.
        String setAndRemoveWatermark = update.set() + update.remove(List.of("watermark"));
        Map<String, AttributeValue> old = dynamo.updateItem(r -> r.tableName(table).key(key)
                .updateExpression(setAndRemoveWatermark)
                .expressionAttributeNames(ConditionalWrite.names(Map.of(), setAndRemoveWatermark))
                .expressionAttributeValues(update.values())
                .returnValues(ReturnValue.UPDATED_OLD)).attributes();
        return old == null || old.isEmpty();
    }

    @Override
    public boolean putDefinition(Sync definition, Instant now, long expectedVersion, boolean exists, boolean removeWatermark) {
        DefinitionUpdate update = definitionUpdate(definition, now);
        Map<String, AttributeValue> values = new java.util.HashMap<>(update.values());
        values.put(":version", n(definition.revision().version()));
        values.put(":updatedBy", s(definition.revision().by()));
        values.put(":updatedAt", n(definition.revision().at().getEpochSecond()));
        String set = update.set() + ", #version = :version, #updatedBy = :updatedBy, #updatedAt = :updatedAt";
        String expression = set + update.remove(removeWatermark ? List.of("watermark") : List.of());
        String condition;
        if (!exists) {
            condition = "attribute_not_exists(#syncId)";
        } else if (expectedVersion == 0) {
            condition = "attribute_exists(#syncId) AND attribute_not_exists(#version)";
        } else {
            condition = "#version = :expected";
            values.put(":expected", n(expectedVersion));
        }
        return writes.update(key(definition.clientId(), definition.syncId()), expression)
                .when(condition).values(values).run().written();
    }

    /** The attributes a definition sets, and those it removes (the due index's when it is not due, the pause's when it is not paused). */
    private record DefinitionUpdate(String set, List<String> removed, Map<String, AttributeValue> values) {
        String remove(List<String> more) {
            List<String> all = new ArrayList<>(removed);
            all.addAll(more);
            return all.isEmpty() ? "" : " REMOVE " + String.join(", ", all.stream().map(name -> "#" + name).toList());
        }
    }

    private static DefinitionUpdate definitionUpdate(Sync definition, Instant now) {
        String set = "SET #name = :name, #timezone = :tz, #firstDate = :first, #supportsPeriodExecution = :period, "
                + "#maxRangeDays = :max, #scheduleEnabled = :schedule, #settleMinutes = :settle, #connectorType = :ctype, "
                + "#connectorConfig = :cconfig, #maxConcurrentDates = :mcd";
        Map<String, AttributeValue> values = new java.util.HashMap<>(Map.of(
                ":name", s(definition.name()),
                ":tz", s(definition.timezone().getId()),
                ":first", s(definition.firstDate().toString()),
                ":period", bool(definition.supportsPeriodExecution()),
                ":max", n(definition.maxRangeDays()),
                ":schedule", bool(definition.scheduleEnabled()),
                ":settle", n(definition.settleMinutes()),
                ":ctype", s(definition.connectorType()),
                ":cconfig", s(writeConfig(definition.connectorConfig()))));
        values.put(":mcd", n(definition.limits().maxConcurrentDates()));
        List<String> removed = new ArrayList<>();
        if (definition.limits().requestsPerMinute() != null) {
            set += ", #requestsPerMinute = :rpm";
            values.put(":rpm", n(definition.limits().requestsPerMinute()));
        } else {
            removed.add("requestsPerMinute");
        }
        // A paused sync leaves the due index: the heartbeat does not even look at it. Resumed, it comes back due now.
        if (definition.scheduleEnabled() && definition.paused() == null) {
            set += ", #nextDueAt = :due, #dueShard = :shard";
            values.put(":due", n(SyncSchedule.lastDueAtOrBefore(now, definition.timezone(), definition.settleMinutes()).getEpochSecond()));
            values.put(":shard", s(SyncSchedule.shard(definition.clientId(), definition.syncId())));
        } else {
            removed.addAll(List.of("nextDueAt", "dueShard"));
        }
        SyncPause pause = definition.paused();
        if (pause == null) {
            removed.addAll(List.of("pausedReason", "pausedBy", "pausedAt"));
        } else {
            set += ", #pausedReason = :pausedReason, #pausedBy = :pausedBy, #pausedAt = :pausedAt";
            values.put(":pausedReason", s(pause.reason()));
            values.put(":pausedBy", s(pause.by() == null ? "unknown" : pause.by()));
            values.put(":pausedAt", n((pause.at() == null ? now : pause.at()).getEpochSecond()));
        }
        return new DefinitionUpdate(set, removed, values);
    }

    @Override
    public boolean tryLock(String clientId, String syncId, String executionId, Instant now, Instant until) {
        return writes.update(key(clientId, syncId), "SET #activeExecutionId = :id, #activeUntil = :until")
                .when("attribute_exists(#syncId) AND attribute_not_exists(#pausedReason) AND "
                        + "(attribute_not_exists(#activeExecutionId) OR #activeUntil <= :now)")
                .values(Map.of(
                        ":id", s(executionId),
                        ":until", n(until.getEpochSecond()),
                        ":now", n(now.getEpochSecond())))
                .run().written();
    }

    @Override
    public void unlock(String clientId, String syncId, String executionId) {
        // Not written: another execution holds it now, or nobody does; nothing to release.
        writes.update(key(clientId, syncId), "REMOVE #activeExecutionId, #activeUntil")
                .when("#activeExecutionId = :id")
                .values(Map.of(":id", s(executionId)))
                .run();
    }

    @Override
    public void advance(String clientId, String syncId, LocalDate firstDate, LocalDate watermark, LocalDate lastImported) {
        if (watermark != null) {
            conditionalSet(clientId, syncId, "watermark", watermark, firstDate);
        }
        if (lastImported != null) {
            conditionalSet(clientId, syncId, "lastImportedDate", lastImported, null);
        }
    }

    private void conditionalSet(String clientId, String syncId, String attribute, LocalDate date, LocalDate firstDate) {
        Map<String, AttributeValue> values = new java.util.HashMap<>(Map.of(":d", s(date.toString())));
        String condition = "attribute_exists(#syncId) AND (attribute_not_exists(#a) OR #a < :d)";
        if (firstDate != null) {
            condition += " AND #firstDate = :first";
            values.put(":first", s(firstDate.toString()));
        }
        // Not written: already at or past that date, or the first date changed since it was computed.
        writes.update(key(clientId, syncId), "SET #a = :d").when(condition).name("#a", attribute).values(values).run();
    }

    /** The due index's key to continue from. */
    private record DueKey(Map<String, AttributeValue> key) implements PageStart {
    }

    @Override
    public DuePage due(String shard, Instant now, int limit, PageStart start) {
        var response = dynamo.query(r -> r.tableName(table).indexName(DUE_INDEX)
                .keyConditionExpression("dueShard = :shard AND nextDueAt <= :now")
                .expressionAttributeValues(Map.of(":shard", s(shard), ":now", n(now.getEpochSecond())))
                .limit(limit)
                .exclusiveStartKey(start == null ? null : ((DueKey) start).key()));
        List<Due> due = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            due.add(new Due(string(item, "clientId"), string(item, "syncId"), epochSeconds(item, "nextDueAt"),
                    ZoneId.of(string(item, "timezone")), (int) number(item, "settleMinutes", 0)));
        }
        return new DuePage(due, response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? new DueKey(response.lastEvaluatedKey()) : null);
    }

    @Override
    public boolean claimDue(String clientId, String syncId, Instant expected, Instant next, Instant now) {
        return writes.update(key(clientId, syncId), "SET #nextDueAt = :next, #lastCheckedAt = :now")
                .when("#nextDueAt = :expected AND #scheduleEnabled = :on")
                .values(Map.of(
                        ":next", n(next.getEpochSecond()),
                        ":now", n(now.getEpochSecond()),
                        ":expected", n(expected.getEpochSecond()),
                        ":on", bool(true)))
                .run().written();
    }

    @Override
    public void moveDue(String clientId, String syncId, Instant from, Instant to) {
        // Not written: claimed again, disabled or redefined meanwhile; theirs is newer.
        writes.update(key(clientId, syncId), "SET #nextDueAt = :to")
                .when("#nextDueAt = :from")
                .values(Map.of(":to", n(to.getEpochSecond()), ":from", n(from.getEpochSecond())))
                .run();
    }

    @Override
    public Instant sourcePausedUntil(String clientId, String syncId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(clientId, syncId))
                .consistentRead(true).projectionExpression("sourcePausedUntil")).item();
        long millis = item == null ? -1 : number(item, "sourcePausedUntil", -1);
        return millis < 0 ? null : Instant.ofEpochMilli(millis);
    }

    private static Map<String, AttributeValue> key(String clientId, String syncId) {
        return Map.of("clientId", s(clientId), "syncId", s(syncId));
    }

    static Sync sync(Map<String, AttributeValue> item) {
        return new Sync(
                string(item, "clientId"),
                string(item, "syncId"),
                string(item, "name"),
                ZoneId.of(string(item, "timezone")),
                date(item, "firstDate"),
                bool(item, "supportsPeriodExecution"),
                (int) number(item, "maxRangeDays", Sync.DEFAULT_MAX_RANGE_DAYS),
                bool(item, "scheduleEnabled"),
                string(item, "connectorType"),
                readConfig(string(item, "connectorConfig")),
                string(item, "activeExecutionId"),
                epochSeconds(item, "activeUntil"),
                date(item, "watermark"),
                date(item, "lastImportedDate"),
                (int) number(item, "settleMinutes", 0),
                epochSeconds(item, "nextDueAt"),
                epochSeconds(item, "lastCheckedAt"),
                string(item, "pausedReason") == null ? null
                        : new SyncPause(string(item, "pausedReason"), string(item, "pausedBy"), epochSeconds(item, "pausedAt")),
                new Revision(number(item, "version", 0), string(item, "updatedBy"), epochSeconds(item, "updatedAt")),
                limits(item));
    }

    /** The sync's {@code connector.limits}; a sync saved before it had them has the defaults. */
    static ConnectorLimits limits(Map<String, AttributeValue> item) {
        long rate = number(item, "requestsPerMinute", 0);
        return new ConnectorLimits((int) number(item, "maxConcurrentDates", ConnectorLimits.DEFAULT_MAX_CONCURRENT_DATES),
                rate == 0 ? null : (int) rate);
    }

    private static String writeConfig(Map<String, Object> config) {
        try {
            return Json.MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("connector config is not serialisable", e);
        }
    }

    private static Map<String, Object> readConfig(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Json.MAPPER.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored connector config is not JSON", e);
        }
    }
}
