package io.syncexec.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.syncexec.json.Json;
import io.syncexec.sync.Change;
import io.syncexec.sync.ChangeLog;
import io.syncexec.sync.FieldChange;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.syncexec.dynamodb.Attributes.s;
import static io.syncexec.dynamodb.Attributes.string;

/**
 * The audit trail of client and sync definitions, in the syncs table under partitions of their own:
 * {@code clientId = "#changes#<clientId>#<syncId>"} for a sync's changes, {@code "#changes#<clientId>"}
 * for a client's, and the version each change made, zero-padded, as the sort key. Ids never contain
 * {@code #}, so these partitions never meet a client's syncs, and the due index (sparse) never holds
 * them. One item per change, written once (a conditional write: a retried save records it once).
 */
public final class DynamoDbChangeLog implements ChangeLog {
    private final DynamoDbClient dynamo;
    private final String table;
    private final ConditionalWrite writes;

    public DynamoDbChangeLog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.writes = new ConditionalWrite(dynamo, table);
    }

    @Override
    public void record(String subject, Change change) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":at", s(change.at().toString()),
                ":by", s(change.by()),
                ":fields", s(write(change.fields()))));
        String set = "SET #at = :at, #by = :by, #fields = :fields";
        if (change.note() != null) {
            set += ", #note = :note";
            values.put(":note", s(change.note()));
        }
        // Not written: this version's change is recorded already (a save retried after its answer was lost).
        writes.update(key(subject, change.version()), set).when("attribute_not_exists(#syncId)").values(values).run();
    }

    @Override
    public Page page(String subject, int limit, Long below) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":p", s(subject)));
        String condition = "clientId = :p";
        if (below != null) {
            condition += " AND syncId < :below";
            values.put(":below", s(sortKey(below)));
        }
        String keyCondition = condition;
        QueryResponse response = dynamo.query(r -> r.tableName(table).consistentRead(true)
                .keyConditionExpression(keyCondition)
                .expressionAttributeValues(values)
                .scanIndexForward(false)
                .limit(limit + 1));
        List<Change> changes = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items().subList(0, Math.min(limit, response.items().size()))) {
            changes.add(new Change(Long.parseLong(string(item, "syncId")), Instant.parse(string(item, "at")), string(item, "by"),
                    read(string(item, "fields")), string(item, "note")));
        }
        boolean more = response.items().size() > limit;
        return new Page(changes, more ? changes.getLast().version() : null);
    }

    private static Map<String, AttributeValue> key(String subject, long version) {
        return Map.of("clientId", s(subject), "syncId", s(sortKey(version)));
    }

    private static String sortKey(long version) {
        return String.format("%019d", version);
    }

    private static String write(List<FieldChange> fields) {
        try {
            return Json.MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a change is not serialisable", e);
        }
    }

    private static List<FieldChange> read(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<List<FieldChange>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored change is not JSON", e);
        }
    }
}
