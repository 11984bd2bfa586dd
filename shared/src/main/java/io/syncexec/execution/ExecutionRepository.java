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
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static io.syncexec.dynamodb.Items.bool;
import static io.syncexec.dynamodb.Items.instant;
import static io.syncexec.dynamodb.Items.n;
import static io.syncexec.dynamodb.Items.number;
import static io.syncexec.dynamodb.Items.s;
import static io.syncexec.dynamodb.Items.string;

/**
 * Executions of a sync under {@code syncKey = "<client>#<sync>"}, {@code executionId} (UUIDv7,
 * so newest first is a backwards query). Per-date outcomes are items of their own under
 * {@code syncKey = "<client>#<sync>#<executionId>"}, {@code executionId = "<date>"}, so no item's
 * size depends on the number of dates; the execution item keeps the counters, kept exact by
 * conditional adds and recounts (see {@link #recordOutcomes}).
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
    /** Executions a filtered list looks at per call, at most. */
    public static final int MAX_EXAMINED = 200;
    /**
     * The sparse index of executions that have not ended: {@link #ACTIVE_KEY} is set while an
     * execution waits or runs and removed when it ends, so the sweeper reads only those.
     */
    public static final String ACTIVE_INDEX = "ActiveExecutions";
    static final String ACTIVE_KEY = "activeShard";
    static final String ACTIVE = "ACTIVE";

    /** How many per-date outcomes an execution read with {@link #get} carries; {@link #outcomes} pages the rest. */
    public static final int FIRST_PAGE = 31;

    private final DynamoDbClient dynamo;
    private final String table;

    private final java.time.Clock clock;

    public ExecutionRepository(DynamoDbClient dynamo, String table) {
        this(dynamo, table, java.time.Clock.systemUTC());
    }

    /** @param clock stamps each outcome item with when it was recorded: one recorded after its execution ended is not counted */
    public ExecutionRepository(DynamoDbClient dynamo, String table, java.time.Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
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
        item.put("countEpoch", n(0));
        if (!execution.status().terminal()) {
            item.put(ACTIVE_KEY, s(ACTIVE));
        }
        int planBytes = item.get("plan").b().asByteArray().length;
        if (planBytes > MAX_NEW_ITEM_BYTES) {
            throw new IllegalStateException("the plan of execution " + execution.executionId() + " takes " + planBytes
                    + " bytes; it cannot be recorded");
        }
        return new NewItem(execution, item);
    }

    /** The execution with its counters, without per-date outcomes (one read: its size does not depend on the dates). */
    public Optional<Execution> get(String clientId, String syncId, String executionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(key(clientId, syncId, executionId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(execution(item));
    }

    /** The execution with the first page of its per-date outcomes, as the API shows it. */
    public Optional<Execution> getWithOutcomes(String clientId, String syncId, String executionId) {
        return get(clientId, syncId, executionId).map(this::withFirstPage);
    }

    /** {@code execution} with the first page of its per-date outcomes (one query). */
    public Execution withFirstPage(Execution execution) {
        OutcomePage page = outcomes(execution, null, FIRST_PAGE);
        return execution.withOutcomes(page.outcomes(), page.lastDate() == null ? null : page.lastDate().toString());
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
        response.items().forEach(item -> executions.add(execution(item)));
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
                    executions.add(execution(item));
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

    /** Where an execution that has not ended is: its client, sync and id. */
    public record ActiveRef(String clientId, String syncId, String executionId) {
    }

    /** Every execution that has not ended, from the sparse index: O(active executions), never the whole table. */
    public List<ActiveRef> active() {
        List<ActiveRef> refs = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse response = dynamo.query(r -> {
                r.tableName(table).indexName(ACTIVE_INDEX)
                        .keyConditionExpression(ACTIVE_KEY + " = :a")
                        .expressionAttributeValues(Map.of(":a", s(ACTIVE)));
                if (exclusiveStart != null) {
                    r.exclusiveStartKey(exclusiveStart);
                }
            });
            for (Map<String, AttributeValue> item : response.items()) {
                String[] sync = string(item, "syncKey").split("#", 2);
                refs.add(new ActiveRef(sync[0], sync[1], string(item, "executionId")));
            }
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        return refs;
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
            update += ", finishedAt = :at, cancelled = planned REMOVE " + ACTIVE_KEY;
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
        conditionalUpdate(execution, "SET #status = :failed, #error = :error, updatedAt = :at, finishedAt = :at, cancelled = planned "
                        + "REMOVE " + ACTIVE_KEY,
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
     * Records outcomes of a running execution, one item per date (SPEC invariant 10), and adds
     * them to the execution's counters in one update. {@code exclusive} outcomes are ones only
     * their writer can produce (it claimed the date and imported it or recorded its last failure):
     * they are written in batches. {@code shared} ones (skipped, already imported by this run,
     * cancelled) may be produced again by a repeated delivery: each is written only if the date
     * has no outcome yet. The counters are added only for what was written, conditional on the
     * counting epoch read with the execution, so a recount in between makes the add fail and the
     * writer recounts instead: a date is counted once (invariant 6).
     *
     * @return what was written, and the execution's progress after it
     */
    public Recorded recordOutcomes(Execution execution, long epoch, List<DateOutcome> exclusive, List<DateOutcome> shared) {
        Instant at = clock.instant();
        List<DateOutcome> written = new ArrayList<>(exclusive);
        boolean foundRecorded = false;
        for (int start = 0; start < exclusive.size(); start += 25) {
            List<WriteRequest> puts = exclusive.subList(start, Math.min(exclusive.size(), start + 25)).stream()
                    .map(o -> WriteRequest.builder().putRequest(p -> p.item(outcomeItem(execution, o, at))).build()).toList();
            Map<String, List<WriteRequest>> pending = Map.of(table, puts);
            for (int attempt = 0; !pending.isEmpty() && !pending.getOrDefault(table, List.of()).isEmpty(); attempt++) {
                if (attempt == 8) {
                    throw new IllegalStateException("outcomes of " + execution.executionId() + " could not be written");
                }
                Map<String, List<WriteRequest>> request = pending;
                pending = dynamo.batchWriteItem(r -> r.requestItems(request)).unprocessedItems();
            }
        }
        for (DateOutcome outcome : shared) {
            try {
                dynamo.putItem(r -> r.tableName(table).item(outcomeItem(execution, outcome, at))
                        .conditionExpression("attribute_not_exists(executionId)"));
                written.add(outcome);
            } catch (ConditionalCheckFailedException e) {
                foundRecorded = true; // a repeated delivery: counted when it was first recorded
            }
        }
        if (written.isEmpty()) {
            return new Recorded(0, foundRecorded, progress(execution));
        }
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        written.forEach(o -> counts.merge(o.outcome(), 1, Integer::sum));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":running", s(ExecutionStatus.RUNNING.name()), ":epoch", n(epoch)));
        List<String> adds = new ArrayList<>();
        for (Outcome outcome : COUNTED) {
            String counter = counter(outcome);
            adds.add(counter + " :n" + counter);
            values.put(":n" + counter, n(counts.getOrDefault(outcome, 0)));
        }
        try {
            Map<String, AttributeValue> updated = dynamo.updateItem(r -> r.tableName(table).key(key(execution))
                    .updateExpression("ADD " + String.join(", ", adds))
                    .conditionExpression("#status = :running AND " + EPOCH_IS)
                    .expressionAttributeNames(Map.of("#status", "status", "#epoch", "countEpoch"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.UPDATED_NEW)).attributes();
            return new Recorded(written.size(), foundRecorded, counters(execution.plan().datesCount(), updated));
        } catch (ConditionalCheckFailedException e) {
            // Recounted since this batch began, or no longer running: the items are the truth.
            return new Recorded(written.size(), foundRecorded, recount(execution));
        }
    }

    /** What {@link #recordOutcomes} wrote: how many new outcomes, whether some date already had one, and the progress. */
    public record Recorded(int written, boolean foundRecorded, Progress progress) {
    }

    /**
     * Sets the counters of an execution that has not ended to what its outcome items say, if they
     * differ (a writer died between its items and its counters, or a date was recorded twice),
     * and moves the counting epoch so that an add begun before this fails and recounts.
     *
     * @return the exact progress
     */
    public Progress recount(Execution execution) {
        for (int attempt = 0; attempt < 8; attempt++) {
            Map<String, AttributeValue> item = counterItem(execution);
            if (item == null || item.isEmpty()) {
                throw new IllegalStateException("execution " + execution.executionId() + " does not exist");
            }
            int planned = (int) number(item, "planned", 0);
            Progress stored = counters(planned, item);
            if (ExecutionStatus.valueOf(string(item, "status")).terminal()) {
                return stored;
            }
            Tally tally = tally(execution, null);
            Progress exact = tally.progress(planned);
            if (exact.equals(stored)) {
                return stored;
            }
            long epoch = number(item, "countEpoch", 0);
            try {
                dynamo.updateItem(r -> r.tableName(table).key(key(execution))
                        .updateExpression("SET imported = :i, skipped = :s, failed = :f, cancelled = :c, #epoch = :next")
                        .conditionExpression("#status IN (:awaiting, :running) AND " + EPOCH_IS)
                        .expressionAttributeNames(Map.of("#status", "status", "#epoch", "countEpoch"))
                        .expressionAttributeValues(values(Map.of(":i", n(exact.imported()), ":s", n(exact.skipped()),
                                ":f", n(exact.failed()), ":c", n(exact.cancelled()), ":next", n(epoch + 1), ":epoch", n(epoch)),
                                Map.of(":awaiting", s(ExecutionStatus.AWAITING_CONFIRMATION.name()),
                                ":running", s(ExecutionStatus.RUNNING.name())))));
                return exact;
            } catch (ConditionalCheckFailedException e) {
                // counted or ended meanwhile: look again
            }
        }
        throw new IllegalStateException("execution " + execution.executionId() + " kept changing while recounting");
    }


    /** The dates of the execution that have an outcome item. One query per page of about 1 MB. */
    public Set<LocalDate> recordedDates(Execution execution) {
        Set<LocalDate> dates = new HashSet<>();
        forEachOutcome(execution, null, item -> dates.add(LocalDate.parse(string(item, "executionId"))));
        return dates;
    }

    /** When the execution's latest outcome was recorded, from its outcome items; null if none. */
    public Instant lastOutcomeAt(Execution execution) {
        Instant[] last = {null};
        forEachOutcome(execution, "recordedAt", item -> {
            Instant at = item.containsKey("recordedAt") ? instant(item, "recordedAt") : null;
            if (at != null && (last[0] == null || at.isAfter(last[0]))) {
                last[0] = at;
            }
        });
        return last[0];
    }

    /** The newest date this execution imported, from its outcome items; null if none. */
    public LocalDate lastImportedDate(Execution execution) {
        return tally(execution, execution.finishedAt()).lastImported();
    }

    /**
     * One page of an execution's per-date outcomes, in date order, after {@code afterDate} (null:
     * from the first): a planned date without an outcome item is PENDING while the execution runs,
     * and counts as its unrecorded outcome once it ended. One query per page.
     */
    public OutcomePage outcomes(Execution execution, LocalDate afterDate, int limit) {
        List<LocalDate> dates = execution.plan().dates();
        int from = 0;
        if (afterDate != null) {
            int at = java.util.Collections.binarySearch(dates, afterDate);
            from = at >= 0 ? at + 1 : -at - 1;
        }
        List<LocalDate> page = dates.subList(Math.min(from, dates.size()), Math.min(dates.size(), from + limit));
        if (page.isEmpty()) {
            return new OutcomePage(List.of(), null);
        }
        Map<LocalDate, Map<String, AttributeValue>> items = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse response = dynamo.query(r -> {
                r.tableName(table).consistentRead(true)
                        .keyConditionExpression("syncKey = :k AND executionId BETWEEN :from AND :to")
                        .expressionAttributeValues(Map.of(":k", s(outcomeKey(execution)),
                                ":from", s(page.get(0).toString()), ":to", s(page.get(page.size() - 1).toString())));
                if (exclusiveStart != null) {
                    r.exclusiveStartKey(exclusiveStart);
                }
            });
            response.items().forEach(item -> items.put(LocalDate.parse(string(item, "executionId")), item));
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
        Outcome unrecorded = unrecorded(execution);
        List<DateOutcome> outcomes = new ArrayList<>(page.size());
        for (LocalDate date : page) {
            Map<String, AttributeValue> item = items.get(date);
            outcomes.add(item == null || lateFor(execution, item) ? new DateOutcome(date, unrecorded, null, null) : outcome(date, item));
        }
        boolean more = from + page.size() < dates.size();
        return new OutcomePage(outcomes, more ? page.get(page.size() - 1) : null);
    }

    /** A page of outcomes and the last date it holds when more follow (else null). */
    public record OutcomePage(List<DateOutcome> outcomes, LocalDate lastDate) {
    }

    /**
     * Ends an execution with the status {@code status} gives for its counters, counted from its
     * outcome items; dates without an outcome count as {@code unrecorded} (CANCELLED or FAILED),
     * so that imported + skipped + failed + cancelled = planned. Conditional on the counting epoch
     * read before the count, so a late outcome cannot be counted twice, and the status always
     * matches the counters it was chosen from.
     *
     * @return the execution as it ended, or empty when it had already ended
     */
    public Optional<Execution> finish(Execution execution, Function<Progress, ExecutionStatus> status, Outcome unrecorded,
                                      String error, Instant at) {
        for (int attempt = 0; attempt < 8; attempt++) {
            Map<String, AttributeValue> item = counterItem(execution);
            if (item == null || item.isEmpty() || ExecutionStatus.valueOf(string(item, "status")).terminal()) {
                return Optional.empty();
            }
            int planned = (int) number(item, "planned", 0);
            long epoch = number(item, "countEpoch", 0);
            Progress p = tally(execution, at).progress(planned);
            ExecutionStatus ending = status.apply(p);
            int rest = p.pending();
            Map<String, AttributeValue> values = values(Map.of(
                    ":status", s(ending.name()), ":at", s(at.toString()), ":unrecorded", s(unrecorded.name()),
                    ":i", n(p.imported()), ":s", n(p.skipped()),
                    ":f", n(p.failed() + (unrecorded == Outcome.FAILED ? rest : 0)),
                    ":c", n(p.cancelled() + (unrecorded == Outcome.FAILED ? 0 : rest))),
                    Map.of(":awaiting", s(ExecutionStatus.AWAITING_CONFIRMATION.name()),
                    ":running", s(ExecutionStatus.RUNNING.name()),
                    ":epoch", n(epoch), ":next", n(epoch + 1)));
            String update = "SET #status = :status, finishedAt = :at, updatedAt = :at, unrecordedOutcome = :unrecorded, "
                    + "imported = :i, skipped = :s, failed = :f, cancelled = :c, #epoch = :next";
            if (error != null && ending != ExecutionStatus.SUCCEEDED) { // a run whose every date went well shows no error
                update += ", #error = :error";
                values.put(":error", s(Execution.cap(error)));
            }
            update += " REMOVE " + ACTIVE_KEY + ", completionToken"; // an ended run answers no wait any more
            Optional<Execution> done = conditionalUpdate(execution, update, "#status IN (:awaiting, :running) AND " + EPOCH_IS, values);
            if (done.isPresent()) {
                return done;
            }
        }
        throw new IllegalStateException("execution " + execution.executionId() + " kept changing while finishing");
    }

    private static Map<String, AttributeValue> values(Map<String, AttributeValue> some, Map<String, AttributeValue> more) {
        Map<String, AttributeValue> all = new HashMap<>(some);
        all.putAll(more);
        return all;
    }

    private static final List<Outcome> COUNTED = List.of(Outcome.IMPORTED, Outcome.SKIPPED, Outcome.FAILED, Outcome.CANCELLED);
    private static final String EPOCH_IS = "(#epoch = :epoch OR attribute_not_exists(#epoch))";

    private static String counter(Outcome outcome) {
        return outcome.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Counts of an execution's outcome items (items recorded after {@code before}, if given, are left out). */
    private record Tally(Map<Outcome, Integer> counts, LocalDate lastImported) {
        Progress progress(int planned) {
            return Progress.of(planned, counts.getOrDefault(Outcome.IMPORTED, 0), counts.getOrDefault(Outcome.SKIPPED, 0),
                    counts.getOrDefault(Outcome.FAILED, 0), counts.getOrDefault(Outcome.CANCELLED, 0));
        }
    }

    private Tally tally(Execution execution, Instant before) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        LocalDate[] last = {null};
        forEachOutcome(execution, "executionId, outcome, recordedAt", item -> {
            if (before != null && item.containsKey("recordedAt") && instant(item, "recordedAt").isAfter(before)) {
                return;
            }
            Outcome outcome = Outcome.valueOf(string(item, "outcome"));
            counts.merge(outcome, 1, Integer::sum);
            LocalDate date = LocalDate.parse(string(item, "executionId"));
            if (outcome == Outcome.IMPORTED && (last[0] == null || date.isAfter(last[0]))) {
                last[0] = date;
            }
        });
        return new Tally(counts, last[0]);
    }

    private void forEachOutcome(Execution execution, String projection, java.util.function.Consumer<Map<String, AttributeValue>> each) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse response = dynamo.query(r -> {
                r.tableName(table).consistentRead(true)
                        .keyConditionExpression("syncKey = :k")
                        .expressionAttributeValues(Map.of(":k", s(outcomeKey(execution))));
                if (projection != null) {
                    r.projectionExpression(projection);
                }
                if (exclusiveStart != null) {
                    r.exclusiveStartKey(exclusiveStart);
                }
            });
            response.items().forEach(each);
            start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        } while (start != null);
    }

    private Map<String, AttributeValue> counterItem(Execution execution) {
        return dynamo.getItem(r -> r.tableName(table).key(key(execution)).consistentRead(true)
                .projectionExpression("planned, imported, skipped, failed, cancelled, #status, countEpoch")
                .expressionAttributeNames(Map.of("#status", "status"))).item();
    }

    private Progress progress(Execution execution) {
        Map<String, AttributeValue> item = counterItem(execution);
        return counters(execution.plan().datesCount(), item == null ? Map.of() : item);
    }

    private static Progress counters(int planned, Map<String, AttributeValue> item) {
        return Progress.of(planned, (int) number(item, "imported", 0), (int) number(item, "skipped", 0),
                (int) number(item, "failed", 0), (int) number(item, "cancelled", 0));
    }

    /** Outcome items live next to executions: {@code syncKey = "<client>#<sync>#<executionId>"}, {@code executionId = "<date>"}. */
    private static String outcomeKey(Execution execution) {
        return execution.clientId() + "#" + execution.syncId() + "#" + execution.executionId();
    }

    private static Map<String, AttributeValue> outcomeItem(Execution execution, DateOutcome outcome, Instant at) {
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

    private static DateOutcome outcome(LocalDate date, Map<String, AttributeValue> item) {
        return new DateOutcome(date, Outcome.valueOf(string(item, "outcome")),
                item.containsKey("records") ? number(item, "records", 0) : null, string(item, "error"), string(item, "errorCode"));
    }

    /** An outcome recorded after its execution ended (a late worker) is not counted, so it is not shown either. */
    private static boolean lateFor(Execution execution, Map<String, AttributeValue> item) {
        return execution.finishedAt() != null && item.containsKey("recordedAt") && instant(item, "recordedAt").isAfter(execution.finishedAt());
    }

    private static Outcome unrecorded(Execution execution) {
        if (!execution.status().terminal()) {
            return Outcome.PENDING;
        }
        return execution.error() != null && execution.status() != ExecutionStatus.CANCELLED
                && execution.status() != ExecutionStatus.EXPIRED && execution.progress().failed() > 0
                ? Outcome.FAILED : Outcome.CANCELLED;
    }

    private Optional<Execution> conditionalUpdate(Execution execution, String update, String condition,
                                                  Map<String, AttributeValue> values) {
        Map<String, String> names = new HashMap<>(Map.of("#status", "status"));
        if (update.contains("#error")) {
            names.put("#error", "error");
        }
        if (update.contains("#epoch") || condition.contains("#epoch")) {
            names.put("#epoch", "countEpoch");
        }
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(table)
                    .key(key(execution.clientId(), execution.syncId(), execution.executionId()))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(execution(item));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    private static Map<String, AttributeValue> key(Execution execution) {
        return key(execution.clientId(), execution.syncId(), execution.executionId());
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

    private static Execution execution(Map<String, AttributeValue> item) {
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
}
