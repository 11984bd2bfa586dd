package io.syncexec.dynamodb;

import io.syncexec.execution.Execution.Cancellation;
import io.syncexec.execution.Execution.Confirmation;
import io.syncexec.execution.Execution.DateOutcome;
import io.syncexec.execution.Execution.Decision;
import io.syncexec.execution.Execution.Progress;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.execution.Outcome;
import io.syncexec.execution.Trigger;
import io.syncexec.json.Json;
import io.syncexec.plan.Mode;
import io.syncexec.plan.Plan;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static io.syncexec.dynamodb.Attributes.bool;
import static io.syncexec.dynamodb.Attributes.instant;
import static io.syncexec.dynamodb.Attributes.n;
import static io.syncexec.dynamodb.Attributes.number;
import static io.syncexec.dynamodb.Attributes.s;
import static io.syncexec.dynamodb.Attributes.string;

/**
 * How executions and their per-date outcomes are DynamoDB items: keys, attributes, the gzipped
 * plan (see {@link ExecutionRepository} for the table's layout).
 */
final class ExecutionItems {
    /** Marks an execution that has not ended, for the sparse index {@link ExecutionRepository#ACTIVE_INDEX}. */
    static final String ACTIVE_KEY = "activeShard";
    static final String ACTIVE = "ACTIVE";
    /** The condition that the counting epoch is still {@code :epoch}. */
    static final String EPOCH_IS = "(#countEpoch = :epoch OR attribute_not_exists(#countEpoch))";

    /** DynamoDB's item size limit, less a margin for the attributes added while the execution runs. */
    static final int MAX_NEW_ITEM_BYTES = 300 * 1024;

    private ExecutionItems() {
    }

    /**
     * The item of a new execution, checked to fit in one DynamoDB item (a plan of any run the spec
     * allows does: 3,660 dates gzip to a few KB).
     *
     * @throws IllegalStateException when the item could never be written
     */
    static Map<String, AttributeValue> newItem(Execution execution) {
        Map<String, AttributeValue> item = new HashMap<>(key(execution.clientId(), execution.syncId(), execution.executionId()));
        item.put("clientId", s(execution.clientId()));
        item.put("syncId", s(execution.syncId()));
        item.put("mode", s(execution.mode().name()));
        item.put("reimport", bool(execution.reimport()));
        item.put("trigger", s(execution.trigger().name()));
        item.put("requestedBy", s(execution.requestedBy()));
        item.put("status", s(execution.status().name()));
        item.put("createdAt", s(execution.createdAt().toString()));
        item.put("updatedAt", s(execution.updatedAt().toString()));
        if (execution.finishedAt() != null) {
            item.put("finishedAt", s(execution.finishedAt().toString()));
        }
        item.put("plan", AttributeValue.fromB(SdkBytes.fromByteArray(write(execution.plan()))));
        item.put("planDigest", s(execution.plan().planDigest()));
        item.put("planned", n(execution.plan().datesCount()));
        item.put("imported", n(0));
        item.put("skipped", n(0));
        item.put("failed", n(0));
        item.put("cancelled", n(0));
        item.put("countEpoch", n(0));
        // The run's slots (ExecutionSlots): made with the run, so a worker's first try takes one.
        item.put("slots", AttributeValue.fromM(Map.of()));
        if (!execution.status().terminal()) {
            item.put(ACTIVE_KEY, s(ACTIVE));
        }
        int planBytes = item.get("plan").b().asByteArray().length;
        if (planBytes > MAX_NEW_ITEM_BYTES) {
            throw new IllegalStateException("the plan of execution " + execution.executionId() + " takes " + planBytes
                    + " bytes; it cannot be recorded");
        }
        return item;
    }

    static Map<String, AttributeValue> key(Execution execution) {
        return key(execution.clientId(), execution.syncId(), execution.executionId());
    }

    static Map<String, AttributeValue> key(String clientId, String syncId, String executionId) {
        return Map.of("syncKey", s(clientId + "#" + syncId), "executionId", s(executionId));
    }

    static Map<String, AttributeValue> tokenKey(String clientId, String syncId, String executionId) {
        return Map.of("syncKey", s(DynamoDbExecutionRepository.TOKEN_PARTITION_PREFIX + clientId + "#" + syncId), "executionId", s(executionId));
    }

    static AttributeValue confirmationValue(Confirmation c) {
        Map<String, AttributeValue> m = new HashMap<>(Map.of("decision", s(c.decision().name()), "by", s(c.by()),
                "at", s(c.at().toString())));
        if (c.planDigest() != null) {
            m.put("planDigest", s(c.planDigest()));
        }
        return AttributeValue.fromM(m);
    }

    static Execution execution(Map<String, AttributeValue> item) {
        Plan plan = read(item.get("plan").b().asByteArray());
        ExecutionStatus status = ExecutionStatus.valueOf(string(item, "status"));
        Progress progress = Progress.of(plan.datesCount(), (int) number(item, "imported", 0), (int) number(item, "skipped", 0),
                (int) number(item, "failed", 0), (int) number(item, "cancelled", 0));
        return new Execution(
                string(item, "executionId"), string(item, "clientId"), string(item, "syncId"),
                Mode.valueOf(string(item, "mode")), item.get("reimport") != null && item.get("reimport").bool(),
                Trigger.valueOf(string(item, "trigger")), string(item, "requestedBy"), status,
                instant(item, "createdAt"), instant(item, "updatedAt"), instant(item, "finishedAt"),
                plan, progress, null,
                confirmation(item.get("confirmation")), cancellation(item.get("cancellation")), string(item, "error"), null,
                number(item, "countEpoch", 0));
    }

    private static Confirmation confirmation(AttributeValue value) {
        if (value == null || value.m() == null) {
            return null;
        }
        Map<String, AttributeValue> m = value.m();
        return new Confirmation(Decision.valueOf(string(m, "decision")), string(m, "by"), instant(m, "at"), string(m, "planDigest"));
    }

    private static Cancellation cancellation(AttributeValue value) {
        if (value == null || value.m() == null) {
            return null;
        }
        return new Cancellation(string(value.m(), "by"), instant(value.m(), "at"));
    }

    /** Plans are stored gzipped: a 3,660-day re-import plan stays far below DynamoDB's 400 KB item limit. */
    private static byte[] write(Plan plan) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            Json.MAPPER.writeValue(gzip, plan);
        } catch (IOException e) {
            throw new UncheckedIOException("a plan is always serialisable", e);
        }
        return bytes.toByteArray();
    }

    private static Plan read(byte[] gzipped) {
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
            return Json.MAPPER.readValue(gzip, Plan.class);
        } catch (IOException e) {
            throw new UncheckedIOException("stored plan is not readable", e);
        }
    }

    static Map<String, AttributeValue> values(Map<String, AttributeValue> some, Map<String, AttributeValue> more) {
        Map<String, AttributeValue> all = new HashMap<>(some);
        all.putAll(more);
        return all;
    }

    static Progress counters(int planned, Map<String, AttributeValue> item) {
        return Progress.of(planned, (int) number(item, "imported", 0), (int) number(item, "skipped", 0),
                (int) number(item, "failed", 0), (int) number(item, "cancelled", 0));
    }

    /** Outcome items live next to executions: {@code syncKey = "<client>#<sync>#<executionId>"}, {@code executionId = "<date>"}. */
    static String outcomeKey(Execution execution) {
        return execution.clientId() + "#" + execution.syncId() + "#" + execution.executionId();
    }

    static Map<String, AttributeValue> outcomeItem(Execution execution, DateOutcome outcome, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("syncKey", s(outcomeKey(execution)));
        item.put("executionId", s(outcome.date().toString()));
        item.put("outcome", s(outcome.outcome().name()));
        item.put("recordedAt", s(at.toString()));
        if (outcome.records() != null) {
            item.put("records", n(outcome.records()));
        }
        if (outcome.error() != null) {
            item.put("error", s(outcome.error()));
        }
        if (outcome.errorCode() != null) {
            item.put("errorCode", s(outcome.errorCode()));
        }
        return item;
    }

    static DateOutcome outcome(LocalDate date, Map<String, AttributeValue> item) {
        return new DateOutcome(date, Outcome.valueOf(string(item, "outcome")),
                item.containsKey("records") ? number(item, "records", 0) : null, string(item, "error"), string(item, "errorCode"));
    }

    /** An outcome recorded after its execution ended (a late worker) is not counted, so it is not shown either. */
    static boolean lateFor(Execution execution, Map<String, AttributeValue> item) {
        return execution.finishedAt() != null && item.containsKey("recordedAt") && instant(item, "recordedAt").isAfter(execution.finishedAt());
    }

    static Outcome unrecorded(Execution execution) {
        if (!execution.status().terminal()) {
            return Outcome.PENDING;
        }
        return execution.error() != null && execution.status() != ExecutionStatus.CANCELLED
                && execution.status() != ExecutionStatus.EXPIRED && execution.progress().failed() > 0
                ? Outcome.FAILED : Outcome.CANCELLED;
    }
}
