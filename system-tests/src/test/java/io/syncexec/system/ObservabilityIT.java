package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.dynamodb.DynamoDbExecutionRepository;
import io.syncexec.execution.Execution;
import io.syncexec.json.Json;
import io.syncexec.local.LocalCloudExtension;
import io.syncexec.local.events.EventBus;
import io.syncexec.observability.Metrics;
import io.syncexec.standins.ApiClient.Answer;
import io.syncexec.standins.Await;
import io.syncexec.sync.Change;
import io.syncexec.sync.Sync;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.syncexec.standins.ApiClient.expect;
import static io.syncexec.system.Operator.yesterday;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an operator on call sees of one run, end to end in the local mode (the production handlers
 * in-process): JSON log lines from the API, the confirmation step, dispatch, the worker and
 * Finalize that all carry the run's correlation id and its execution id; the metrics; the status
 * events on the bus; and no task token anywhere.
 */
class ObservabilityIT {
    private static final List<String> LINES = Collections.synchronizedList(new ArrayList<>());
    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension(options -> options.withEnvironment("RETRY_DELAY_SECONDS", "0"));

    private static StandardOutput output;

    /** A function's log is what its process writes to standard output, as on Lambda: read it there, line by line. */
    @BeforeAll
    static void collectLines() {
        output = StandardOutput.tee(LINES::add);
    }

    @AfterAll
    static void printLines() {
        output.close();
    }

    @Test
    void aConfirmedReimportLeavesOneCorrelatedTrailMetricsAndStatusEventsAndNoToken() throws Exception {
        Operator op = new Operator(CLOUD.cloud());
        op.sync("orders", true, 3, "{\"recordsPerDate\":2}");
        LocalDate date = yesterday();
        Answer waiting = op.awaitingReimport("orders", date);
        String executionId = waiting.id();
        String token = new DynamoDbExecutionRepository(CLOUD.cloud().standIns().dynamo(), CLOUD.cloud().standIns().table("ExecutionsTable"), Clock.systemUTC())
                .taskToken(op.clientId, "orders", executionId).orElseThrow();
        expect(200, op.confirm("orders", waiting.json()));
        assertEquals("SUCCEEDED", op.awaitEnd("orders", executionId).path("status").asText());
        // Finalize tells after it has ended the run (status, then the sync released): wait for its line and event.
        Await.until(Duration.ofSeconds(30), "Finalize's line and status event", () -> endedLineWritten(executionId)
                && CLOUD.cloud().eventBus().events().stream().anyMatch(e -> executionId.equals(e.detail().path("executionId").asText())
                && "SUCCEEDED".equals(e.detail().path("status").asText())));

        List<JsonNode> lines = new ArrayList<>();
        synchronized (LINES) {
            for (String line : LINES) {
                assertFalse(line.contains(token), "a task token in a log line: " + line);
                if (line.startsWith("{")) { // the JSON lines (the local cloud prints its own notes beside them)
                    lines.add(Json.MAPPER.readTree(line));
                }
            }
        }
        JsonNode started = lines.stream().filter(l -> "execution.started".equals(l.path("event").asText())
                && executionId.equals(l.path("executionId").asText())).findFirst().orElseThrow();
        String correlationId = started.path("correlationId").asText();
        assertFalse(correlationId.isEmpty(), "the API's line has a correlation id: " + started);
        assertEquals("api", started.path("source").asText());

        Set<String> sources = new TreeSet<>();
        Set<String> events = new TreeSet<>();
        for (JsonNode line : lines) {
            if (line.has("event") && correlationId.equals(line.path("correlationId").asText())
                    && executionId.equals(line.path("executionId").asText())) {
                sources.add(line.path("source").asText());
                events.add(line.path("event").asText());
                assertTrue(Set.of("INFO", "WARN", "ERROR").contains(line.path("level").asText()), line.toString());
                assertFalse(line.path("timestamp").asText().isEmpty(), line.toString());
            }
        }
        assertEquals(Set.of("api", "confirmation", "dispatch", "worker", "finalize"), sources,
                "one run's lines from every function, all with the correlation id " + correlationId + ": " + events);
        assertTrue(events.containsAll(Set.of("execution.started", "confirmation.requested", "dates.dispatched",
                "date.imported", "execution.ended")), events.toString());
        JsonNode imported = lines.stream().filter(l -> "date.imported".equals(l.path("event").asText())
                && executionId.equals(l.path("executionId").asText())).findFirst().orElseThrow();
        assertEquals(date.toString(), imported.path("date").asText());
        assertEquals(op.clientId, imported.path("clientId").asText());
        // The operator's confirmation is a request of its own, with its own id, about the same run.
        assertTrue(lines.stream().anyMatch(l -> "confirmation.decided".equals(l.path("event").asText())
                && executionId.equals(l.path("executionId").asText()) && "CONFIRMED".equals(l.path("decision").asText())));

        Set<String> metrics = new TreeSet<>();
        for (JsonNode line : lines) {
            if (line.has("_aws") && executionId.equals(line.path("executionId").asText())) {
                line.path("_aws").path("CloudWatchMetrics").get(0).path("Metrics").forEach(m -> metrics.add(m.path("Name").asText()));
                assertEquals("SyncExecutions", line.path("_aws").path("CloudWatchMetrics").get(0).path("Namespace").asText());
            }
        }
        assertTrue(metrics.containsAll(Set.of("ConfirmationsRequested", "ConfirmationsConfirmed", "DatesImported", "RecordsImported",
                "DuplicateRecordsConfirmed", "RunsEnded", "RunDuration")), metrics.toString());

        List<String> statuses = new ArrayList<>();
        for (EventBus.Event event : CLOUD.cloud().eventBus().events()) {
            if (executionId.equals(event.detail().path("executionId").asText())) {
                assertEquals("sync-executions", event.source());
                assertEquals("Sync Execution Status Change", event.detailType());
                assertFalse(event.detail().toString().contains(token));
                statuses.add(event.detail().path("status").asText());
            }
        }
        assertEquals(List.of("AWAITING_CONFIRMATION", "SUCCEEDED"), statuses);
        JsonNode succeeded = CLOUD.cloud().eventBus().events().stream().map(EventBus.Event::detail)
                .filter(d -> executionId.equals(d.path("executionId").asText()) && "SUCCEEDED".equals(d.path("status").asText()))
                .findFirst().orElseThrow();
        assertEquals("CONFIRMED", succeeded.path("confirmation").path("decision").asText());
        assertEquals(1, succeeded.path("progress").path("imported").asInt());
    }

    private static boolean endedLineWritten(String executionId) {
        synchronized (LINES) {
            return LINES.stream().anyMatch(l -> l.contains("\"event\":\"execution.ended\"") && l.contains(executionId));
        }
    }
}
