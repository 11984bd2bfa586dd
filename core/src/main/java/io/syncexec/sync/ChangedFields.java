package io.syncexec.sync;

import io.syncexec.connector.ConnectorSecrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Set;

/**
 * The fields of a definition an edit changes, by their path in the definition. A field added to
 * the definition (e.g. {@code connector.limits}) is audited once {@link #of(Sync)} names it.
 */
public final class ChangedFields {
    private ChangedFields() {
    }

    /** The definition's fields as the PUT body writes them, flattened: {@code schedule.enabled}, {@code connector.config.x}. */
    public static Map<String, Object> of(Sync sync) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (sync == null) {
            return fields;
        }
        fields.put("name", sync.name());
        fields.put("timezone", sync.timezone().getId());
        fields.put("firstDate", sync.firstDate().toString());
        fields.put("supportsPeriodExecution", sync.supportsPeriodExecution());
        fields.put("maxRangeDays", sync.maxRangeDays());
        fields.put("schedule.enabled", sync.scheduleEnabled());
        fields.put("schedule.settleMinutes", sync.settleMinutes());
        fields.put("connector.type", sync.connectorType());
        // In key order: a stored config map has no order of its own, a change list must have one.
        new TreeMap<>(sync.connectorConfig()).forEach((key, value) -> fields.put("connector.config." + key, value));
        fields.put("connector.limits.maxConcurrentDates", sync.limits().maxConcurrentDates());
        fields.put("connector.limits.requestsPerMinute", sync.limits().requestsPerMinute());
        fields.put("paused.reason", sync.paused() == null ? null : sync.paused().reason());
        return fields;
    }

    /** What changes from {@code before} (null: nothing existed) to {@code after}, secrets as "changed". */
    public static List<FieldChange> between(Map<String, Object> before, Map<String, Object> after) {
        Set<String> names = new LinkedHashSet<>(before.keySet());
        names.addAll(after.keySet());
        List<FieldChange> changes = new ArrayList<>();
        for (String name : names) {
            Object from = before.get(name);
            Object to = after.get(name);
            if (Objects.equals(normal(from), normal(to))) {
                continue;
            }
            if (ConnectorSecrets.isSecret(name)) {
                changes.add(new FieldChange(name, from == null ? ConnectorSecrets.NOT_SET : ConnectorSecrets.SET,
                        to == null ? ConnectorSecrets.NOT_SET : ConnectorSecrets.CHANGED));
            } else {
                changes.add(new FieldChange(name, from, to));
            }
        }
        return changes;
    }

    /** Numbers compare by value (a config's 5 read back from JSON is an Integer or a Long). */
    private static Object normal(Object value) {
        return value instanceof Number number && !(value instanceof Double || value instanceof Float)
                ? (Object) new java.math.BigDecimal(number.toString()) : value;
    }
}
