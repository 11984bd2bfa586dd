package io.syncexec.dynamodb;

import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionFilter;
import io.syncexec.execution.ExecutionRepository.ActiveRef;
import io.syncexec.execution.ExecutionRepository.Page;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.syncexec.dynamodb.Attributes.s;
import static io.syncexec.dynamodb.Attributes.string;
import static io.syncexec.dynamodb.DynamoDbExecutionRepository.ACTIVE_INDEX;
import static io.syncexec.dynamodb.DynamoDbExecutionRepository.MAX_EXAMINED;
import static io.syncexec.dynamodb.ExecutionItems.ACTIVE;
import static io.syncexec.dynamodb.ExecutionItems.ACTIVE_KEY;
import static io.syncexec.dynamodb.ExecutionItems.execution;
import static io.syncexec.dynamodb.ExecutionItems.key;

/** The queries over many executions: a sync's run list, with or without filters, and the runs that have not ended. */
final class ExecutionQueries {
    private final DynamoDbClient dynamo;
    private final String table;

    ExecutionQueries(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** A page of the sync's executions, newest first, without per-date outcomes. */
    Page list(String clientId, String syncId, int limit, String startAfterExecutionId) {
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
    Page list(String clientId, String syncId, int limit, String startAfterExecutionId, ExecutionFilter filter) {
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

    /** Every execution that has not ended, from the sparse index: O(active executions), never the whole table. */
    List<ActiveRef> active() {
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
}
