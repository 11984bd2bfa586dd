package io.syncexec.ledger;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.syncexec.aws.Items.epochSeconds;
import static io.syncexec.aws.Items.instant;
import static io.syncexec.aws.Items.n;
import static io.syncexec.aws.Items.number;
import static io.syncexec.aws.Items.s;
import static io.syncexec.aws.Items.string;

/**
 * The ledger of imported dates: one entry per (client, sync, date) under
 * {@code syncKey = "<client>#<sync>"}, and one history item per successful import under
 * {@code syncKey = "<client>#<sync>#<date>"}, {@code date = "H#<generation>"}. Every write is a
 * single-item conditional write; no transactions.
 */
public final class LedgerRepository implements LedgerReader {
    private static final String ENTRY_FIELDS = "#date, #status, importCount, #records, lastExecutionId, lastImportedAt, lastError, claimedBy, leaseUntil";
    private static final Map<String, String> NAMES = Map.of("#date", "date", "#status", "status", "#records", "records");

    private final DynamoDbClient dynamo;
    private final String table;

    public LedgerRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** One query (paged by DynamoDB past 1 MB) over the range; entries only, no history. */
    @Override
    public Map<LocalDate, LedgerEntry> read(String clientId, String syncId, LocalDate from, LocalDate to) {
        Map<LocalDate, LedgerEntry> entries = new LinkedHashMap<>();
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
                    LedgerEntry entry = entry(item, Instant.now());
                    entries.put(entry.date(), entry);
                });
        return entries;
    }

    /**
     * Claims a date for one execution with a lease: the conditional write that makes invariants 1
     * and 2 hold. A non-forced claim succeeds only while the date was never imported; a forced
     * one only while the date's import count is still what the confirmed plan saw, and never
     * twice for the same execution. Nobody claims a date whose lease is still running.
     */
    public Claim claim(String clientId, String syncId, LocalDate date, String executionId,
                       boolean forced, int importCountAtPlan, Instant now, Instant leaseUntil) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":importing", s(LedgerStatus.IMPORTING.name()),
                ":me", s(executionId),
                ":now", n(now.getEpochSecond()),
                ":lease", n(leaseUntil.getEpochSecond()),
                ":count", n(forced ? importCountAtPlan : 0)));
        String countMatches = "(attribute_not_exists(importCount) AND :count = :zero) OR importCount = :count";
        values.put(":zero", n(0));
        String condition = "(" + countMatches + ") AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)"
                + (forced ? " AND (attribute_not_exists(lastExecutionId) OR lastExecutionId <> :me)" : "");
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(r -> r.tableName(table)
                    .key(key(clientId, syncId, date))
                    .updateExpression("SET #status = :importing, claimedBy = :me, leaseUntil = :lease")
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return new Claim(Claim.Result.CLAIMED, entry(item, now));
        } catch (ConditionalCheckFailedException e) {
            LedgerEntry current = get(clientId, syncId, date, now);
            return new Claim(whyNot(current, executionId, forced, importCountAtPlan, now), current);
        }
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

    /**
     * Records a successful import by the execution holding the claim: history item first (its key
     * is the generation, so writing it again is harmless), then the entry.
     *
     * @return false when the claim was lost (its lease expired and another worker took it)
     */
    public boolean commit(String clientId, String syncId, LocalDate date, ImportRecord record) {
        dynamo.putItem(r -> r.tableName(table).item(historyItem(clientId, syncId, date, record)));
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId, date))
                    .updateExpression("SET #status = :imported, importCount = :generation, #records = :records, "
                            + "lastExecutionId = :me, lastImportedAt = :at REMOVE claimedBy, leaseUntil, lastError")
                    .conditionExpression("claimedBy = :me")
                    .expressionAttributeNames(Map.of("#status", "status", "#records", "records"))
                    .expressionAttributeValues(Map.of(
                            ":imported", s(LedgerStatus.IMPORTED.name()),
                            ":generation", n(record.generation()),
                            ":records", n(record.records()),
                            ":me", s(record.executionId()),
                            ":at", s(record.finishedAt().toString()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Records a failed attempt by the execution holding the claim: a date never imported becomes
     * FAILED; an imported one ({@code importCount} > 0 at claim) stays IMPORTED: its earlier data
     * is still in the client's tool.
     */
    public boolean fail(String clientId, String syncId, LocalDate date, String executionId, int importCount, String error) {
        LedgerStatus status = importCount > 0 ? LedgerStatus.IMPORTED : LedgerStatus.FAILED;
        try {
            dynamo.updateItem(r -> r.tableName(table).key(key(clientId, syncId, date))
                    .updateExpression("SET #status = :status, lastError = :error REMOVE claimedBy, leaseUntil")
                    .conditionExpression("claimedBy = :me")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(
                            ":status", s(status.name()),
                            ":error", s(error),
                            ":me", s(executionId))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The history of a date: every successful import, oldest first. */
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
        item.put("records", n(record.records()));
        item.put("startedAt", s(record.startedAt().toString()));
        item.put("finishedAt", s(record.finishedAt().toString()));
        return item;
    }

    private static ImportRecord importRecord(Map<String, AttributeValue> item) {
        return new ImportRecord((int) number(item, "generation", 0), string(item, "executionId"), string(item, "trigger"),
                string(item, "requestedBy"), string(item, "confirmedBy"), number(item, "records", 0),
                instant(item, "startedAt"), instant(item, "finishedAt"));
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
