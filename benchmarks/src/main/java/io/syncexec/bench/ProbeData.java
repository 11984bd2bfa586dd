package io.syncexec.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.connector.ConnectorUrls;
import io.syncexec.dynamodb.DynamoDbStores;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionIds;
import io.syncexec.execution.ExecutionService;
import io.syncexec.execution.Trigger;
import io.syncexec.execution.Workflow;
import io.syncexec.lambda.Config;
import io.syncexec.lambda.Wiring;
import io.syncexec.ledger.ImportRecord;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.ledger.LedgerStatus;
import io.syncexec.plan.ExecutionRequest;
import io.syncexec.standins.StandIns;
import io.syncexec.sync.Client;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncDefinitionParser;
import io.syncexec.workflow.ImportMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What each probe's first invocation works on, written into the stand-ins before each fresh JVM
 * starts, through the same services the functions use (sync definitions parsed as the API's PUT
 * parses them, runs started as the API starts them, the workflow left waiting): a real planned date
 * of a real running execution for the worker, a due index with {@link #DUE_PER_TICK} syncs due for
 * the heartbeat, a month of imported dates for the API's ledger read.
 */
final class ProbeData {
    /** Syncs due at each heartbeat probe. */
    static final int DUE_PER_TICK = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StandIns standIns;
    private final Path dir;
    private final Wiring wiring;
    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    private final AtomicInteger runs = new AtomicInteger();
    private volatile ImportMessage lastWorkerDate;

    /** @param environment a function's template environment (table names) */
    ProbeData(StandIns standIns, Map<String, String> environment, Path dir) {
        this.standIns = standIns;
        this.dir = dir;
        // The workflow does not move: the run stays RUNNING with every date planned and none imported.
        Workflow waiting = (Workflow) java.lang.reflect.Proxy.newProxyInstance(Workflow.class.getClassLoader(),
                new Class<?>[]{Workflow.class}, (proxy, method, args) -> method.getName().equals("state") ? Workflow.State.RUNNING : null);
        this.wiring = Wiring.of(new Config(environment), Clock.systemUTC(), ConnectorUrls.STRICT)
                .stores((c, k) -> new DynamoDbStores(standIns.dynamo(), c, k))
                .workflow((c, k) -> waiting);
    }

    /**
     * An SQS event with the message dispatch would send for the first of three planned dates of a new
     * default run of a new demo sync (12 records a day), the run RUNNING: the worker claims, imports
     * and records that date.
     */
    Path workerEvent() throws IOException {
        String clientId = client("worker");
        sync(clientId, "orders", today.minusDays(3), false);
        Sync sync = wiring.syncs().get(clientId, "orders").orElseThrow();
        ExecutionService.Created created = wiring.executionService().create(sync, ExecutionRequest.defaultRun(), Trigger.MANUAL,
                "benchmark");
        if (!(created instanceof ExecutionService.Started started)) {
            throw new IllegalStateException("the probe's run did not start: " + created);
        }
        Execution execution = started.execution();
        lastWorkerDate = new ImportMessage(clientId, "orders", execution.executionId(), execution.plan().from());
        String body = lastWorkerDate.toJson();
        ObjectNode record = JSON.createObjectNode()
                .put("messageId", "m-" + runs.get()).put("receiptHandle", "r-" + runs.get()).put("eventSource", "aws:sqs")
                .put("body", body);
        record.putObject("attributes").put("ApproximateReceiveCount", "1");
        ObjectNode event = JSON.createObjectNode();
        event.putArray("records").add(record);
        return write("worker", event);
    }

    /** Whether the date the last {@link #workerEvent} named is now imported in the ledger. */
    boolean lastWorkerDateImported() {
        return lastWorkerDate != null && wiring.ledger().get(lastWorkerDate.clientId(), lastWorkerDate.syncId(),
                lastWorkerDate.date(), Instant.now()).status() == LedgerStatus.IMPORTED;
    }

    /** A heartbeat two days ahead, over {@link #DUE_PER_TICK} new schedule-enabled syncs, due by then. */
    Path tickEvent() throws IOException {
        String clientId = client("tick");
        for (int i = 0; i < DUE_PER_TICK; i++) {
            sync(clientId, "sync" + i, today.minusDays(10), true);
        }
        ObjectNode event = JSON.createObjectNode()
                .put("id", "bench-tick-" + runs.get())
                .put("detail-type", "Scheduled Event")
                .put("time", Instant.now().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        return write("tick", event);
    }

    /**
     * The consumer page's heaviest first call: a sync's calendar month, {@code GET …/ledger?from=&to=}
     * over 31 days, every one imported (one entry each), as events/get-ledger.json asks it.
     */
    Path ledgerEvent(Path fixture) throws IOException {
        String clientId = client("api");
        LocalDate from = today.minusDays(31);
        LocalDate to = today.minusDays(1);
        sync(clientId, "orders", from, false);
        LedgerRepository ledger = wiring.ledger();
        String executionId = ExecutionIds.next(Instant.now());
        for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
            Instant now = Instant.now();
            ledger.claim(clientId, "orders", date, executionId, false, 0, now, now.plusSeconds(60));
            ledger.commit(clientId, "orders", date, new ImportRecord(1, executionId, "MANUAL", "operator-1", null, 12, now, now));
        }
        ObjectNode event = (ObjectNode) JSON.readTree(fixture.toFile());
        String path = "/clients/" + clientId + "/syncs/orders/ledger";
        event.put("rawPath", path).put("rawQueryString", "from=" + from + "&to=" + to);
        event.putObject("queryStringParameters").put("from", from.toString()).put("to", to.toString());
        event.putObject("pathParameters").put("clientId", clientId).put("syncId", "orders");
        ObjectNode context = (ObjectNode) event.path("requestContext");
        ((ObjectNode) context.path("http")).put("path", path);
        ((ObjectNode) context.path("authorizer").path("jwt").path("claims")).put("clients", clientId);
        return write("api", event);
    }

    private String client(String kind) {
        String clientId = "bench-" + kind + "-" + runs.incrementAndGet();
        wiring.clients().put(new Client(clientId, clientId));
        return clientId;
    }

    private void sync(String clientId, String syncId, LocalDate firstDate, boolean scheduled) {
        String body = """
                {"name":"%s","timezone":"UTC","firstDate":"%s","supportsPeriodExecution":true,"schedule":{"enabled":%s},
                 "connector":{"type":"demo","config":{"recordsPerDate":12}}}""".formatted(syncId, firstDate, scheduled);
        Sync sync = SyncDefinitionParser.parse(clientId, syncId, body, today, ConnectorUrls.STRICT);
        wiring.syncs().putDefinition(sync, Instant.now());
    }

    private Path write(String kind, ObjectNode event) throws IOException {
        return Files.writeString(dir.resolve(kind + "-" + runs.get() + ".json"), JSON.writeValueAsString(event));
    }
}
