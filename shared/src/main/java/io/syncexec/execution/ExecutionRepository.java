package io.syncexec.execution;

import io.syncexec.execution.Execution.Cancellation;
import io.syncexec.execution.Execution.Confirmation;
import io.syncexec.execution.Execution.DateOutcome;
import io.syncexec.execution.Execution.Decision;
import io.syncexec.execution.Execution.Progress;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
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
import static io.syncexec.execution.ExecutionItems.ACTIVE_KEY;
import static io.syncexec.execution.ExecutionItems.EPOCH_IS;
import static io.syncexec.execution.ExecutionItems.confirmationValue;
import static io.syncexec.execution.ExecutionItems.execution;
import static io.syncexec.execution.ExecutionItems.key;
import static io.syncexec.execution.ExecutionItems.newItem;
import static io.syncexec.execution.ExecutionItems.tokenKey;
import static io.syncexec.execution.ExecutionItems.values;

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
public final class ExecutionRepository {
    /** The partition-key prefix of confirmation-token items: template.yaml's IAM conditions name it. */
    public static final String TOKEN_PARTITION_PREFIX = "#token#";
    /** Executions a filtered list looks at per call, at most. */
    public static final int MAX_EXAMINED = 200;
    /**
     * The sparse index of executions that have not ended: {@code activeShard} is set while an
     * execution waits or runs and removed when it ends, so the sweeper reads only those.
     */
    public static final String ACTIVE_INDEX = "ActiveExecutions";

    /** How many per-date outcomes an execution read with {@link #get} carries; {@link #outcomes} pages the rest. */
    public static final int FIRST_PAGE = 31;

    private final DynamoDbClient dynamo;
    private final String table;

    private final ExecutionQueries queries;
    private final ExecutionOutcomes outcomes;
    private final ExecutionSlots slots;

    /** @param clock stamps each outcome item with when it was recorded: one recorded after its execution ended is not counted */
    public ExecutionRepository(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.queries = new ExecutionQueries(dynamo, table);
        this.outcomes = new ExecutionOutcomes(dynamo, table, clock);
        this.slots = new ExecutionSlots(dynamo, table);
    }

    /** An execution item built and measured, ready to write: building it cannot fail after a lock is taken. */
    public record NewItem(Execution execution, Map<String, AttributeValue> item) {
    }

    /** As {@link #create(NewItem)}, the item prepared here. */
    public boolean create(Execution execution) {
        return create(prepare(execution));
    }

    /**
     * Writes a prepared execution item, unless an execution of that id exists already.
     *
     * @return false when the execution existed (nothing written)
     */
    public boolean create(NewItem prepared) {
        try {
            dynamo.putItem(r -> r.tableName(table).item(prepared.item())
                    .conditionExpression("attribute_not_exists(executionId)"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Builds the item of a new execution without writing it, and checks it fits in one DynamoDB
     * item (a plan of any run the spec allows does: 3,660 dates gzip to a few KB).
     *
     * @throws IllegalStateException when the item could never be written
     */
    public NewItem prepare(Execution execution) {
        return new NewItem(execution, newItem(execution));
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
        return queries.list(clientId, syncId, limit, startAfterExecutionId);
    }

    /**
     * A page of the sync's executions that pass {@code filter}, newest first, without per-date
     * outcomes. DynamoDB reads every execution to filter it (a filter costs what reading costs), so
     * one call looks at {@link #MAX_EXAMINED} executions at most: a page may hold fewer than
     * {@code limit}, even none, and still have a next page ({@code lastExecutionId} not null) when
     * older executions remain to look at.
     */
    public Page list(String clientId, String syncId, int limit, String startAfterExecutionId, ExecutionFilter filter) {
        return queries.list(clientId, syncId, limit, startAfterExecutionId, filter);
    }

    public record Page(List<Execution> executions, String lastExecutionId) {
    }

    /** Where an execution that has not ended is: its client, sync and id. */
    public record ActiveRef(String clientId, String syncId, String executionId) {
    }

    /** Every execution that has not ended, from the sparse index: O(active executions), never the whole table. */
    public List<ActiveRef> active() {
        return queries.active();
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
        return outcomes.recordOutcomes(execution, epoch, exclusive, shared, null);
    }

    /** The same, giving back {@code holder}'s slot ({@link #enterSlot}) in the counter add; or on its own when there is none. */
    public Recorded recordOutcomes(Execution execution, long epoch, List<DateOutcome> exclusive, List<DateOutcome> shared, String holder) {
        Recorded recorded = outcomes.recordOutcomes(execution, epoch, exclusive, shared, holder);
        if (holder != null && !recorded.released()) {
            slots.leave(execution.clientId(), execution.syncId(), execution.executionId(), holder);
        }
        return recorded;
    }

    /**
     * What {@link #recordOutcomes} wrote: how many new outcomes, whether some date already had one,
     * the progress, and whether the counter add gave a slot back.
     */
    public record Recorded(int written, boolean foundRecorded, Progress progress, boolean released) {
        public Recorded(int written, boolean foundRecorded, Progress progress) {
            this(written, foundRecorded, progress, false);
        }
    }

    /**
     * A worker's try at one of the run's {@code cap} slots ({@link ExecutionSlots}): the execution,
     * read by the same request, whether the slot is held, and otherwise how many are held and when
     * the first of their leases ends.
     */
    public record SlotEntry(Execution execution, boolean entered, int held, Instant firstLeaseEnd) {
    }

    /** Takes one of the run's {@code cap} slots for {@code holder} until {@code leaseUntil}; null when the execution does not exist. */
    public SlotEntry enterSlot(String clientId, String syncId, String executionId, String holder, int cap, Instant now, Instant leaseUntil) {
        return slots.enter(clientId, syncId, executionId, holder, cap, now, leaseUntil);
    }

    /** Gives {@code holder}'s slot back. Safe to repeat. */
    public void leaveSlot(String clientId, String syncId, String executionId, String holder) {
        slots.leave(clientId, syncId, executionId, holder);
    }

    /**
     * Sets the counters of an execution that has not ended to what its outcome items say, if they
     * differ (a writer died between its items and its counters, or a date was recorded twice),
     * and moves the counting epoch so that an add begun before this fails and recounts.
     *
     * @return the exact progress
     */
    public Progress recount(Execution execution) {
        return outcomes.recount(execution);
    }

    /** The dates of the execution that have an outcome item. One query per page of about 1 MB. */
    public Set<LocalDate> recordedDates(Execution execution) {
        return outcomes.recordedDates(execution);
    }

    /** When the execution's latest outcome was recorded, from its outcome items; null if none. */
    public Instant lastOutcomeAt(Execution execution) {
        return outcomes.lastOutcomeAt(execution);
    }

    /** The newest date this execution imported, from its outcome items; null if none. */
    public LocalDate lastImportedDate(Execution execution) {
        return outcomes.lastImportedDate(execution);
    }

    /**
     * One page of an execution's per-date outcomes, in date order, after {@code afterDate} (null:
     * from the first): a planned date without an outcome item is PENDING while the execution runs,
     * and counts as its unrecorded outcome once it ended. One query per page.
     */
    public OutcomePage outcomes(Execution execution, LocalDate afterDate, int limit) {
        return outcomes.outcomes(execution, afterDate, limit);
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
            Map<String, AttributeValue> item = outcomes.counterItem(execution);
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
}
