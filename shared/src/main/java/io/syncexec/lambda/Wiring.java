package io.syncexec.lambda;

import io.syncexec.connector.ConnectorUrls;
import io.syncexec.connector.Connectors;
import io.syncexec.execution.ExecutionFinisher;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.EventBridgeStatusEvents;
import io.syncexec.execution.ExecutionService;
import io.syncexec.execution.RunTelemetry;
import io.syncexec.execution.StatusEvents;
import io.syncexec.execution.StepFunctionsWorkflow;
import io.syncexec.execution.Sweeper;
import io.syncexec.execution.Workflow;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.observability.Log;
import io.syncexec.observability.Metrics;
import io.syncexec.plan.Planner;
import io.syncexec.plan.SyncCalendar;
import io.syncexec.scheduling.ScheduleService;
import io.syncexec.scheduling.ScheduledStarts;
import io.syncexec.scheduling.SqsStartQueue;
import io.syncexec.scheduling.StartQueue;
import io.syncexec.sync.ClientRepository;
import io.syncexec.sync.SourceGate;
import io.syncexec.sync.SyncRepository;
import io.syncexec.workflow.ConfirmationService;
import io.syncexec.workflow.DispatchService;
import io.syncexec.workflow.FinalizeService;
import io.syncexec.workflow.ImportService;
import io.syncexec.workflow.SourceLimiter;
import io.syncexec.workflow.SqsImportQueue;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * The production object graph, built from a function's {@link Config}: the composition root.
 * Each handler's constructor asks it for the one service it calls; clients are built on first
 * use, so a function only pays the cold start of the clients it needs.
 */
public final class Wiring {
    private final Config config;
    private final Supplier<DynamoDbClient> dynamo;
    private final Supplier<SqsClient> sqs;
    private final Supplier<Workflow> workflow;
    private final Clock clock;
    private final Supplier<StatusEvents> statusEvents;
    private final ConnectorUrls connectorUrls;

    /** Without status events (tests that build their own graph). */
    public Wiring(Config config, Supplier<DynamoDbClient> dynamo, Supplier<SqsClient> sqs, Supplier<Workflow> workflow, Clock clock) {
        this(config, dynamo, sqs, workflow, clock, () -> StatusEvents.NONE);
    }

    /** Connectors strict: https to public hosts ({@link ConnectorUrls#STRICT}). */
    public Wiring(Config config, Supplier<DynamoDbClient> dynamo, Supplier<SqsClient> sqs, Supplier<Workflow> workflow, Clock clock,
                  Supplier<StatusEvents> statusEvents) {
        this(config, dynamo, sqs, workflow, clock, statusEvents, ConnectorUrls.STRICT);
    }

    public Wiring(Config config, Supplier<DynamoDbClient> dynamo, Supplier<SqsClient> sqs, Supplier<Workflow> workflow, Clock clock,
                  Supplier<StatusEvents> statusEvents, ConnectorUrls connectorUrls) {
        this.config = config;
        this.connectorUrls = connectorUrls;
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.workflow = workflow;
        this.clock = clock;
        this.statusEvents = statusEvents;
    }

    /**
     * The function with this environment (on Lambda the process's; the local runtime gives each
     * function its own, as Lambda does): SDK clients, the workflow and status events on AWS.
     */
    public static Wiring of(FunctionEnvironment environment) {
        Config config = new Config(environment.variables());
        AwsClients aws = new AwsClients(config);
        return new Wiring(config, aws::dynamo, aws::sqs,
                () -> new StepFunctionsWorkflow(aws.stepFunctions(), config.get("STATE_MACHINE_ARN")),
                environment.clock(), () -> new EventBridgeStatusEvents(aws::eventBridge, null,
                        Log.of("status-events", Log.STANDARD_OUTPUT, environment.clock())), environment.connectorUrls());
    }

    public Config config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public DynamoDbClient dynamo() {
        return dynamo.get();
    }

    public SqsClient sqs() {
        return sqs.get();
    }

    public Workflow workflow() {
        return workflow.get();
    }

    public SyncCalendar calendar() {
        return new SyncCalendar(clock);
    }

    public ClientRepository clients() {
        return new ClientRepository(dynamo(), config.clientsTable());
    }

    public SyncRepository syncs() {
        return new SyncRepository(dynamo(), config.syncsTable());
    }

    public LedgerRepository ledger() {
        return new LedgerRepository(dynamo(), config.ledgerTable(), clock);
    }

    public ExecutionRepository executions() {
        return new ExecutionRepository(dynamo(), config.executionsTable(), clock);
    }

    /** Ends executions and frees their syncs: the Finalize step, and a start that finds a dead workflow's lock. */
    public ExecutionFinisher finisher() {
        return new ExecutionFinisher(executions(), syncs(), ledger(), calendar());
    }

    /**
     * Ends the executions that can no longer end by themselves (after each schedule tick, and on
     * demand locally). Asks Step Functions how a run's workflow is, so it needs
     * {@code STATE_MACHINE_ARN} from the start.
     */
    public Sweeper sweeper() {
        config.stateMachineArn();
        return new Sweeper(executions(), syncs(), finisher(), workflow(), clock);
    }

    /** Starts workflows, so it needs {@code STATE_MACHINE_ARN}; steps that only answer task tokens do not. */
    public ExecutionService executionService() {
        config.stateMachineArn();
        return new ExecutionService(syncs(), executions(), new Planner(ledger(), calendar()), workflow(), finisher(), clock,
                config.confirmationTimeout(), Workflow.lockDuration(config.confirmationTimeout()))
                .withTelemetry(telemetry("api"));
    }

    /** The confirmation wait's step: keeps the task token. */
    public ConfirmationService confirmationService() {
        return new ConfirmationService(executions(), workflow(), telemetry("confirmation"));
    }

    /** The import wait's step: sends one import message per planned date. */
    public DispatchService dispatchService() {
        return new DispatchService(executions(), importQueue(), workflow(), syncs(), log("dispatch"));
    }

    /** The import worker: imports a batch of dates; retries a message later through the import queue. */
    public ImportService importService() {
        return new ImportService(ledger(), executions(), syncs(), connectors()::forSync, workflow(), importQueue(), clock,
                config.lease(), config.maxReceiveCount(), config.retryDelay(), config.connectorTimeout())
                .withSourceLimits(new SourceLimiter(new SourceGate(dynamo(), config.syncsTable()), executions(), clock, config.lease()), importQueue())
                .withTelemetry(telemetry("worker"));
    }

    /** The workflow's last step: ends the execution and frees its sync. */
    public FinalizeService finalizeService() {
        return new FinalizeService(executions(), syncs(), ledger(), calendar(), telemetry("finalize"));
    }

    /** The schedule's heartbeat: claims the due syncs and sends their starts to the start queue. */
    public ScheduleService scheduleService() {
        return new ScheduleService(syncs(), startQueue(), log("schedule"));
    }

    /** The start queue's consumer: starts the scheduled default runs. */
    public ScheduledStarts scheduledStarts() {
        return new ScheduledStarts(syncs(), executionService().withTelemetry(telemetry("schedule")), clock);
    }

    /** Where connectors may send requests: strict (https to public hosts) on AWS. */
    public ConnectorUrls connectorUrls() {
        return connectorUrls;
    }

    /** The schedule's start queue ({@code START_QUEUE_URL}): the tick sends, the start consumer receives. */
    public StartQueue startQueue() {
        return new SqsStartQueue(sqs(), config.startQueueUrl());
    }

    /** The import queue ({@code IMPORT_QUEUE_URL}): dispatch sends to it, the workers retry their messages later through it. */
    public SqsImportQueue importQueue() {
        return new SqsImportQueue(sqs(), config.importQueueUrl());
    }

    public Connectors connectors() {
        return new Connectors(dynamo(), config.demoDestinationTable(), Connectors.defaultHttpClient(), connectorUrls(), clock);
    }

    /**
     * Logs, metrics (under the stack's name, {@code STACK_NAME} from the template's globals) and
     * status events for one function, named by {@code source} in its log lines.
     */
    public RunTelemetry telemetry(String source) {
        return new RunTelemetry(source, new Metrics(config.environment().getOrDefault("STACK_NAME", Metrics.UNNAMED_STACK), clock),
                statusEvents.get(), clock);
    }

    /** A logger for {@code source} on this function's clock, writing to standard output (the function's log). */
    public Log log(String source) {
        return Log.of(source, Log.STANDARD_OUTPUT, clock);
    }
}
