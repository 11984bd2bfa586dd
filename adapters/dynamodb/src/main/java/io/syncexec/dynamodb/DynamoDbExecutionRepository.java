package io.syncexec.dynamodb;

import io.syncexec.execution.Execution.Cancellation;
import io.syncexec.execution.Execution.Confirmation;
import io.syncexec.execution.Execution.DateOutcome;
import io.syncexec.execution.Execution.Decision;
import io.syncexec.execution.Execution.Progress;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionFilter;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.execution.Outcome;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static io.syncexec.dynamodb.Attributes.n;
import static io.syncexec.dynamodb.Attributes.number;
import static io.syncexec.dynamodb.Attributes.s;
import static io.syncexec.dynamodb.Attributes.string;
import static io.syncexec.dynamodb.ExecutionItems.ACTIVE_KEY;
import static io.syncexec.dynamodb.ExecutionItems.EPOCH_IS;
import static io.syncexec.dynamodb.ExecutionItems.confirmationValue;
import static io.syncexec.dynamodb.ExecutionItems.execution;
import static io.syncexec.dynamodb.ExecutionItems.key;
import static io.syncexec.dynamodb.ExecutionItems.newItem;
import static io.syncexec.dynamodb.ExecutionItems.tokenKey;
import static io.syncexec.dynamodb.ExecutionItems.values;

/**
 * Executions of a sync under {@code syncKey = "<client>#<sync>"}, {@code executionId} (UUIDv7,
 * so newest first is a backwards query). Per-date outcomes are items of their own under
 * {@code syncKey = "<client>#<sync>#<executionId>"}, {@code executionId = "<date>"}, so no item's
 * size depends on the number of dates; the execution item keeps the counters, kept exact by
 * conditional adds and recounts (see {@link #recordOutcomes}).
 *
 * <p>This class is the executions' one entry point: it records runs, their decisions and wait
 * tokens, and ends them; the run list ({@link ExecutionQueries}), the outcome items and counters
 * ({@link ExecutionOutcomes}) and the item mapping ({@link ExecutionItems}) are its parts.
 *
 * <p>The task token of a confirmation wait lives in an item of its own, under the partition
 * {@code #token#<client>#<sync>} ({@link #TOKEN_PARTITION_PREFIX}; no client id holds {@code #}),
 * so that IAM can keep it from every role but the API's ({@code dynamodb:LeadingKeys} conditions
 * in template.yaml): the workers, dispatch, finalize and the schedule can read executions but
 * never that token. It is deleted once answered. The import wait's token ({@code completionToken})
 * stays in the execution item and is removed once answered or when the execution ends.
 */
public final class DynamoDbExecutionRepository implements ExecutionRepository {
    /** The partition-key prefix of confirmation-token items: template.yaml's IAM conditions name it. */
    public static final String TOKEN_PARTITION_PREFIX = "#token#";
    /** Executions a filtered list looks at per call, at most. */
    public static final int MAX_EXAMINED = 200;
    /**
     * The sparse index of executions that have not ended: {@code activeShard} is set while an
     * execution waits or runs and removed when it ends, so the sweeper reads only those.
     */
    public static final String ACTIVE_INDEX = "ActiveExecutions";

    private final DynamoDbClient dynamo;
    private final String table;
    private final ConditionalWrite writes;

    private final ExecutionQueries queries;
    private final ExecutionOutcomes outcomes;
    private final ExecutionSlots slots;

    /** @param clock stamps each outcome item with when it was recorded: one recorded after its execution ended is not counted */
    public DynamoDbExecutionRepository(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.writes = new ConditionalWrite(dynamo, table);
        this.queries = new ExecutionQueries(dynamo, table);
        this.outcomes = new ExecutionOutcomes(dynamo, table, clock);
        this.slots = new ExecutionSlots(dynamo, table);
    }

    @Override
    public boolean create(Execution execution) {
        return create(prepare(execution));
    }

    @Override
    public boolean create(NewItem prepared) {
        return writes.put(((Prepared) prepared).item()).when("attribute_not_exists(#executionId)").run().written();
    }

    @Override
    public NewItem prepare(Execution execution) {
        return new Prepared(execution, newItem(execution));
    }

    /** An execution's item, built and measured. */
    private record Prepared(Execution execution, Map<String, AttributeValue> item) implements NewItem {
    }

    @Override
    public Optional<Execution> get(String clientId, String syncId, String executionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(key(clientId, syncId, executionId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(execution(item));
    }

    @Override
    public Optional<Execution> getWithOutcomes(String clientId, String syncId, String executionId) {
        return get(clientId, syncId, executionId).map(this::withFirstPage);
    }

    @Override
    public Execution withFirstPage(Execution execution) {
        OutcomePage page = outcomes(execution, null, FIRST_PAGE);
        return execution.withOutcomes(page.outcomes(), page.lastDate() == null ? null : page.lastDate().toString());
    }

    @Override
    public Page list(String clientId, String syncId, int limit, String startAfterExecutionId) {
        return queries.list(clientId, syncId, limit, startAfterExecutionId);
    }

    @Override
    public Page list(String clientId, String syncId, int limit, String startAfterExecutionId, ExecutionFilter filter) {
        return queries.list(clientId, syncId, limit, startAfterExecutionId, filter);
    }

    @Override
    public List<ActiveRef> active() {
        return queries.active();
    }

    @Override
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
        String update = "SET #status = :status, #confirmation = :confirmation, #updatedAt = :at";
        if (!confirmed) {
            update += ", #finishedAt = :at, #cancelled = #planned REMOVE #" + ACTIVE_KEY;
        }
        return conditionalUpdate(execution, update, "#status = :awaiting AND #planDigest = :digest", values).updated();
    }

    @Override
    public Optional<Execution> requestCancel(Execution execution, Cancellation cancellation) {
        return conditionalUpdate(execution, "SET #cancellation = if_not_exists(#cancellation, :c), #updatedAt = :at",
                "#status = :running",
                Map.of(":running", s(ExecutionStatus.RUNNING.name()),
                        ":c", AttributeValue.fromM(Map.of("by", s(cancellation.by()), "at", s(cancellation.at().toString()))),
                        ":at", s(cancellation.at().toString()))).updated();
    }

    @Override
    public void markFailed(Execution execution, String error, Instant at) {
        conditionalUpdate(execution, "SET #status = :failed, #error = :error, #updatedAt = :at, #finishedAt = :at, #cancelled = #planned "
                        + "REMOVE #" + ACTIVE_KEY,
                "#status IN (:awaiting, :running)",
                Map.of(":failed", s(ExecutionStatus.FAILED.name()), ":error", s(error), ":at", s(at.toString()),
                        ":awaiting", s(ExecutionStatus.AWAITING_CONFIRMATION.name()),
                        ":running", s(ExecutionStatus.RUNNING.name())));
    }

    @Override
    public Optional<String> taskToken(String clientId, String syncId, String executionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(tokenKey(clientId, syncId, executionId)).consistentRead(true)).item();
        return Optional.ofNullable(item == null || item.isEmpty() ? null : string(item, "taskToken"));
    }

    @Override
    public void removeConfirmationToken(String clientId, String syncId, String executionId) {
        dynamo.deleteItem(r -> r.tableName(table).key(tokenKey(clientId, syncId, executionId)));
    }

    @Override
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

    @Override
    public void storeCompletionToken(String clientId, String syncId, String executionId, String token) {
        // No execution to wait for is an error here (the step has just read it), as it always was.
        writes.update(key(clientId, syncId, executionId), "SET #completionToken = :t")
                .when("attribute_exists(#executionId)")
                .values(Map.of(":t", s(token)))
                .runOrThrow();
    }

    @Override
    public Optional<String> completionToken(String clientId, String syncId, String executionId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table)
                .key(key(clientId, syncId, executionId)).projectionExpression("completionToken").consistentRead(true)).item();
        return Optional.ofNullable(item == null ? null : string(item, "completionToken"));
    }

    @Override
    public void removeCompletionToken(String clientId, String syncId, String executionId, String token) {
        // Not written: already removed (a concurrent last outcome, or the execution ended).
        writes.update(key(clientId, syncId, executionId), "REMOVE #completionToken")
                .when("#completionToken = :t")
                .values(Map.of(":t", s(token)))
                .run();
    }

    @Override
    public Recorded recordOutcomes(Execution execution, long epoch, List<DateOutcome> exclusive, List<DateOutcome> shared) {
        return outcomes.recordOutcomes(execution, epoch, exclusive, shared, null);
    }

    @Override
    public Recorded recordOutcomes(Execution execution, long epoch, List<DateOutcome> exclusive, List<DateOutcome> shared, String holder) {
        Recorded recorded = outcomes.recordOutcomes(execution, epoch, exclusive, shared, holder);
        if (holder != null && !recorded.released()) {
            slots.leave(execution.clientId(), execution.syncId(), execution.executionId(), holder);
        }
        return recorded;
    }

    @Override
    public SlotEntry enterSlot(String clientId, String syncId, String executionId, String holder, int cap, Instant now, Instant leaseUntil) {
        return slots.enter(clientId, syncId, executionId, holder, cap, now, leaseUntil);
    }

    @Override
    public void leaveSlot(String clientId, String syncId, String executionId, String holder) {
        slots.leave(clientId, syncId, executionId, holder);
    }

    @Override
    public Progress recount(Execution execution) {
        return outcomes.recount(execution);
    }

    @Override
    public Set<LocalDate> recordedDates(Execution execution) {
        return outcomes.recordedDates(execution);
    }

    @Override
    public Instant lastOutcomeAt(Execution execution) {
        return outcomes.lastOutcomeAt(execution);
    }

    @Override
    public LocalDate lastImportedDate(Execution execution) {
        return outcomes.lastImportedDate(execution);
    }

    @Override
    public OutcomePage outcomes(Execution execution, LocalDate afterDate, int limit) {
        return outcomes.outcomes(execution, afterDate, limit);
    }

    @Override
    public Optional<Execution> finish(Execution execution, Function<Progress, ExecutionStatus> status, Outcome unrecorded,
                                      String error, Instant at) {
        Map<String, AttributeValue> item = outcomes.counterItem(execution);
        for (int attempt = 0; attempt < 8; attempt++) {
            if (item == null || item.isEmpty() || ExecutionStatus.valueOf(string(item, "status")).terminal()) {
                return Optional.empty();
            }
            int planned = (int) number(item, "planned", 0);
            long epoch = number(item, "countEpoch", 0);
            Progress p = outcomes.tally(execution, at).progress(planned);
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
            String update = "SET #status = :status, #finishedAt = :at, #updatedAt = :at, #unrecordedOutcome = :unrecorded, "
                    + "#imported = :i, #skipped = :s, #failed = :f, #cancelled = :c, #countEpoch = :next";
            if (error != null && ending != ExecutionStatus.SUCCEEDED) { // a run whose every date went well shows no error
                update += ", #error = :error";
                values.put(":error", s(Execution.cap(error)));
            }
            update += " REMOVE #" + ACTIVE_KEY + ", #completionToken"; // an ended run answers no wait any more
            Updated done = conditionalUpdate(execution, update, "#status IN (:awaiting, :running) AND " + EPOCH_IS, values);
            if (done.updated().isPresent()) {
                return done.updated();
            }
            item = done.old(); // counted or ended meanwhile: the item as the condition saw it, no second read
        }
        throw new IllegalStateException("execution " + execution.executionId() + " kept changing while finishing");
    }

    /** A conditional update of an execution: the execution after it, or the item as the condition saw it. */
    private record Updated(Optional<Execution> updated, Map<String, AttributeValue> old) {
    }

    private Updated conditionalUpdate(Execution execution, String update, String condition, Map<String, AttributeValue> values) {
        ConditionalWrite.Result result = writes.update(key(execution.clientId(), execution.syncId(), execution.executionId()), update)
                .when(condition).values(values).returning(ReturnValue.ALL_NEW).run();
        return new Updated(result.written() ? Optional.of(execution(result.attributes())) : Optional.empty(), result.old());
    }
}
