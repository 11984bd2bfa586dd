package io.syncexec.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncexec.execution.Execution.Cancellation;
import io.syncexec.execution.Execution.Confirmation;
import io.syncexec.execution.Execution.DateOutcome;
import io.syncexec.execution.Execution.Decision;
import io.syncexec.execution.Execution.Progress;
import io.syncexec.json.Json;
import io.syncexec.plan.Mode;
import io.syncexec.plan.Plan;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.syncexec.aws.Items.bool;
import static io.syncexec.aws.Items.instant;
import static io.syncexec.aws.Items.n;
import static io.syncexec.aws.Items.number;
import static io.syncexec.aws.Items.s;
import static io.syncexec.aws.Items.string;

/**
 * Executions of a sync under {@code syncKey = "<client>#<sync>"}, {@code executionId} (UUIDv7,
 * so newest first is a backwards query). Per-date outcomes are a map in the item, written one
 * date at a time with a condition, so a repeated delivery cannot count a date twice. The task
 * token of a confirmation wait is stored here and never leaves this class but through
 * {@link #taskToken}.
 */
public final class ExecutionRepository {
    private final DynamoDbClient dynamo;
    private final String table;

    public ExecutionRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public void create(Execution execution) {
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
        item.put("plan", s(write(execution.plan())));
        item.put("planDigest", s(execution.plan().planDigest()));
        item.put("planned", n(execution.plan().datesCount()));
        item.put("imported", n(0));
        item.put("skipped", n(0));
        item.put("failed", n(0));
        item.put("cancelled", n(0));
        item.put("outcomes", AttributeValue.fromM(Map.of()));
        dynamo.putItem(r -> r.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(executionId)"));
    }

    public Optional<Execution> get(String clientId, String syncId, String executionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(key(clientId, syncId, executionId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(execution(item, true));
    }

    /** A page of the sync's executions, newest first, without per-date outcomes. */
    public Page list(String clientId, String syncId, int limit, String startAfterExecutionId) {
        QueryResponse response = dynamo.query(r -> {
            r.tableName(table)
                    .keyConditionExpression("syncKey = :k")
                    .expressionAttributeValues(Map.of(":k", s(clientId + "#" + syncId)))
                    .scanIndexForward(false)
                    .limit(limit);
            if (startAfterExecutionId != null) {
                r.exclusiveStartKey(key(clientId, syncId, startAfterExecutionId));
            }
        });
        List<Execution> executions = new ArrayList<>();
        response.items().forEach(item -> executions.add(execution(item, false)));
        String next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? string(response.lastEvaluatedKey(), "executionId") : null;
        return new Page(executions, next);
    }

    public record Page(List<Execution> executions, String lastExecutionId) {
    }

    /**
     * Records the operator's decision on an execution waiting for it, if its plan digest is
     * still {@code planDigest}. A confirmation moves it to RUNNING; a decline ends it CANCELLED
     * with every date cancelled.
     *
     * @return the execution after the decision, or empty when it was not waiting any more
     */
    public Optional<Execution> decide(Execution execution, Confirmation confirmation) {
        boolean confirmed = confirmation.decision() == Decision.CONFIRMED;
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":awaiting", s(ExecutionStatus.AWAITING_CONFIRMATION.name()),
                ":digest", s(execution.plan().planDigest()),
                ":status", s((confirmed ? ExecutionStatus.RUNNING : ExecutionStatus.CANCELLED).name()),
                ":confirmation", confirmationValue(confirmation),
                ":at", s(confirmation.at().toString())));
        String update = "SET #status = :status, confirmation = :confirmation, updatedAt = :at";
        if (!confirmed) {
            update += ", finishedAt = :at, cancelled = planned";
        }
        return conditionalUpdate(execution, update, "#status = :awaiting AND planDigest = :digest", values);
    }

    /** Asks a running execution to stop dispatching; idempotent. */
    public Optional<Execution> requestCancel(Execution execution, Cancellation cancellation) {
        return conditionalUpdate(execution, "SET cancellation = if_not_exists(cancellation, :c), updatedAt = :at",
                "#status = :running",
                Map.of(":running", s(ExecutionStatus.RUNNING.name()),
                        ":c", AttributeValue.fromM(Map.of("by", s(cancellation.by()), "at", s(cancellation.at().toString()))),
                        ":at", s(cancellation.at().toString())));
    }

    /** Ends an execution that never got going (its workflow could not start). */
    public void markFailed(Execution execution, String error, Instant at) {
        conditionalUpdate(execution, "SET #status = :failed, #error = :error, updatedAt = :at, finishedAt = :at, cancelled = planned",
                "#status IN (:awaiting, :running)",
                Map.of(":failed", s(ExecutionStatus.FAILED.name()), ":error", s(error), ":at", s(at.toString()),
                        ":awaiting", s(ExecutionStatus.AWAITING_CONFIRMATION.name()),
                        ":running", s(ExecutionStatus.RUNNING.name())));
    }

    /** The stored task token of the execution's confirmation wait, if the workflow reached it. */
    public Optional<String> taskToken(String clientId, String syncId, String executionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(key(clientId, syncId, executionId)).projectionExpression("taskToken").consistentRead(true)).item();
        return Optional.ofNullable(item == null ? null : string(item, "taskToken"));
    }

    private Optional<Execution> conditionalUpdate(Execution execution, String update, String condition,
                                                  Map<String, AttributeValue> values) {
        Map<String, String> names = new HashMap<>(Map.of("#status", "status"));
        if (update.contains("#error")) {
            names.put("#error", "error");
        }
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(table)
                    .key(key(execution.clientId(), execution.syncId(), execution.executionId()))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(execution(item, true));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    private static Map<String, AttributeValue> key(String clientId, String syncId, String executionId) {
        return Map.of("syncKey", s(clientId + "#" + syncId), "executionId", s(executionId));
    }

    private static AttributeValue confirmationValue(Confirmation c) {
        return AttributeValue.fromM(Map.of("decision", s(c.decision().name()), "by", s(c.by()), "at", s(c.at().toString())));
    }

    private static Execution execution(Map<String, AttributeValue> item, boolean withOutcomes) {
        Plan plan = read(string(item, "plan"));
        ExecutionStatus status = ExecutionStatus.valueOf(string(item, "status"));
        Progress progress = Progress.of(plan.datesCount(), (int) number(item, "imported", 0), (int) number(item, "skipped", 0),
                (int) number(item, "failed", 0), (int) number(item, "cancelled", 0));
        return new Execution(
                string(item, "executionId"), string(item, "clientId"), string(item, "syncId"),
                Mode.valueOf(string(item, "mode")), item.get("reimport") != null && item.get("reimport").bool(),
                Trigger.valueOf(string(item, "trigger")), string(item, "requestedBy"), status,
                instant(item, "createdAt"), instant(item, "updatedAt"), instant(item, "finishedAt"),
                plan, progress, withOutcomes ? outcomes(plan, status, item.get("outcomes")) : null,
                confirmation(item.get("confirmation")), cancellation(item.get("cancellation")), string(item, "error"));
    }

    /** One outcome per planned date; a date without a recorded outcome is pending, or cancelled once the execution ended. */
    private static List<DateOutcome> outcomes(Plan plan, ExecutionStatus status, AttributeValue stored) {
        Map<String, AttributeValue> byDate = stored == null || stored.m() == null ? Map.of() : stored.m();
        Outcome unrecorded = status.terminal() ? Outcome.CANCELLED : Outcome.PENDING;
        List<DateOutcome> outcomes = new ArrayList<>(plan.dates().size());
        for (LocalDate date : plan.dates()) {
            AttributeValue value = byDate.get(date.toString());
            if (value == null) {
                outcomes.add(new DateOutcome(date, unrecorded, null, null));
            } else {
                Map<String, AttributeValue> m = value.m();
                outcomes.add(new DateOutcome(date, Outcome.valueOf(string(m, "outcome")),
                        m.containsKey("records") ? number(m, "records", 0) : null, string(m, "error")));
            }
        }
        return outcomes;
    }

    private static Confirmation confirmation(AttributeValue value) {
        if (value == null || value.m() == null) {
            return null;
        }
        Map<String, AttributeValue> m = value.m();
        return new Confirmation(Decision.valueOf(string(m, "decision")), string(m, "by"), instant(m, "at"));
    }

    private static Cancellation cancellation(AttributeValue value) {
        if (value == null || value.m() == null) {
            return null;
        }
        return new Cancellation(string(value.m(), "by"), instant(value.m(), "at"));
    }

    private static String write(Plan plan) {
        try {
            return Json.MAPPER.writeValueAsString(plan);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan is always serialisable", e);
        }
    }

    private static Plan read(String json) {
        try {
            return Json.MAPPER.readValue(json, Plan.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored plan is not readable", e);
        }
    }
}
