package io.syncexec.dynamodb;

import io.syncexec.execution.Execution.DateOutcome;
import io.syncexec.execution.Execution.Progress;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionRepository.OutcomePage;
import io.syncexec.execution.ExecutionRepository.Recorded;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.execution.Outcome;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static io.syncexec.dynamodb.Attributes.instant;
import static io.syncexec.dynamodb.Attributes.n;
import static io.syncexec.dynamodb.Attributes.number;
import static io.syncexec.dynamodb.Attributes.s;
import static io.syncexec.dynamodb.Attributes.string;
import static io.syncexec.dynamodb.ExecutionItems.EPOCH_IS;
import static io.syncexec.dynamodb.ExecutionItems.counters;
import static io.syncexec.dynamodb.ExecutionItems.key;
import static io.syncexec.dynamodb.ExecutionItems.lateFor;
import static io.syncexec.dynamodb.ExecutionItems.outcome;
import static io.syncexec.dynamodb.ExecutionItems.outcomeItem;
import static io.syncexec.dynamodb.ExecutionItems.outcomeKey;
import static io.syncexec.dynamodb.ExecutionItems.unrecorded;
import static io.syncexec.dynamodb.ExecutionItems.values;

/**
 * The per-date outcomes of executions, one item per date, and the counters on the execution item
 * that they are kept exact against (see {@link #recordOutcomes}).
 */
final class ExecutionOutcomes {
    private static final List<Outcome> COUNTED = List.of(Outcome.IMPORTED, Outcome.SKIPPED, Outcome.FAILED, Outcome.CANCELLED);

    private final DynamoDbClient dynamo;
    private final String table;
    private final ConditionalWrite writes;
    private final Clock clock;

    ExecutionOutcomes(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.writes = new ConditionalWrite(dynamo, table);
        this.clock = clock;
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
    Recorded recordOutcomes(Execution execution, long epoch, List<DateOutcome> exclusive, List<DateOutcome> shared, String holder) {
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
            if (writes.put(outcomeItem(execution, outcome, at)).when("attribute_not_exists(#executionId)").run().written()) {
                written.add(outcome);
            } else {
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
            adds.add("#" + counter + " :n" + counter);
            values.put(":n" + counter, n(counts.getOrDefault(outcome, 0)));
        }
        // The worker's slot (ExecutionSlots) goes back in the same request.
        String release = holder == null ? "" : " REMOVE #slots.#holder";
        ConditionalWrite.Write add = writes.update(key(execution), "ADD " + String.join(", ", adds) + release)
                .when("#status = :running AND " + EPOCH_IS).values(values).returning(ReturnValue.UPDATED_NEW);
        if (holder != null) {
            add.name("#holder", holder);
        }
        ConditionalWrite.Result added = add.run();
        if (added.written()) {
            return new Recorded(written.size(), foundRecorded, counters(execution.plan().datesCount(), added.attributes()), holder != null);
        }
        // Recounted since this batch began, or no longer running: the items are the truth, counted
        // from the execution as the condition saw it.
        return new Recorded(written.size(), foundRecorded, recount(execution, added.old()));
    }

    /**
     * Sets the counters of an execution that has not ended to what its outcome items say, if they
     * differ (a writer died between its items and its counters, or a date was recorded twice),
     * and moves the counting epoch so that an add begun before this fails and recounts.
     *
     * @return the exact progress
     */
    Progress recount(Execution execution) {
        return recount(execution, counterItem(execution));
    }

    /** {@link #recount(Execution)} from the execution's item as just read, or as a failed condition saw it. */
    private Progress recount(Execution execution, Map<String, AttributeValue> read) {
        Map<String, AttributeValue> item = read;
        for (int attempt = 0; attempt < 8; attempt++) {
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
            ConditionalWrite.Result set = writes.update(key(execution),
                            "SET #imported = :i, #skipped = :s, #failed = :f, #cancelled = :c, #countEpoch = :next")
                    .when("#status IN (:awaiting, :running) AND " + EPOCH_IS)
                    .values(values(Map.of(":i", n(exact.imported()), ":s", n(exact.skipped()),
                            ":f", n(exact.failed()), ":c", n(exact.cancelled()), ":next", n(epoch + 1), ":epoch", n(epoch)),
                            Map.of(":awaiting", s(ExecutionStatus.AWAITING_CONFIRMATION.name()),
                            ":running", s(ExecutionStatus.RUNNING.name()))))
                    .run();
            if (set.written()) {
                return exact;
            }
            item = set.old(); // counted or ended meanwhile: look again, at the item as the condition saw it
        }
        throw new IllegalStateException("execution " + execution.executionId() + " kept changing while recounting");
    }


    /** The dates of the execution that have an outcome item. One query per page of about 1 MB. */
    Set<LocalDate> recordedDates(Execution execution) {
        Set<LocalDate> dates = new HashSet<>();
        forEachOutcome(execution, null, item -> dates.add(LocalDate.parse(string(item, "executionId"))));
        return dates;
    }

    /** When the execution's latest outcome was recorded, from its outcome items; null if none. */
    Instant lastOutcomeAt(Execution execution) {
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
    LocalDate lastImportedDate(Execution execution) {
        return tally(execution, execution.finishedAt()).lastImported();
    }

    /**
     * One page of an execution's per-date outcomes, in date order, after {@code afterDate} (null:
     * from the first): a planned date without an outcome item is PENDING while the execution runs,
     * and counts as its unrecorded outcome once it ended. One query per page.
     */
    OutcomePage outcomes(Execution execution, LocalDate afterDate, int limit) {
        List<LocalDate> dates = execution.plan().dates();
        int from = 0;
        if (afterDate != null) {
            int at = Collections.binarySearch(dates, afterDate);
            from = at >= 0 ? at + 1 : -at - 1;
        }
        List<LocalDate> page = dates.subList(Math.min(from, dates.size()), Math.min(dates.size(), from + limit));
        if (page.isEmpty()) {
            return new OutcomePage(List.of(), null);
        }
        Map<LocalDate, Map<String, AttributeValue>> items = new HashMap<>();
        forEachOutcome(execution, null, page.get(0), page.get(page.size() - 1),
                item -> items.put(LocalDate.parse(string(item, "executionId")), item));
        Outcome unrecorded = unrecorded(execution);
        List<DateOutcome> outcomes = new ArrayList<>(page.size());
        for (LocalDate date : page) {
            Map<String, AttributeValue> item = items.get(date);
            outcomes.add(item == null || lateFor(execution, item) ? new DateOutcome(date, unrecorded, null, null) : outcome(date, item));
        }
        boolean more = from + page.size() < dates.size();
        return new OutcomePage(outcomes, more ? page.get(page.size() - 1) : null);
    }

    private static String counter(Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }

    /** Counts of an execution's outcome items (items recorded after {@code before}, if given, are left out). */
    record Tally(Map<Outcome, Integer> counts, LocalDate lastImported) {
        Progress progress(int planned) {
            return Progress.of(planned, counts.getOrDefault(Outcome.IMPORTED, 0), counts.getOrDefault(Outcome.SKIPPED, 0),
                    counts.getOrDefault(Outcome.FAILED, 0), counts.getOrDefault(Outcome.CANCELLED, 0));
        }
    }

    Tally tally(Execution execution, Instant before) {
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

    private void forEachOutcome(Execution execution, String projection, Consumer<Map<String, AttributeValue>> each) {
        forEachOutcome(execution, projection, null, null, each);
    }

    /** Each outcome item of the execution, dated from {@code first} to {@code last} when given, page by page; all attributes when {@code projection} is null. */
    private void forEachOutcome(Execution execution, String projection, LocalDate first, LocalDate last,
                                Consumer<Map<String, AttributeValue>> each) {
        String condition = first == null ? "syncKey = :k" : "syncKey = :k AND executionId BETWEEN :from AND :to";
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":k", s(outcomeKey(execution))));
        if (first != null) {
            values.put(":from", s(first.toString()));
            values.put(":to", s(last.toString()));
        }
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse response = dynamo.query(r -> {
                r.tableName(table).consistentRead(true)
                        .keyConditionExpression(condition)
                        .expressionAttributeValues(values);
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

    Map<String, AttributeValue> counterItem(Execution execution) {
        return dynamo.getItem(r -> r.tableName(table).key(key(execution)).consistentRead(true)
                .projectionExpression("planned, imported, skipped, failed, cancelled, #status, countEpoch")
                .expressionAttributeNames(Map.of("#status", "status"))).item();
    }

    private Progress progress(Execution execution) {
        Map<String, AttributeValue> item = counterItem(execution);
        return counters(execution.plan().datesCount(), item == null ? Map.of() : item);
    }
}
