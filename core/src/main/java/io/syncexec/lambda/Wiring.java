package io.syncexec.lambda;

import io.syncexec.connector.ConnectorUrls;
import io.syncexec.connector.Connectors;
import io.syncexec.execution.ExecutionFinisher;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.ExecutionService;
import io.syncexec.execution.RunTelemetry;
import io.syncexec.execution.StatusEvents;
import io.syncexec.execution.Sweeper;
import io.syncexec.execution.Workflow;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.observability.Log;
import io.syncexec.observability.Metrics;
import io.syncexec.plan.Planner;
import io.syncexec.plan.SyncCalendar;
import io.syncexec.scheduling.ScheduleService;
import io.syncexec.scheduling.ScheduledStarts;
import io.syncexec.scheduling.StartQueue;
import io.syncexec.sync.ChangeLog;
import io.syncexec.sync.ClientRepository;
import io.syncexec.sync.SyncRepository;
import io.syncexec.workflow.ConfirmationService;
import io.syncexec.workflow.DispatchService;
import io.syncexec.workflow.FinalizeService;
import io.syncexec.workflow.ImportQueue;
import io.syncexec.workflow.ImportService;
import io.syncexec.workflow.SourceLimiter;

import java.time.Clock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The production object graph, built from a function's {@link FunctionEnvironment}: the composition
 * root. A function's handler names the adapters its jar carries ({@link #stores}, {@link #workflow},
 * {@link #importQueue}, {@link #startQueue}, {@link #statusEvents}) and asks for the one service it
 * calls. Adapters are built on first use and once, so a function pays only for the clients it uses;
 * one it did not name fails loudly when a service asks for it.
 */
public final class Wiring {
    private final Config config;
    private final Clock clock;
    private final ConnectorUrls connectorUrls;
    private final Supplier<Stores> stores;
    private final Supplier<Workflow> workflow;
    private final Supplier<ImportQueue> importQueue;
    private final Supplier<StartQueue> startQueue;
    private final Supplier<StatusEvents> statusEvents;
    private final Predicate<RuntimeException> transientFailure;

    private Wiring(Config config, Clock clock, ConnectorUrls connectorUrls, Supplier<Stores> stores, Supplier<Workflow> workflow,
                   Supplier<ImportQueue> importQueue, Supplier<StartQueue> startQueue, Supplier<StatusEvents> statusEvents,
                   Predicate<RuntimeException> transientFailure) {
        this.config = config;
        this.clock = clock;
        this.connectorUrls = connectorUrls;
        this.stores = stores;
        this.workflow = workflow;
        this.importQueue = importQueue;
        this.startQueue = startQueue;
        this.statusEvents = statusEvents;
        this.transientFailure = transientFailure;
    }

    /**
     * The function with this environment (on Lambda the process's; the local runtime gives each
     * function its own, as Lambda does), with no adapter yet and no status events.
     */
    public static Wiring of(FunctionEnvironment environment) {
        return of(new Config(environment.variables()), environment.clock(), environment.connectorUrls());
    }

    /** As {@link #of(FunctionEnvironment)}, for tests that build their own graph. */
    public static Wiring of(Config config, Clock clock, ConnectorUrls connectorUrls) {
        return new Wiring(config, clock, connectorUrls, missing("stores", "sync-dynamodb"), missing("workflow", "sync-stepfunctions"),
                missing("importQueue", "sync-sqs"), missing("startQueue", "sync-sqs"), () -> StatusEvents.NONE, e -> false);
    }

    /** The tables (DynamoDB on AWS). */
    public Wiring stores(Adapter<? extends Stores> adapter) {
        return new Wiring(config, clock, connectorUrls, once(adapter), workflow, importQueue, startQueue, statusEvents, transientFailure);
    }

    /** The workflow's engine (Step Functions on AWS). */
    public Wiring workflow(Adapter<? extends Workflow> adapter) {
        return new Wiring(config, clock, connectorUrls, stores, once(adapter), importQueue, startQueue, statusEvents, transientFailure);
    }

    /** The import queue (SQS on AWS, {@code IMPORT_QUEUE_URL}): dispatch sends to it, the workers retry their messages later through it. */
    public Wiring importQueue(Adapter<? extends ImportQueue> adapter) {
        return new Wiring(config, clock, connectorUrls, stores, workflow, once(adapter), startQueue, statusEvents, transientFailure);
    }

    /** The schedule's start queue (SQS on AWS, {@code START_QUEUE_URL}): the tick sends, the start consumer receives. */
    public Wiring startQueue(Adapter<? extends StartQueue> adapter) {
        return new Wiring(config, clock, connectorUrls, stores, workflow, importQueue, once(adapter), statusEvents, transientFailure);
    }

    /** Where a run's status changes are published (EventBridge on AWS); none until given. */
    public Wiring statusEvents(Adapter<? extends StatusEvents> adapter) {
        return new Wiring(config, clock, connectorUrls, stores, workflow, importQueue, startQueue, once(adapter), transientFailure);
    }

    /** Which failures of the adapters are worth a retry (throttling, a 5xx, no answer); none until given. */
    public Wiring transientFailures(Predicate<RuntimeException> isTransient) {
        return new Wiring(config, clock, connectorUrls, stores, workflow, importQueue, startQueue, statusEvents, isTransient);
    }

    /**
     * Runs {@code prime} before a SnapStart snapshot ({@link Priming}): each handler registers a
     * harmless pass through its own path, and every function first reads an execution that does not exist.
     */
    public void prime(Runnable prime) {
        Priming.register(prime);
    }

    /** Registers the read every function does first ({@link Priming#registerReads}). */
    public Wiring primeReads() {
        Priming.registerReads(this);
        return this;
    }

    private <T> Supplier<T> once(Adapter<? extends T> adapter) {
        return OnFirstUse.of(() -> adapter.build(config, clock));
    }

    private static <T> Supplier<T> missing(String what, String module) {
        return () -> {
            throw new IllegalStateException("this function has no " + what + " adapter: its module needs " + module
                    + " and its handler Wiring." + what + "(...)");
        };
    }

    public Config config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public Workflow workflow() {
        return workflow.get();
    }

    public SyncCalendar calendar() {
        return new SyncCalendar(clock);
    }

    public ClientRepository clients() {
        return stores.get().clients();
    }

    public SyncRepository syncs() {
        return stores.get().syncs();
    }

    public LedgerRepository ledger() {
        return stores.get().ledger();
    }

    public ExecutionRepository executions() {
        return stores.get().executions();
    }

    /** The audit trail of admins' saves. */
    public ChangeLog changes() {
        return stores.get().changes();
    }

    /** Which failures are worth a retry: the API answers 503 for them, the heartbeat counts them apart. */
    public Predicate<RuntimeException> transientFailures() {
        return transientFailure;
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
        Connectors connectors = connectors();
        // The http connector is built on its first import; before a SnapStart snapshot, with the rest.
        prime(connectors::buildAll);
        return new ImportService(ledger(), executions(), syncs(), connectors::forSync, workflow(), importQueue()::retry, clock,
                config.lease(), config.maxReceiveCount(), config.retryDelay(), config.connectorTimeout())
                .withSourceLimits(new SourceLimiter(stores.get().sourceGate(), executions(), clock, config.lease()), importQueue())
                .withTelemetry(telemetry("worker"));
    }

    /** The workflow's last step: ends the execution and frees its sync. */
    public FinalizeService finalizeService() {
        return new FinalizeService(executions(), syncs(), ledger(), calendar(), telemetry("finalize"));
    }

    /** The schedule's heartbeat: claims the due syncs and sends their starts to the start queue. */
    public ScheduleService scheduleService() {
        return new ScheduleService(syncs(), startQueue(), log("schedule"), transientFailure);
    }

    /** The start queue's consumer: starts the scheduled default runs. */
    public ScheduledStarts scheduledStarts() {
        return new ScheduledStarts(syncs(), executionService().withTelemetry(telemetry("schedule")), clock, transientFailure);
    }

    /** Where connectors may send requests: strict (https to public hosts) on AWS. */
    public ConnectorUrls connectorUrls() {
        return connectorUrls;
    }

    public StartQueue startQueue() {
        return startQueue.get();
    }

    public ImportQueue importQueue() {
        return importQueue.get();
    }

    public Connectors connectors() {
        return new Connectors(stores.get().demoDestination(), Connectors::defaultHttpClient, connectorUrls(), clock);
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
