package io.syncexec.workflow;

import io.syncexec.aws.Config;
import io.syncexec.aws.Wiring;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.execution.Trigger;
import io.syncexec.execution.Workflow;
import io.syncexec.standins.ManualClock;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import io.syncexec.sync.Client;
import io.syncexec.sync.Sync;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One schedule tick over a client whose syncs fail in different ways: each failing sync is
 * reported in the tick's result with its code, and every other sync still starts. The faults:
 * {@code StartExecution} fails for one sync; DynamoDB fails for one sync's reads; one sync has a
 * {@code firstDate} typo stored from before it was checked.
 */
@ExtendWith(StandInsExtension.class)
class ScheduleServiceIT {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final String clientId = "tick" + CLIENTS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    private final List<String> started = new CopyOnWriteArrayList<>();
    private Wiring wiring;
    private StandIns standIns;

    @BeforeEach
    void setUp(StandIns standIns) {
        this.standIns = standIns;
        Config config = new Config(Map.of(
                "CLIENTS_TABLE", standIns.table("ClientsTable"),
                "SYNCS_TABLE", standIns.table("SyncsTable"),
                "LEDGER_TABLE", standIns.table("LedgerTable"),
                "EXECUTIONS_TABLE", standIns.table("ExecutionsTable"),
                "CONFIRMATION_TIMEOUT_SECONDS", "86400",
                "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:local-sync-execution"));
        wiring = new Wiring(config, () -> failingReadsOf(standIns.dynamo(), "read-fails"), standIns::sqs,
                () -> new FailingStarts("start-fails"), new ManualClock(NOW));
        wiring.clients().put(new Client(clientId, "Schedule client"));
        for (String syncId : List.of("a-healthy", "start-fails", "read-fails", "z-healthy")) {
            wiring.syncs().putDefinition(new Sync(clientId, syncId, syncId, ZoneId.of("Europe/Paris"), LocalDate.of(2026, 11, 20),
                    false, 366, true, "demo", Map.of(), null, null, null, null));
        }
        // Stored before firstDate was checked at PUT.
        standIns.dynamo().updateItem(r -> r.tableName(standIns.table("SyncsTable"))
                .key(Map.of("clientId", AttributeValue.fromS(clientId), "syncId", AttributeValue.fromS("a-healthy")))
                .updateExpression("SET firstDate = :typo").expressionAttributeValues(Map.of(":typo", AttributeValue.fromS("0202-01-01"))));
    }

    @Test
    void oneSyncsFailureIsReportedAndEverySyncAfterItStillStarts() {
        ScheduleService.Tick tick = new ScheduleService(wiring.clients(), wiring.syncs(), wiring.executionService())
                .tick(Instant.parse("2026-11-26T12:00:00Z"));

        List<ScheduleService.Failure> mine = tick.failed().stream().filter(f -> f.clientId().equals(clientId)).toList();
        assertEquals(List.of(
                new ScheduleService.Failure(clientId, "read-fails", "SERVICE_UNAVAILABLE"),
                new ScheduleService.Failure(clientId, "start-fails", "SERVICE_UNAVAILABLE")), mine);
        assertTrue(tick.started() >= 2, tick.toString());
        for (String healthy : List.of("a-healthy", "z-healthy")) {
            List<Execution> runs = wiring.executions().list(clientId, healthy, 10, null).executions();
            assertEquals(1, runs.size(), healthy);
            assertEquals(Trigger.SCHEDULE, runs.get(0).trigger());
            assertEquals(ExecutionStatus.RUNNING, runs.get(0).status());
            assertTrue(started.contains(runs.get(0).executionId()), healthy);
        }
        Execution typo = wiring.executions().list(clientId, "a-healthy", 10, null).executions().get(0);
        assertEquals(Sync.MAX_DEFAULT_RUN_DATES, typo.plan().datesCount(), "the typo sync's run is bounded, and runs");
        assertTrue(typo.plan().remainingDates() > 0);

        // StartExecution failed: the run is recorded FAILED and the sync is free for the next tick.
        List<Execution> failedStart = wiring.executions().list(clientId, "start-fails", 10, null).executions();
        assertEquals(ExecutionStatus.FAILED, failedStart.get(0).status());
        assertNull(wiring.syncs().get(clientId, "start-fails").orElseThrow().activeExecutionId());
        // DynamoDB failed before anything was written: nothing recorded, nothing locked.
        assertTrue(wiring.executions().list(clientId, "read-fails", 10, null).executions().isEmpty());
        assertNull(wiring.syncs().get(clientId, "read-fails").orElseThrow().activeExecutionId());
    }

    /** A DynamoDB whose item reads of {@code syncId}'s executions fail with a 500. */
    @SuppressWarnings("unchecked")
    private DynamoDbClient failingReadsOf(DynamoDbClient real, String syncId) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[]{DynamoDbClient.class},
                (proxy, method, args) -> {
                    GetItemRequest get = !method.getName().equals("getItem") || args == null || args.length != 1 ? null
                            : args[0] instanceof GetItemRequest request ? request
                            : GetItemRequest.builder().applyMutation((Consumer<GetItemRequest.Builder>) args[0]).build();
                    if (get != null && get.tableName().equals(standIns.table("ExecutionsTable"))
                            && get.key().get("syncKey").s().equals(clientId + "#" + syncId)) {
                        throw DynamoDbException.builder().statusCode(500).message("injected fault").build();
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Step Functions that cannot start {@code syncId}'s workflows. */
    private final class FailingStarts implements Workflow {
        private final String syncId;

        FailingStarts(String syncId) {
            this.syncId = syncId;
        }

        @Override
        public void start(Execution execution) {
            if (execution.syncId().equals(syncId)) {
                throw new IllegalStateException("StartExecution: service unavailable");
            }
            started.add(execution.executionId());
        }

        @Override
        public void confirm(String taskToken, Execution execution) {
        }

        @Override
        public void decline(String taskToken, Execution execution) {
        }

        @Override
        public void importsDone(String completionToken) {
        }

        @Override
        public State state(Execution execution) {
            return started.contains(execution.executionId()) ? State.RUNNING : State.NOT_STARTED;
        }
    }
}
