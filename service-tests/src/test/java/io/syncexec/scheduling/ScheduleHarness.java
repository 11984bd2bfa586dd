package io.syncexec.scheduling;

import io.syncexec.aws.TransientFailures;
import io.syncexec.connector.ConnectorUrls;
import io.syncexec.dynamodb.DynamoDbStores;
import io.syncexec.dynamodb.DynamoDbSyncRepository;
import io.syncexec.execution.Execution;
import io.syncexec.execution.Workflow;
import io.syncexec.lambda.Config;
import io.syncexec.lambda.Wiring;
import io.syncexec.sqs.SqsStartQueue;
import io.syncexec.standins.ManualClock;
import io.syncexec.standins.RepositoryRoot;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.TemplateResources;
import io.syncexec.sync.Client;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncRepository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The schedule's two halves against dynalite and ElasticMQ on a clock the test moves: the tick
 * (due index, claims, start queue) and the start queue's consumer, which receives up to ten
 * messages at a time as Lambda's event source does and deletes what it did not report. Every
 * DynamoDB and SQS request is counted by operation. The workflow engine is a stand-in that ends
 * each run at once as if it imported every planned date (watermark moved, lock released).
 */
final class ScheduleHarness implements AutoCloseable {
    /** The function whose requests the tick's clients count as. */
    static final String TICK = "ScheduledRunsFunction";
    /** The function whose requests the start queue consumer's clients count as. */
    static final String CONSUMER = "ScheduledStartsFunction";
    private static final AtomicInteger HARNESSES = new AtomicInteger();
    final StandIns standIns;
    final ManualClock clock;
    final Wiring wiring;
    final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    /** The same requests by the function that makes them and operation, e.g. {@code ScheduledRunsFunction query}. */
    final Map<String, AtomicLong> byCaller = new ConcurrentHashMap<>();
    /** The start queue's consumer's own clients (the tick's are {@link #wiring}'s, which the tests' setup uses too). */
    final Wiring starts;
    private final SqsClient startsSqs;
    /** Every run started: the execution and the clock's time when it started. */
    final List<Started> started = new CopyOnWriteArrayList<>();
    final String queueUrl;
    /** This harness's own syncs table. */
    final String syncsTable;
    /** Syncs whose StartExecution fails. */
    final List<String> failingStarts = new CopyOnWriteArrayList<>();
    int largestConsumerBatch;

    record Started(Execution execution, Instant at) {
    }

    ScheduleHarness(StandIns standIns, Instant start) {
        this.standIns = standIns;
        this.clock = new ManualClock(start);
        // Its own syncs table (so its own due index) and start queue: the schedule-enabled syncs other
        // tests of this JVM add on the real clock are never due in its ticks, nor its syncs in theirs.
        String name = StandIns.NAME_PREFIX + "schedule-harness-" + HARNESSES.incrementAndGet();
        this.syncsTable = name + "-syncs";
        standIns.dynamo().createTable(TemplateResources.read(RepositoryRoot.find().resolve("template.yaml"))
                .createTableRequest("SyncsTable", syncsTable));
        standIns.dynamo().waiter().waitUntilTableExists(r -> r.tableName(syncsTable));
        this.queueUrl = standIns.sqs().createQueue(r -> r.queueName(name + "-starts")).queueUrl();
        Config config = new Config(Map.of(
                "CLIENTS_TABLE", standIns.table("ClientsTable"),
                "SYNCS_TABLE", syncsTable,
                "LEDGER_TABLE", standIns.table("LedgerTable"),
                "EXECUTIONS_TABLE", standIns.table("ExecutionsTable"),
                "START_QUEUE_URL", queueUrl,
                "CONFIRMATION_TIMEOUT_SECONDS", "86400",
                "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:local-sync-execution"));
        DynamoDbClient dynamo = counting(DynamoDbClient.class, standIns.dynamo(), TICK);
        SqsClient sqs = counting(SqsClient.class, standIns.sqs(), TICK);
        this.wiring = Wiring.of(config, clock, ConnectorUrls.STRICT)
                .stores((c, k) -> new DynamoDbStores(dynamo, c, k))
                .startQueue((c, k) -> new SqsStartQueue(sqs, c.startQueueUrl()))
                .workflow((c, k) -> new RunsToTheEnd())
                .transientFailures(TransientFailures::isTransient);
        DynamoDbClient startsDynamo = counting(DynamoDbClient.class, standIns.dynamo(), CONSUMER);
        SqsClient startsSqs = counting(SqsClient.class, standIns.sqs(), CONSUMER);
        this.startsSqs = startsSqs;
        this.starts = Wiring.of(config, clock, ConnectorUrls.STRICT)
                .stores((c, k) -> new DynamoDbStores(startsDynamo, c, k))
                .workflow((c, k) -> new RunsToTheEnd())
                .transientFailures(TransientFailures::isTransient);
    }

    ScheduleService tick() {
        return wiring.scheduleService();
    }

    ScheduleService.Tick tickNow() {
        return tick().tick(clock.instant());
    }

    /** Consumes the start queue until it is empty, ten messages per invocation; returns how many invocations ran. */
    int drain() {
        ScheduledStarts consumer = new ScheduledStarts(starts.syncs(), starts.executionService(), clock, TransientFailures::isTransient);
        SqsClient sqs = startsSqs;
        int invocations = 0;
        while (true) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .visibilityTimeout(30)).messages();
            if (messages.isEmpty()) {
                return invocations;
            }
            invocations++;
            largestConsumerBatch = Math.max(largestConsumerBatch, messages.size());
            List<ScheduledStarts.Delivery> deliveries = new ArrayList<>();
            for (Message message : messages) {
                deliveries.add(new ScheduledStarts.Delivery(message.messageId(), DueStart.fromJson(message.body())));
            }
            List<String> retry = consumer.start(deliveries).retry();
            List<Message> done = messages.stream().filter(m -> !retry.contains(m.messageId())).toList();
            if (!done.isEmpty()) {
                sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(done.stream()
                        .map(m -> software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                                .id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList()));
            }
            if (!retry.isEmpty()) {
                // Redelivered after the visibility timeout on AWS; here it stays out of sight for this drain.
                return invocations;
            }
        }
    }

    void client(String clientId) {
        wiring.clients().put(new Client(clientId, clientId));
    }

    void sync(String clientId, String syncId, String zone, LocalDate firstDate, boolean scheduled, int settleMinutes) {
        wiring.syncs().putDefinition(new Sync(clientId, syncId, syncId, ZoneId.of(zone), firstDate, false, 366, scheduled, "demo",
                Map.of(), null, null, null, null, settleMinutes, null, null), clock.instant());
    }

    /** Drops its syncs table and start queue. */
    @Override
    public void close() {
        standIns.dynamo().deleteTable(r -> r.tableName(syncsTable));
        standIns.sqs().deleteQueue(r -> r.queueUrl(queueUrl));
    }

    List<Started> startedOf(String clientId, String syncId) {
        return started.stream().filter(s -> s.execution().clientId().equals(clientId) && s.execution().syncId().equals(syncId)).toList();
    }

    /** Forgets the requests counted so far (the setup's). */
    void clearCounts() {
        requests.clear();
        byCaller.clear();
    }

    long count(String operation) {
        AtomicLong n = requests.get(operation);
        return n == null ? 0 : n.get();
    }

    long total() {
        return requests.values().stream().mapToLong(AtomicLong::get).sum();
    }

    long writes() {
        return count("updateItem") + count("putItem") + count("deleteItem") + count("batchWriteItem");
    }

    @SuppressWarnings("unchecked")
    private <T> T counting(Class<T> type, T real, String caller) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (!method.getName().equals("close") && !method.getName().equals("serviceName")
                    && !method.getName().endsWith("Paginator") && method.getDeclaringClass() != Object.class) {
                requests.computeIfAbsent(method.getName(), k -> new AtomicLong()).incrementAndGet();
                byCaller.computeIfAbsent(caller + " " + method.getName(), k -> new AtomicLong()).incrementAndGet();
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    /** Step Functions as far as the schedule is concerned: each run imports its plan at once and frees its sync. */
    private final class RunsToTheEnd implements Workflow {
        @Override
        public void start(Execution execution) {
            if (failingStarts.contains(execution.syncId())) {
                throw new IllegalStateException("StartExecution: service unavailable");
            }
            started.add(new Started(execution, clock.instant()));
            SyncRepository syncs = new DynamoDbSyncRepository(standIns.dynamo(), syncsTable);
            Sync sync = syncs.get(execution.clientId(), execution.syncId()).orElseThrow();
            syncs.advance(sync.clientId(), sync.syncId(), sync.firstDate(), execution.plan().to(), execution.plan().to());
            syncs.unlock(sync.clientId(), sync.syncId(), execution.executionId());
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
            return State.RUNNING;
        }
    }
}
