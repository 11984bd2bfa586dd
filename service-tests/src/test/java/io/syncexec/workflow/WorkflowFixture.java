package io.syncexec.workflow;

import io.syncexec.connector.Connector;
import io.syncexec.connector.ConnectorUrls;
import io.syncexec.connector.SyncConnection;
import io.syncexec.dynamodb.DynamoDbDemoDestination;
import io.syncexec.dynamodb.DynamoDbStores;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionService;
import io.syncexec.execution.Trigger;
import io.syncexec.execution.Workflow;
import io.syncexec.lambda.Config;
import io.syncexec.lambda.Wiring;
import io.syncexec.plan.ExecutionRequest;
import io.syncexec.plan.Mode;
import io.syncexec.standins.ManualClock;
import io.syncexec.standins.StandIns;
import io.syncexec.sync.Client;
import io.syncexec.sync.Sync;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The workflow's services against dynalite, with a clock the test moves, a workflow port that
 * records what it was asked, and a connector the test chooses.
 */
final class WorkflowFixture {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(3);
    static final int MAX_ATTEMPTS = 3;
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    final StandIns standIns;
    final ManualClock clock = new ManualClock(NOW);
    final RecordingWorkflow workflow = new RecordingWorkflow();
    final Wiring wiring;
    final List<String> retried = new CopyOnWriteArrayList<>();
    final String clientId = "wf" + CLIENTS.incrementAndGet();

    WorkflowFixture(StandIns standIns) {
        this(standIns, standIns.dynamo());
    }

    /** The same, with the services' DynamoDB calls going through {@code dynamo} (e.g. a client that throttles). */
    WorkflowFixture(StandIns standIns, DynamoDbClient dynamo) {
        this.standIns = standIns;
        Config config = new Config(Map.of(
                "CLIENTS_TABLE", standIns.table("ClientsTable"),
                "SYNCS_TABLE", standIns.table("SyncsTable"),
                "LEDGER_TABLE", standIns.table("LedgerTable"),
                "EXECUTIONS_TABLE", standIns.table("ExecutionsTable"),
                "DEMO_DESTINATION_TABLE", standIns.table("DemoDestinationTable"),
                "CONFIRMATION_TIMEOUT_SECONDS", "86400",
                "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:local-sync-execution"));
        this.wiring = Wiring.of(config, clock, ConnectorUrls.STRICT)
                .stores((c, k) -> new DynamoDbStores(dynamo, c, k))
                .workflow((c, k) -> workflow);
        wiring.clients().put(new Client(clientId, "Workflow client"));
        wiring.syncs().putDefinition(new Sync(clientId, "orders", "Orders", ZoneId.of("Europe/Paris"), LocalDate.of(2026, 11, 1),
                true, 366, true, "demo", Map.of("recordsPerDate", 4), null, null, null, null), Instant.now());
    }

    Sync sync() {
        return wiring.syncs().get(clientId, "orders").orElseThrow();
    }

    Execution start(ExecutionRequest request) {
        ExecutionService.Created created = wiring.executionService().create(sync(), request, Trigger.MANUAL, "operator-1");
        Execution execution = ((ExecutionService.Started) created).execution();
        wiring.executions().storeCompletionToken(clientId, "orders", execution.executionId(), "completion-" + execution.executionId());
        return execution;
    }

    static ExecutionRequest range(String from, String to, boolean reimport) {
        return new ExecutionRequest(Mode.DATE_RANGE, null, LocalDate.parse(from), LocalDate.parse(to), reimport, false, null);
    }

    ImportService importer(Function<SyncConnection, Connector> connectors) {
        return new ImportService(wiring.ledger(), wiring.executions(), wiring.syncs(), connectors, workflow,
                (delivery, delay) -> retried.add(delivery.messageId()), clock, LEASE, MAX_ATTEMPTS, Duration.ZERO);
    }

    ImportService importer() {
        return importer(wiring.connectors()::forSync);
    }

    /** One delivery per planned date of {@code execution}, as dispatch would send them. */
    List<ImportService.Delivery> deliveries(Execution execution, int receiveCount) {
        List<ImportService.Delivery> deliveries = new ArrayList<>();
        for (LocalDate date : execution.plan().dates()) {
            String body = new ImportMessage(clientId, execution.syncId(), execution.executionId(), date).toJson();
            deliveries.add(new ImportService.Delivery("m-" + date, "rh-" + date, body, receiveCount));
        }
        return deliveries;
    }

    Execution reload(Execution execution) {
        return wiring.executions().getWithOutcomes(clientId, "orders", execution.executionId()).orElseThrow();
    }

    long destinationRecords(String date) {
        return DynamoDbDemoDestination.countRecords(standIns.dynamo(), standIns.table("DemoDestinationTable"),
                clientId, "orders", LocalDate.parse(date));
    }

    /** A Lambda that ran out of time or memory, as the code after it sees it: nothing more runs. */
    static final class WorkerDied extends Error {
    }

    /**
     * Records what it was asked. A started workflow runs until the test says otherwise in
     * {@link #states}; one never started does not exist; {@link #unreachable} makes the engine fail.
     */
    static final class RecordingWorkflow implements Workflow {
        final List<String> started = new CopyOnWriteArrayList<>();
        final List<String> confirmed = new CopyOnWriteArrayList<>();
        final List<String> declined = new CopyOnWriteArrayList<>();
        final List<String> importsDone = new CopyOnWriteArrayList<>();
        final List<String> asked = new CopyOnWriteArrayList<>();
        final Map<String, State> states = new ConcurrentHashMap<>();
        volatile boolean unreachable;
        /** How many of the next confirmation signals fail (Step Functions throttled or failed the SendTaskSuccess). */
        final AtomicInteger failingConfirms = new AtomicInteger();
        /** Whether StartExecution fails. */
        volatile boolean startFails;
        /** How many of the next completions die before they reach Step Functions (the worker dies first). */
        final AtomicInteger lostCompletions = new AtomicInteger();

        @Override
        public void start(Execution execution) {
            if (startFails) {
                throw new IllegalStateException("StartExecution failed: ServiceUnavailable");
            }
            started.add(execution.executionId());
        }

        @Override
        public void confirm(String taskToken, Execution execution) {
            if (failingConfirms.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("SendTaskSuccess failed: ThrottlingException");
            }
            confirmed.add(taskToken);
        }

        @Override
        public void decline(String taskToken, Execution execution) {
            declined.add(taskToken);
        }

        @Override
        public void importsDone(String completionToken) {
            if (lostCompletions.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new WorkerDied();
            }
            importsDone.add(completionToken);
        }

        @Override
        public State state(Execution execution) {
            asked.add(execution.executionId());
            if (unreachable) {
                throw new IllegalStateException("Step Functions does not answer");
            }
            return states.getOrDefault(execution.executionId(),
                    started.contains(execution.executionId()) ? State.RUNNING : State.NOT_STARTED);
        }
    }
}
