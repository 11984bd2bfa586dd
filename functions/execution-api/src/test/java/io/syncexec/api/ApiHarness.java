package io.syncexec.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.syncexec.aws.TransientFailures;
import io.syncexec.connector.ConnectorUrls;
import io.syncexec.dynamodb.DynamoDbLedgerRepository;
import io.syncexec.dynamodb.DynamoDbStores;
import io.syncexec.execution.ExecutionIds;
import io.syncexec.lambda.Config;
import io.syncexec.lambda.Wiring;
import io.syncexec.ledger.Claim;
import io.syncexec.ledger.ImportRecord;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.standins.ApiClient.Answer;
import io.syncexec.standins.ApiClient;
import io.syncexec.standins.ManualClock;
import io.syncexec.standins.StandIns;
import io.syncexec.sync.Client;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.syncexec.standins.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The execution API wired to dynalite (through {@link StandIns}), a clock the test moves and a
 * workflow port in memory; requests go through the real handler as the API Gateway events of
 * {@link ApiClient}, routed by template.yaml's routes.
 */
final class ApiHarness {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    /** The lock the API derives from the 24 h confirmation timeout: 24 h + 24 h import wait + 1 h. */
    static final Duration LOCK = io.syncexec.execution.Workflow.lockDuration(Duration.ofHours(24));
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    final StandIns standIns;
    final ManualClock clock = new ManualClock(NOW);
    final RecordingWorkflow workflow = new RecordingWorkflow();
    final Wiring wiring;
    /** DynamoDB requests (by operation name, e.g. {@code putItem}) the next calls of which fail, as a throttled table would. */
    final Map<String, AtomicInteger> dynamoFaults = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<String, AtomicInteger> lostAnswers = new java.util.concurrent.ConcurrentHashMap<>();
    final ExecutionApiHandler handler;
    private final ApiClient client;
    final LedgerRepository ledger;
    final Config config;

    ApiHarness(StandIns standIns) {
        this(standIns, Map.of());
    }

    /** With these environment variables besides the tables' (e.g. {@code ALLOW_DEMO_FAULTS}). */
    ApiHarness(StandIns standIns, Map<String, String> more) {
        this.standIns = standIns;
        Map<String, String> environment = new java.util.HashMap<>(more);
        environment.putAll(Map.of(
                "CLIENTS_TABLE", standIns.table("ClientsTable"),
                "SYNCS_TABLE", standIns.table("SyncsTable"),
                "LEDGER_TABLE", standIns.table("LedgerTable"),
                "EXECUTIONS_TABLE", standIns.table("ExecutionsTable"),
                "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:sync-execution",
                "CONFIRMATION_TIMEOUT_SECONDS", "86400"));
        environment.putIfAbsent("ALLOW_DEMO_FAULTS", "false");
        this.config = new Config(environment);
        this.wiring = Wiring.of(config, clock, ConnectorUrls.STRICT)
                .stores((c, k) -> new DynamoDbStores(faulty(standIns.dynamo()), c, k))
                .workflow((c, k) -> workflow)
                .transientFailures(TransientFailures::isTransient);
        this.handler = new ExecutionApiHandler(wiring);
        this.client = new ApiClient(ApiClient.templateRoutes(), event -> handler.handleRequest(event, null));
        this.ledger = new DynamoDbLedgerRepository(standIns.dynamo(), config.ledgerTable(), clock);
    }

    /**
     * A new client with two syncs: {@code orders} (period-capable, Europe/Paris, from
     * 2026-11-01: 25 complete dates at {@link #NOW}) and {@code invoices} (default-only,
     * America/New_York, from 2026-11-10: 16 complete dates).
     */
    String newClient() {
        String clientId = "client" + CLIENTS.incrementAndGet();
        expect(201, call("PUT", "/clients/" + clientId, "{\"name\":\"Client " + clientId + "\"}", admin()));
        expect(201, call("PUT", "/clients/" + clientId + "/syncs/orders", """
                {"syncId":"orders","name":"Orders","timezone":"Europe/Paris","firstDate":"2026-11-01",
                 "supportsPeriodExecution":true,"maxRangeDays":31,"schedule":{"enabled":true},
                 "connector":{"type":"demo","config":{"recordsPerDate":5}}}""", admin()));
        expect(201, call("PUT", "/clients/" + clientId + "/syncs/invoices", """
                {"syncId":"invoices","name":"Invoices","timezone":"America/New_York","firstDate":"2026-11-10",
                 "supportsPeriodExecution":false,"connector":{"type":"http","config":{"sourceUrl":"https://source.example/{date}","destinationUrl":"https://destination.example/in","token":"s3cret","sourceToken":"src-s3cret","destinationToken":"dst-s3cret"}}}""",
                admin()));
        return clientId;
    }

    /** Imports a date through the ledger's real claim and commit, as a worker would. */
    void imported(String clientId, String syncId, String date, long records) {
        LocalDate day = LocalDate.parse(date);
        String executionId = ExecutionIds.next(clock.instant());
        int count = ledger.get(clientId, syncId, day, clock.instant()).importCount();
        Claim claim = ledger.claim(clientId, syncId, day, executionId, true, count, clock.instant(),
                clock.instant().plusSeconds(60));
        assertTrue(claim.claimed(), "seeding claim " + claim.result());
        assertTrue(ledger.commit(clientId, syncId, day, new ImportRecord(count + 1, executionId, "MANUAL", "seed", null,
                records, clock.instant(), clock.instant())));
    }

    /** Makes the next {@code times} DynamoDB requests {@code operation} of the API fail with a 500. */
    void failDynamo(String operation, int times) {
        dynamoFaults.put(operation, new AtomicInteger(times));
    }

    /** Makes the next {@code times} DynamoDB requests {@code operation} of the API happen, but their answer get lost (a timeout). */
    void loseDynamoAnswers(String operation, int times) {
        lostAnswers.put(operation, new AtomicInteger(times));
    }

    private DynamoDbClient faulty(DynamoDbClient real) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[]{DynamoDbClient.class},
                (proxy, method, args) -> {
                    AtomicInteger left = dynamoFaults.get(method.getName());
                    if (left != null && left.getAndDecrement() > 0) {
                        throw DynamoDbException.builder().statusCode(500).message("injected fault: " + method.getName()).build();
                    }
                    Object answer;
                    try {
                        answer = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    AtomicInteger lost = lostAnswers.get(method.getName());
                    if (lost != null && lost.getAndDecrement() > 0) {
                        throw SdkClientException.create("injected fault: the answer to " + method.getName() + " was lost");
                    }
                    return answer;
                });
    }

    static Map<String, String> admin() {
        return Map.of("sub", "admin-1", "cognito:groups", "[sync-admins]");
    }

    static Map<String, String> operator(String... clients) {
        return Map.of("sub", "operator-1", "clients", String.join(" ", clients));
    }

    Answer call(String method, String path, String body, Map<String, String> claims) {
        return client.call(method, path, body, claims);
    }

    Answer call(String method, String path, String body, Map<String, String> claims, Map<String, String> headers) {
        return client.call(method, path, body, claims, headers);
    }

    /** Hands an event to the handler as it is (e.g. a fixture of {@code events/}). */
    Answer respond(APIGatewayV2HTTPEvent event) {
        return client.send(event);
    }
}
