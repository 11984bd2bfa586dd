package io.syncexec.execution;

import io.syncexec.execution.Execution.Cancellation;
import io.syncexec.execution.Execution.Confirmation;
import io.syncexec.execution.Execution.DateOutcome;
import io.syncexec.execution.Execution.Decision;
import io.syncexec.execution.Execution.Progress;
import io.syncexec.json.Json;
import io.syncexec.plan.Mode;
import io.syncexec.plan.Plan;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static io.syncexec.aws.Items.bool;
import static io.syncexec.aws.Items.instant;
import static io.syncexec.aws.Items.n;
import static io.syncexec.aws.Items.number;
import static io.syncexec.aws.Items.s;
import static io.syncexec.aws.Items.string;

/**
 * Executions of a sync under {@code syncKey = "<client>#<sync>"}, {@code executionId} (UUIDv7,
 * so newest first is a backwards query). Per-date outcomes are a map in the item, written one
 * date at a time with a condition, so a repeated delivery cannot count a date twice.
 *
 * <p>The task token of a confirmation wait lives in an item of its own, under the partition
 * {@code #token#<client>#<sync>} ({@link #TOKEN_PARTITION_PREFIX}; no client id holds {@code #}),
 * so that IAM can keep it from every role but the API's ({@code dynamodb:LeadingKeys} conditions
 * in template.yaml): the workers, dispatch, finalize and the schedule can read executions but
 * never that token. It is deleted once answered. The import wait's token ({@code completionToken})
 * stays in the execution item and is removed once answered or when the execution ends.
 */
public final class ExecutionRepository {
    /** The partition-key prefix of confirmation-token items: template.yaml's IAM conditions name it. */
    public static final String TOKEN_PARTITION_PREFIX = "#token#";
    /** Keeps each update's expressions well under DynamoDB's 4 KB limit. */
    private static final int OUTCOMES_PER_UPDATE = 50;
    /** Executions a filtered list looks at per call, at most. */
    public static final int MAX_EXAMINED = 200;

    private final DynamoDbClient dynamo;
    private final String table;

    public ExecutionRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** DynamoDB's item size limit, less a margin for the attributes added while the execution runs. */
    static final int MAX_NEW_ITEM_BYTES = 300 * 1024;

    /** An execution item built and measured, ready to write: building it cannot fail after a lock is taken. */
    public record NewItem(Execution execution, Map<String, AttributeValue> item) {
    }

    public void create(Execution execution) {
        create(prepare(execution));
    }

    /** Writes a prepared execution item; fails if the execution already exists. */
    public void create(NewItem prepared) {
        dynamo.putItem(r -> r.tableName(table).item(prepared.item())
                .conditionExpression("attribute_not_exists(executionId)"));
    }

    /**
     * Builds the item of a new execution without writing it, and checks it fits in one DynamoDB
     * item (a plan of any run the spec allows does: 3,660 dates gzip to a few KB).
     *
     * @throws IllegalStateException when the item could never be written
     */
    public NewItem prepare(Execution execution) {
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
        item.put("outcomes", AttributeValue.fromM(Map.of()));
        int planBytes = item.get("plan").b().asByteArray().length;
        if (planBytes > MAX_NEW_ITEM_BYTES) {
            throw new IllegalStateException("the plan of execution " + execution.executionId() + " takes " + planBytes
                    + " bytes; it cannot be recorded");
        }
        return new NewItem(execution, item);
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

    /**
     * A page of the sync's executions that pass {@code filter}, newest first, without per-date
     * outcomes. DynamoDB reads every execution to filter it (a filter costs what reading costs), so
     * one call looks at {@link #MAX_EXAMINED} executions at most: a page may hold fewer than
     * {@code limit}, even none, and still have a next page ({@code lastExecutionId} not null) when
     * older executions remain to look at.
     */
    public Page list(String clientId, String syncId, int limit, String startAfterExecutionId, ExecutionFilter filter) {
        if (filter.all()) {
            return list(clientId, syncId, limit, startAfterExecutionId);
        }
        List<Execution> executions = new ArrayList<>();
        String startAfter = startAfterExecutionId;
        int examined = 0;
        while (true) {
            String from = startAfter;
            int batch = Math.min(MAX_EXAMINED - examined, Math.max(limit, 25));
            QueryResponse response = dynamo.query(r -> {
                r.tableName(table)
                        .keyConditionExpression("syncKey = :k")
                        .expressionAttributeValues(Map.of(":k", s(clientId + "#" + syncId)))
                        .scanIndexForward(false)
                        .limit(batch);
                if (from != null) {
                    r.exclusiveStartKey(key(clientId, syncId, from));
                }
            });
            for (Map<String, AttributeValue> item : response.items()) {
                examined++;
                startAfter = string(item, "executionId");
                if (filter.matches(string(item, "status"), string(item, "trigger"))) {
                    executions.add(execution(item, false));
                    if (executions.size() == limit) {
                        boolean more = item != response.items().get(response.items().size() - 1) || response.hasLastEvaluatedKey()
                                && !response.lastEvaluatedKey().isEmpty();
                        return new Page(executions, more ? startAfter : null);
                    }
                }
            }
            boolean more = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty();
            if (!more) {
                return new Page(executions, null);
            }
            if (examined >= MAX_EXAMINED) {
                return new Page(executions, startAfter);
            }
        }
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
                ":confirmation", confirmationValue(confirmed
                        ? new Confirmation(confirmation.decision(), confirmation.by(), confirmation.at(), execution.plan().planDigest())
                        : confirmation),
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

    /** The stored task token of the execution's confirmation wait, if the workflow reached it. Only the API's role may read it. */
    public Optional<String> taskToken(String clientId, String syncId, String executionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(tokenKey(clientId, syncId, executionId)).consistentRead(true)).item();
        return Optional.ofNullable(item == null || item.isEmpty() ? null : string(item, "taskToken"));
    }

    /** Forgets the confirmation wait's token once it was answered (or answered itself). */
    public void removeConfirmationToken(String clientId, String syncId, String executionId) {
        dynamo.deleteItem(r -> r.tableName(table).key(tokenKey(clientId, syncId, executionId)));
    }

    /**
     * Keeps the confirmation wait's task token, unless the operator already decided. The token
     * is written first, then the execution read: a decision recorded before that read is answered
     * by the caller (and the token item deleted); one recorded after it finds the token and is
     * answered by the API. Both may answer a decision recorded in between: the same decision,
     * and the second answer is ignored.
     *
     * @return empty when the token was stored; the execution when a decision was already recorded
     */
    public Optional<Execution> storeConfirmationToken(String clientId, String syncId, String executionId, String token) {
        Map<String, AttributeValue> item = new HashMap<>(tokenKey(clientId, syncId, executionId));
        item.put("taskToken", s(token));
        dynamo.putItem(r -> r.tableName(table).item(item));
        Optional<Execution> execution = get(clientId, syncId, executionId);
        if (execution.isPresent() && execution.get().status() == ExecutionStatus.AWAITING_CONFIRMATION
                && execution.get().confirmation() == null) {
            return Optional.empty();
        }
        removeConfirmationToken(clientId, syncId, executionId);
        return execution;
    }

    /** Keeps the token that the worker recording the last outcome completes. */
    public void storeCompletionToken(String clientId, String syncId, String executionId, String token) {
        dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId, executionId))
                .updateExpression("SET completionToken = :t")
                .conditionExpression("attribute_exists(executionId)")
                .expressionAttributeValues(Map.of(":t", s(token))));
    }

    public Optional<String> completionToken(String clientId, String syncId, String executionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(key(clientId, syncId, executionId)).projectionExpression("completionToken").consistentRead(true)).item();
        return Optional.ofNullable(item == null ? null : string(item, "completionToken"));
    }

    /** Forgets the import wait's token once it was answered (only if it is still that token). */
    public void removeCompletionToken(String clientId, String syncId, String executionId, String token) {
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId, executionId))
                    .updateExpression("REMOVE completionToken")
                    .conditionExpression("completionToken = :t")
                    .expressionAttributeValues(Map.of(":t", s(token))));
        } catch (ConditionalCheckFailedException e) {
            // already removed (a concurrent last outcome, or the execution ended)
        }
    }

    /**
     * Records the outcomes of some dates of a running execution, each at most once (invariant 6):
     * one update for the whole batch when none of its dates has an outcome yet, else one
     * conditional update per date.
     *
     * @return the execution's progress after the writes
     */
    public Progress recordOutcomes(Execution execution, List<DateOutcome> outcomes) {
        Map<String, AttributeValue> key = key(execution.clientId(), execution.syncId(), execution.executionId());
        int planned = execution.plan().datesCount();
        if (outcomes.isEmpty()) {
            return progress(key);
        }
        Map<String, AttributeValue> updated = null;
        for (int start = 0; start < outcomes.size(); start += OUTCOMES_PER_UPDATE) {
            List<DateOutcome> chunk = outcomes.subList(start, Math.min(outcomes.size(), start + OUTCOMES_PER_UPDATE));
            Map<String, AttributeValue> all = outcomeUpdate(key, chunk);
            if (all == null && chunk.size() > 1) {
                for (DateOutcome outcome : chunk) {
                    Map<String, AttributeValue> one = outcomeUpdate(key, List.of(outcome));
                    all = one == null ? all : one;
                }
            }
            updated = all == null ? updated : all;
        }
        return updated == null ? progress(key) : counters(planned, updated);
    }

    private Map<String, AttributeValue> outcomeUpdate(Map<String, AttributeValue> key, List<DateOutcome> outcomes) {
        Map<String, String> names = new HashMap<>(Map.of("#status", "status"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":running", s(ExecutionStatus.RUNNING.name())));
        List<String> sets = new ArrayList<>();
        List<String> conditions = new ArrayList<>(List.of("#status = :running"));
        Map<Outcome, Integer> counts = new java.util.EnumMap<>(Outcome.class);
        for (int i = 0; i < outcomes.size(); i++) {
            DateOutcome outcome = outcomes.get(i);
            names.put("#d" + i, outcome.date().toString());
            Map<String, AttributeValue> value = new HashMap<>(Map.of("outcome", s(outcome.outcome().name())));
            if (outcome.records() != null) {
                value.put("records", n(outcome.records()));
            }
            if (outcome.error() != null) {
                value.put("error", s(outcome.error()));
            }
            values.put(":o" + i, AttributeValue.fromM(value));
            sets.add("outcomes.#d" + i + " = :o" + i);
            conditions.add("attribute_not_exists(outcomes.#d" + i + ")");
            counts.merge(outcome.outcome(), 1, Integer::sum);
        }
        // Every counter is added to (0 for most), so that the update returns all four.
        List<String> adds = new ArrayList<>();
        for (Outcome outcome : List.of(Outcome.IMPORTED, Outcome.SKIPPED, Outcome.FAILED, Outcome.CANCELLED)) {
            String counter = outcome.name().toLowerCase(java.util.Locale.ROOT);
            adds.add(counter + " :n" + counter);
            values.put(":n" + counter, n(counts.getOrDefault(outcome, 0)));
        }
        try {
            return dynamo.updateItem(r -> r.tableName(table).key(key)
                    .updateExpression("SET " + String.join(", ", sets) + " ADD " + String.join(", ", adds))
                    .conditionExpression(String.join(" AND ", conditions))
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.UPDATED_NEW)).attributes();
        } catch (ConditionalCheckFailedException e) {
            return null;
        }
    }

    private static Progress counters(int planned, Map<String, AttributeValue> item) {
        return Progress.of(planned, (int) number(item, "imported", 0), (int) number(item, "skipped", 0),
                (int) number(item, "failed", 0), (int) number(item, "cancelled", 0));
    }

    private Progress progress(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key).consistentRead(true)
                .projectionExpression("planned, imported, skipped, failed, cancelled")).item();
        return counters((int) number(item, "planned", 0), item);
    }

    /**
     * Ends an execution with the status {@code status} gives for its counters; dates without an
     * outcome count as {@code unrecorded} (CANCELLED or FAILED), so that imported + skipped +
     * failed + cancelled = planned. Optimistic on the counters, so a late outcome cannot be
     * counted twice, and the status always matches the counters it was chosen from.
     *
     * @return the execution as it ended, or empty when it had already ended
     */
    public Optional<Execution> finish(Execution execution, Function<Progress, ExecutionStatus> status, Outcome unrecorded,
                                      String error, Instant at) {
        Execution current = execution;
        for (int attempt = 0; attempt < 5; attempt++) {
            if (current.status().terminal()) {
                return Optional.empty();
            }
            Progress p = current.progress();
            ExecutionStatus ending = status.apply(p);
            Map<String, AttributeValue> values = new HashMap<>(Map.of(
                    ":status", s(ending.name()), ":at", s(at.toString()), ":unrecorded", s(unrecorded.name()),
                    ":i", n(p.imported()), ":s", n(p.skipped()), ":f", n(p.failed()), ":c", n(p.cancelled()),
                    ":awaiting", s(ExecutionStatus.AWAITING_CONFIRMATION.name()),
                    ":running", s(ExecutionStatus.RUNNING.name()),
                    ":rest", n(p.pending())));
            String counter = unrecorded == Outcome.FAILED ? "failed" : "cancelled";
            String update = "SET #status = :status, finishedAt = :at, updatedAt = :at, unrecordedOutcome = :unrecorded "
                    + "REMOVE completionToken ADD " + counter + " :rest";
            if (error != null && ending != ExecutionStatus.SUCCEEDED) { // a run whose every date went well shows no error
                update = update.replace("SET ", "SET #error = :error, ");
                values.put(":error", s(error));
            }
            Optional<Execution> done = conditionalUpdate(current, update,
                    "#status IN (:awaiting, :running) AND imported = :i AND skipped = :s AND failed = :f AND cancelled = :c", values);
            if (done.isPresent()) {
                return done;
            }
            current = get(execution.clientId(), execution.syncId(), execution.executionId()).orElseThrow();
        }
        throw new IllegalStateException("execution " + execution.executionId() + " kept changing while finishing");
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

    private static Map<String, AttributeValue> tokenKey(String clientId, String syncId, String executionId) {
        return Map.of("syncKey", s(TOKEN_PARTITION_PREFIX + clientId + "#" + syncId), "executionId", s(executionId));
    }

    private static AttributeValue confirmationValue(Confirmation c) {
        Map<String, AttributeValue> m = new HashMap<>(Map.of("decision", s(c.decision().name()), "by", s(c.by()),
                "at", s(c.at().toString())));
        if (c.planDigest() != null) {
            m.put("planDigest", s(c.planDigest()));
        }
        return AttributeValue.fromM(m);
    }

    private static Execution execution(Map<String, AttributeValue> item, boolean withOutcomes) {
        Plan plan = read(item.get("plan").b().asByteArray());
        ExecutionStatus status = ExecutionStatus.valueOf(string(item, "status"));
        Progress progress = Progress.of(plan.datesCount(), (int) number(item, "imported", 0), (int) number(item, "skipped", 0),
                (int) number(item, "failed", 0), (int) number(item, "cancelled", 0));
        return new Execution(
                string(item, "executionId"), string(item, "clientId"), string(item, "syncId"),
                Mode.valueOf(string(item, "mode")), item.get("reimport") != null && item.get("reimport").bool(),
                Trigger.valueOf(string(item, "trigger")), string(item, "requestedBy"), status,
                instant(item, "createdAt"), instant(item, "updatedAt"), instant(item, "finishedAt"),
                plan, progress, withOutcomes ? outcomes(plan, status, item.get("outcomes"), string(item, "unrecordedOutcome")) : null,
                confirmation(item.get("confirmation")), cancellation(item.get("cancellation")), string(item, "error"));
    }

    /** One outcome per planned date; a date without a recorded outcome is pending, or cancelled once the execution ended. */
    private static List<DateOutcome> outcomes(Plan plan, ExecutionStatus status, AttributeValue stored, String unrecordedOutcome) {
        Map<String, AttributeValue> byDate = stored == null || stored.m() == null ? Map.of() : stored.m();
        Outcome unrecorded = status.terminal() ? Outcome.CANCELLED : Outcome.PENDING;
        if (status.terminal() && unrecordedOutcome != null) {
            unrecorded = Outcome.valueOf(unrecordedOutcome);
        }
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
}
