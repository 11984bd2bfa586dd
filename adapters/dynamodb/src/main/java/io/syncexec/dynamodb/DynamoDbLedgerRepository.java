package io.syncexec.dynamodb;

import io.syncexec.ledger.Claim;
import io.syncexec.ledger.DateHistory;
import io.syncexec.ledger.FailedAttempt;
import io.syncexec.ledger.ImportRecord;
import io.syncexec.ledger.LedgerEntry;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.ledger.LedgerStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.syncexec.dynamodb.Attributes.epochSeconds;
import static io.syncexec.dynamodb.Attributes.instant;
import static io.syncexec.dynamodb.Attributes.n;
import static io.syncexec.dynamodb.Attributes.number;
import static io.syncexec.dynamodb.Attributes.s;
import static io.syncexec.dynamodb.Attributes.string;

/**
 * The ledger of imported dates: one entry per (client, sync, date) under
 * {@code syncKey = "<client>#<sync>"}, and one history item per successful import under
 * {@code syncKey = "<client>#<sync>#<date>"}, {@code date = "H#<generation>"}; under the same key,
 * the date's last {@link #FAILURES_KEPT} failed attempts, {@code date = "F#<slot>"} (a ring: the
 * entry's {@code failedAttempts} counts them all and picks the slot). Every write is a single-item
 * conditional write ({@link ConditionalWrite}); no transactions.
 */
public final class DynamoDbLedgerRepository implements LedgerRepository {
    private static final String ENTRY_FIELDS = "#date, #status, importCount, #records, lastExecutionId, lastImportedAt, lastError, claimedBy, leaseUntil";
    private static final Map<String, String> NAMES = Map.of("#date", "date", "#status", "status", "#records", "records");

    private final DynamoDbClient dynamo;
    private final String table;
    private final ConditionalWrite writes;
    private final Clock clock;

    /** @param clock tells {@link #read} which leases have run out */
    public DynamoDbLedgerRepository(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.writes = new ConditionalWrite(dynamo, table);
        this.clock = clock;
    }

    /** One query (paged by DynamoDB past 1 MB) over the range; entries only, no history. */
    @Override
    public Map<LocalDate, LedgerEntry> read(String clientId, String syncId, LocalDate from, LocalDate to) {
        Map<LocalDate, LedgerEntry> entries = new LinkedHashMap<>();
        Instant now = clock.instant();
        dynamo.queryPaginator(QueryRequest.builder().tableName(table)
                        .keyConditionExpression("syncKey = :k AND #date BETWEEN :from AND :to")
                        .projectionExpression(ENTRY_FIELDS)
                        .expressionAttributeNames(NAMES)
                        .expressionAttributeValues(Map.of(
                                ":k", s(clientId + "#" + syncId),
                                ":from", s(from.toString()),
                                ":to", s(to.toString())))
                        .consistentRead(true)
                        .build())
                .items().forEach(item -> {
                    LedgerEntry entry = entry(item, now);
                    entries.put(entry.date(), entry);
                });
        return entries;
    }

    @Override
    public Claim claim(String clientId, String syncId, LocalDate date, String executionId,
                       boolean forced, int importCountAtPlan, Instant now, Instant leaseUntil) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":importing", s(LedgerStatus.IMPORTING.name()),
                ":me", s(executionId),
                ":now", n(now.getEpochSecond()),
                ":lease", n(leaseUntil.getEpochSecond()),
                ":count", n(forced ? importCountAtPlan : 0)));
        String countMatches = "(attribute_not_exists(#importCount) AND :count = :zero) OR #importCount = :count";
        values.put(":zero", n(0));
        String condition = "(" + countMatches + ") AND (attribute_not_exists(#leaseUntil) OR #leaseUntil < :now)"
                + (forced ? " AND (attribute_not_exists(#lastExecutionId) OR #lastExecutionId <> :me)" : "");
        ConditionalWrite.Result claim = writes.update(key(clientId, syncId, date),
                        "SET #status = :importing, #claimedBy = :me, #leaseUntil = :lease")
                .when(condition).values(values).returning(ReturnValue.ALL_NEW).run();
        if (claim.written()) {
            return new Claim(Claim.Result.CLAIMED, entry(claim.attributes(), now));
        }
        // The entry as the condition saw it says why: no second read.
        LedgerEntry current = claim.existed() ? entry(claim.old(), now) : LedgerEntry.missing(date);
        return new Claim(whyNot(current, executionId, forced, importCountAtPlan, now), current);
    }

    private Claim.Result whyNot(LedgerEntry current, String executionId, boolean forced, int importCountAtPlan, Instant now) {
        if (executionId.equals(current.lastExecutionId())) {
            return Claim.Result.DONE_BY_THIS_EXECUTION;
        }
        if (current.status() == LedgerStatus.IMPORTING) {
            return Claim.Result.LEASED;
        }
        return forced || current.importCount() == 0 ? Claim.Result.CHANGED_SINCE_PLAN : Claim.Result.ALREADY_IMPORTED;
    }

    @Override
    public boolean commit(String clientId, String syncId, LocalDate date, ImportRecord record) {
        dynamo.putItem(r -> r.tableName(table).item(historyItem(clientId, syncId, date, record)));
        return writes.update(key(clientId, syncId, date),
                        "SET #status = :imported, #importCount = :generation, #records = :records, "
                        + "#lastExecutionId = :me, #lastImportedAt = :at REMOVE #claimedBy, #leaseUntil, #lastError")
                .when("#claimedBy = :me")
                .values(Map.of(
                        ":imported", s(LedgerStatus.IMPORTED.name()),
                        ":generation", n(record.generation()),
                        ":records", n(record.records()),
                        ":me", s(record.executionId()),
                        ":at", s(record.finishedAt().toString())))
                .run().written();
    }

    @Override
    public boolean waitForSource(String clientId, String syncId, LocalDate date, String executionId, Instant until, String note) {
        return writes.update(key(clientId, syncId, date), "SET #leaseUntil = :until, #lastError = :note")
                .when("#claimedBy = :me")
                .values(Map.of(":until", n(until.getEpochSecond()), ":note", s(note), ":me", s(executionId)))
                .run().written();
    }

    @Override
    public boolean fail(String clientId, String syncId, LocalDate date, String executionId, int importCount, String error) {
        return fail(clientId, syncId, date, executionId, importCount, error, null);
    }

    @Override
    public boolean fail(String clientId, String syncId, LocalDate date, String executionId, int importCount, String error,
                        FailedAttempt attempt) {
        LedgerStatus status = importCount > 0 ? LedgerStatus.IMPORTED : LedgerStatus.FAILED;
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":status", s(status.name()),
                ":error", s(error),
                ":me", s(executionId)));
        String update = "SET #status = :status, #lastError = :error REMOVE #claimedBy, #leaseUntil";
        if (attempt != null) {
            update += " ADD #failedAttempts :one";
            values.put(":one", n(1));
        }
        ConditionalWrite.Result failed = writes.update(key(clientId, syncId, date), update)
                .when("#claimedBy = :me").values(values).returning(ReturnValue.UPDATED_NEW).run();
        if (!failed.written()) {
            return false;
        }
        Map<String, AttributeValue> updated = failed.attributes();
        if (attempt != null) {
            long number = number(updated, "failedAttempts", 1);
            dynamo.putItem(r -> r.tableName(table).item(failureItem(clientId, syncId, date, attempt.numbered(number))));
        }
        return true;
    }

    @Override
    public List<ImportRecord> history(String clientId, String syncId, LocalDate date) {
        List<ImportRecord> history = new ArrayList<>();
        dynamo.queryPaginator(QueryRequest.builder().tableName(table)
                        .keyConditionExpression("syncKey = :k AND begins_with(#date, :h)")
                        .expressionAttributeNames(Map.of("#date", "date"))
                        .expressionAttributeValues(Map.of(":k", s(clientId + "#" + syncId + "#" + date), ":h", s("H#")))
                        .consistentRead(true)
                        .build())
                .items().forEach(item -> history.add(importRecord(item)));
        return history;
    }

    @Override
    public DateHistory dateHistory(String clientId, String syncId, LocalDate date, Instant now) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(clientId, syncId, date))
                .consistentRead(true)).item();
        boolean exists = item != null && !item.isEmpty();
        LedgerEntry entry = exists ? entry(item, now) : LedgerEntry.missing(date);
        long failedAttempts = exists ? number(item, "failedAttempts", 0) : 0;
        String historyKey = clientId + "#" + syncId + "#" + date;
        List<ImportRecord> imports = new ArrayList<>();
        dynamo.query(QueryRequest.builder().tableName(table)
                        .keyConditionExpression("syncKey = :k AND begins_with(#date, :h)")
                        .expressionAttributeNames(Map.of("#date", "date"))
                        .expressionAttributeValues(Map.of(":k", s(historyKey), ":h", s("H#")))
                        .scanIndexForward(false)
                        .limit(MAX_IMPORTS_SHOWN)
                        .consistentRead(true)
                        .build())
                .items().forEach(i -> imports.add(importRecord(i)));
        List<FailedAttempt> failures = new ArrayList<>();
        if (failedAttempts > 0) {
            dynamo.query(QueryRequest.builder().tableName(table)
                            .keyConditionExpression("syncKey = :k AND begins_with(#date, :f)")
                            .expressionAttributeNames(Map.of("#date", "date"))
                            .expressionAttributeValues(Map.of(":k", s(historyKey), ":f", s("F#")))
                            .consistentRead(true)
                            .build())
                    .items().forEach(i -> failures.add(failedAttempt(i)));
            failures.sort(Comparator.comparingLong(FailedAttempt::attempt).reversed());
        }
        return new DateHistory(entry, imports, failedAttempts, failures);
    }

    @Override
    public LedgerEntry get(String clientId, String syncId, LocalDate date, Instant now) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(clientId, syncId, date))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? LedgerEntry.missing(date) : entry(item, now);
    }

    private static Map<String, AttributeValue> key(String clientId, String syncId, LocalDate date) {
        return Map.of("syncKey", s(clientId + "#" + syncId), "date", s(date.toString()));
    }

    private static Map<String, AttributeValue> historyItem(String clientId, String syncId, LocalDate date, ImportRecord record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("syncKey", s(clientId + "#" + syncId + "#" + date));
        item.put("date", s("H#" + String.format("%06d", record.generation())));
        item.put("generation", n(record.generation()));
        item.put("executionId", s(record.executionId()));
        item.put("trigger", s(record.trigger()));
        item.put("requestedBy", s(record.requestedBy()));
        if (record.confirmedBy() != null) {
            item.put("confirmedBy", s(record.confirmedBy()));
        }
        if (record.confirmedAt() != null) {
            item.put("confirmedAt", s(record.confirmedAt().toString()));
        }
        item.put("records", n(record.records()));
        item.put("startedAt", s(record.startedAt().toString()));
        item.put("finishedAt", s(record.finishedAt().toString()));
        return item;
    }

    private static ImportRecord importRecord(Map<String, AttributeValue> item) {
        return new ImportRecord((int) number(item, "generation", 0), string(item, "executionId"), string(item, "trigger"),
                string(item, "requestedBy"), string(item, "confirmedBy"), instant(item, "confirmedAt"), number(item, "records", 0),
                instant(item, "startedAt"), instant(item, "finishedAt"));
    }

    private static Map<String, AttributeValue> failureItem(String clientId, String syncId, LocalDate date, FailedAttempt attempt) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("syncKey", s(clientId + "#" + syncId + "#" + date));
        item.put("date", s("F#" + String.format("%02d", (attempt.attempt() - 1) % FAILURES_KEPT)));
        item.put("attempt", n(attempt.attempt()));
        item.put("executionId", s(attempt.executionId()));
        item.put("trigger", s(attempt.trigger()));
        item.put("requestedBy", s(attempt.requestedBy()));
        if (attempt.confirmedBy() != null) {
            item.put("confirmedBy", s(attempt.confirmedBy()));
        }
        item.put("importCount", n(attempt.importCount()));
        item.put("error", s(attempt.error()));
        item.put("startedAt", s(attempt.startedAt().toString()));
        item.put("failedAt", s(attempt.failedAt().toString()));
        return item;
    }

    private static FailedAttempt failedAttempt(Map<String, AttributeValue> item) {
        return new FailedAttempt(number(item, "attempt", 0), string(item, "executionId"), string(item, "trigger"),
                string(item, "requestedBy"), string(item, "confirmedBy"), (int) number(item, "importCount", 0),
                string(item, "error"), instant(item, "startedAt"), instant(item, "failedAt"));
    }

    /**
     * An entry as users should see it: a lease that ran out shows what the date really is
     * (imported before, failed or never attempted), so no date stays IMPORTING past its lease.
     */
    private static LedgerEntry entry(Map<String, AttributeValue> item, Instant now) {
        int importCount = (int) number(item, "importCount", 0);
        LedgerStatus status = LedgerStatus.valueOf(string(item, "status"));
        Instant leaseUntil = epochSeconds(item, "leaseUntil");
        if (status == LedgerStatus.IMPORTING && leaseUntil != null && !leaseUntil.isAfter(now)) {
            status = importCount > 0 ? LedgerStatus.IMPORTED : LedgerStatus.FAILED;
        }
        return new LedgerEntry(LocalDate.parse(string(item, "date")), status, importCount,
                number(item, "records", 0), string(item, "lastExecutionId"), instant(item, "lastImportedAt"),
                string(item, "lastError"));
    }
}
