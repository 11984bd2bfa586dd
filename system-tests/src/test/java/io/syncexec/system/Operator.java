package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.dynamodb.DynamoDbDemoDestination;
import io.syncexec.dynamodb.DynamoDbExecutionRepository;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.local.LocalCloud;
import io.syncexec.standins.ApiClient.Answer;
import io.syncexec.standins.ApiClient;
import io.syncexec.standins.Await;
import io.syncexec.sync.Client;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static io.syncexec.standins.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What an operator does, through the HTTP API of a running {@link LocalCloud}: every request is a
 * payload-2.0 event with JWT claims ({@link ApiClient}), handled by the deployed handler classes.
 */
final class Operator {
    static final ZoneId ZONE = ZoneId.of("Europe/Paris");
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    private static final Map<String, String> ADMIN = Map.of("sub", "admin-1", "cognito:groups", "[sync-admins]");

    final LocalCloud cloud;
    private final ApiClient client;
    final String clientId = "e2e" + CLIENTS.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    private final Map<String, String> claims = Map.of("sub", "operator-1", "clients", clientId);

    Operator(LocalCloud cloud) {
        this.cloud = cloud;
        this.client = new ApiClient(ApiClient.templateRoutes(), cloud::api);
        expect(201, call("PUT", "/clients/" + clientId, "{\"name\":\"Client " + clientId + "\"}", ADMIN));
    }

    /** Yesterday in the syncs' zone: the last complete date. */
    static LocalDate yesterday() {
        return LocalDate.now(ZONE).minusDays(1);
    }

    /** A demo sync whose first date is {@code days} days before yesterday's successor, its schedule enabled. */
    void sync(String syncId, boolean period, int days, String connectorConfig) {
        sync(syncId, period, days, connectorConfig, true);
    }

    void sync(String syncId, boolean period, int days, String connectorConfig, boolean scheduleEnabled) {
        expect(201, call("PUT", base(syncId), """
                {"name":"%s","timezone":"%s","firstDate":"%s","supportsPeriodExecution":%s,"schedule":{"enabled":%s},
                 "connector":{"type":"demo","config":%s}}""".formatted(syncId, ZONE, yesterday().minusDays(days - 1), period,
                scheduleEnabled, connectorConfig), ADMIN));
    }

    String base(String syncId) {
        return "/clients/" + clientId + "/syncs/" + syncId;
    }

    Answer create(String syncId, String body) {
        return call("POST", base(syncId) + "/executions", body, claims);
    }

    Answer get(String syncId, String executionId) {
        return expect(200, call("GET", base(syncId) + "/executions/" + executionId, null, claims));
    }

    Answer confirm(String syncId, JsonNode execution) {
        return call("POST", base(syncId) + "/executions/" + execution.path("executionId").asText() + "/confirmation",
                "{\"confirm\":true,\"planDigest\":\"" + execution.path("plan").path("planDigest").asText() + "\"}", claims);
    }

    Answer decline(String syncId, JsonNode execution) {
        return call("POST", base(syncId) + "/executions/" + execution.path("executionId").asText() + "/confirmation",
                "{\"confirm\":false}", claims);
    }

    Answer cancel(String syncId, String executionId) {
        return call("POST", base(syncId) + "/executions/" + executionId + "/cancel", null, claims);
    }

    /** The sync's executions, newest first. */
    JsonNode executions(String syncId) {
        return expect(200, call("GET", base(syncId) + "/executions", null, claims)).json().path("executions");
    }

    JsonNode ledger(String syncId, LocalDate date) {
        JsonNode entries = expect(200, call("GET", base(syncId) + "/ledger?from=" + date + "&to=" + date, null, claims))
                .json().path("entries");
        return entries.get(0);
    }

    JsonNode sync(String syncId) {
        return expect(200, call("GET", base(syncId), null, claims)).json();
    }

    long records(String syncId, LocalDate date) {
        return DynamoDbDemoDestination.countRecords(cloud.standIns().dynamo(), cloud.standIns().table("DemoDestinationTable"),
                clientId, syncId, date);
    }

    /** Polls the execution until {@code done} holds, or fails after {@code timeout}. */
    JsonNode await(String syncId, String executionId, Predicate<JsonNode> done, Duration timeout) {
        JsonNode[] last = new JsonNode[1];
        try {
            Await.until(timeout, "execution " + executionId + " to get there", () -> {
                last[0] = get(syncId, executionId).json();
                return done.test(last[0]);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last seen: " + last[0], e);
        }
        return last[0];
    }

    /**
     * Imports {@code date} (a single-date run, to its end), then starts its re-import and waits
     * until the workflow has reached the confirmation wait (its task token stored with the execution).
     */
    Answer awaitingReimport(String syncId, LocalDate date) {
        String single = "{\"mode\":\"SINGLE_DATE\",\"date\":\"" + date + "\"}";
        awaitEnd(syncId, expect(202, create(syncId, single)).id());
        Answer waiting = expect(202, create(syncId, single));
        assertEquals("AWAITING_CONFIRMATION", waiting.json().path("status").asText());
        ExecutionRepository executions = new DynamoDbExecutionRepository(cloud.standIns().dynamo(), cloud.standIns().table("ExecutionsTable"), Clock.systemUTC());
        Await.until(Duration.ofSeconds(30), "the workflow to reach its confirmation wait",
                () -> executions.taskToken(clientId, syncId, waiting.id()).isPresent());
        return waiting;
    }

    /**
     * Polls until the execution has ended and its ending is done: Finalize writes the terminal status
     * first, then moves the watermark and releases the sync, so the sync still names the run for a
     * moment after its status says it ended.
     */
    JsonNode awaitEnd(String syncId, String executionId) {
        JsonNode ended = await(syncId, executionId, e -> !e.path("finishedAt").isNull() && isTerminal(e.path("status").asText())
                && e.path("progress").path("pending").asInt() == 0, Duration.ofSeconds(60));
        Await.until(Duration.ofSeconds(30), "sync " + syncId + " to be released by " + executionId,
                () -> !executionId.equals(sync(syncId).path("activeExecutionId").asText(null)));
        return ended;
    }

    static boolean isTerminal(String status) {
        return !status.equals("RUNNING") && !status.equals("AWAITING_CONFIRMATION");
    }

    Answer call(String method, String path, String body, Map<String, String> claims) {
        return client.call(method, path, body, claims);
    }
}
