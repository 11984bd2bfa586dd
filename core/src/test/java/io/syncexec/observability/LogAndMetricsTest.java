package io.syncexec.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogAndMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC);
    private final List<String> lines = new ArrayList<>();

    /** A logger writing to this test's lines on its fixed clock. */
    private Log log(String source) {
        return Log.of(source, lines::add, CLOCK);
    }

    @Test
    void aLogLineIsOneJsonObjectWithItsContextAndFields() throws Exception {
        log("worker").with("correlationId", "req-1", "executionId", "e1", "date", null)
                .warn("date.retry", "date", "2026-11-02", "attempt", 2, "error", "503 \"busy\"\nline two\u0001");
        assertEquals(1, lines.size());
        assertFalse(lines.get(0).contains("\n"), "one line");
        JsonNode line = JSON.readTree(lines.get(0));
        assertEquals("2026-11-30T10:00:00Z", line.path("timestamp").asText());
        assertEquals("WARN", line.path("level").asText());
        assertEquals("worker", line.path("source").asText());
        assertEquals("date.retry", line.path("event").asText());
        assertEquals("req-1", line.path("correlationId").asText());
        assertEquals("e1", line.path("executionId").asText());
        assertEquals("2026-11-02", line.path("date").asText());
        assertEquals(2, line.path("attempt").asInt());
        assertEquals("503 \"busy\"\nline two\u0001", line.path("error").asText());
    }

    @Test
    void linesWrittenInsideACorrelationCarryItsIdAndOnlyThere() throws Exception {
        Log log = log("worker");
        String answer = Correlation.call("req-42", () -> {
            log.info("date.imported");
            Thread other = Thread.ofVirtual().start(() -> log.info("elsewhere"));
            other.join();
            return "done";
        });
        log.info("after");
        assertEquals("done", answer);
        assertEquals("req-42", JSON.readTree(lines.get(0)).path("correlationId").asText());
        assertTrue(JSON.readTree(lines.get(1)).path("correlationId").isMissingNode(), "another thread's work is not this request's");
        assertTrue(JSON.readTree(lines.get(2)).path("correlationId").isMissingNode());
    }

    @Test
    void tokensAndSecretsAreNeverWritten() throws Exception {
        log("api").with("taskToken", "AAAA-secret-token").info("confirmation.decided", "sourceToken", "s3cr3t",
                "clientSecret", "x", "Password", "p", "decision", "CONFIRMED");
        String line = lines.get(0);
        assertFalse(line.contains("AAAA-secret-token") || line.contains("s3cr3t"), line);
        JsonNode json = JSON.readTree(line);
        assertEquals("[redacted]", json.path("taskToken").asText());
        assertEquals("[redacted]", json.path("sourceToken").asText());
        assertEquals("[redacted]", json.path("Password").asText());
        assertEquals("CONFIRMED", json.path("decision").asText());
    }

    @Test
    void metricsAreEmbeddedMetricFormatUnderTheStackDimension() throws Exception {
        Metrics metrics = new Metrics("prod-sync", CLOCK, lines::add);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("DatesImported", 1L);
        counts.put("RecordsImported", 12L);
        metrics.count(counts, Map.of("executionId", "e1"));
        metrics.put("RunsEnded", 1, "Count", Map.of("Status", "FAILED"), Map.of());

        JsonNode first = JSON.readTree(lines.get(0));
        JsonNode definition = first.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals(CLOCK.millis(), first.path("_aws").path("Timestamp").asLong());
        assertEquals("SyncExecutions", definition.path("Namespace").asText());
        assertEquals("[[\"Stack\"]]", definition.path("Dimensions").toString());
        assertEquals("DatesImported", definition.path("Metrics").get(0).path("Name").asText());
        assertEquals("Count", definition.path("Metrics").get(0).path("Unit").asText());
        assertEquals("prod-sync", first.path("Stack").asText());
        assertEquals(12, first.path("RecordsImported").asInt());
        assertEquals("e1", first.path("executionId").asText());

        JsonNode second = JSON.readTree(lines.get(1));
        assertEquals("[[\"Stack\",\"Status\"]]", second.path("_aws").path("CloudWatchMetrics").get(0).path("Dimensions").toString());
        assertEquals("FAILED", second.path("Status").asText());
        assertEquals(1, second.path("RunsEnded").asInt());
        assertTrue(lines.stream().noneMatch(l -> l.contains("\n")));
    }
}
