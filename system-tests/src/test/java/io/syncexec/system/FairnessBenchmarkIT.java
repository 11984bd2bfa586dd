package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.syncexec.connector.ConnectorUrls;
import io.syncexec.json.Json;
import io.syncexec.local.LocalCloudExtension;
import io.syncexec.standins.Await;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static io.syncexec.standins.ApiClient.expect;
import static io.syncexec.system.Operator.yesterday;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20's benchmark (SPEC §7, §10), in the local mode with {@code benchmark.pollers} import
 * workers (default 6; on AWS ImportMaximumConcurrency defaults to 10, above the default cap of 4): (a) a 3-date run of another sync, idle and during a 3,650-date backfill;
 * (b) 200 syncs' daily runs started by one heartbeat during two backfills; (c) a source answering
 * {@code 429 Retry-After: 20} for its first 20 s; (d) a sync capped at 2 under a slow source. Prints
 * a table; skipped unless {@code -Dbenchmark.fairness=true} (it runs minutes):
 * {@code mvn -B -pl system-tests -am verify -Dtest=none -Dit.test=FairnessBenchmarkIT -Dbenchmark.fairness=true -Dsurefire.failIfNoSpecifiedTests=false}
 */
class FairnessBenchmarkIT {
    private static final int POLLERS = Integer.getInteger("benchmark.pollers", 6);
    private static final Map<String, String> ADMIN = Map.of("sub", "admin-1", "cognito:groups", "[sync-admins]");
    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension(options -> options.withPollersPerQueue(POLLERS)
            .withConnectorUrls(ConnectorUrls.LOOPBACK_ALLOWED));

    @BeforeAll
    static void onlyWhenAsked() {
        Assumptions.assumeTrue(Boolean.getBoolean("benchmark.fairness"), "-Dbenchmark.fairness=true runs this benchmark");
    }

    private final List<String> rows = new ArrayList<>() {
        @Override
        public boolean add(String row) {
            System.out.println("benchmark " + row); // as it comes, for a run that stops half way
            return super.add(row);
        }
    };

    @Test
    void fairnessAndSourceLimits() throws Exception {
        Operator op = new Operator(CLOUD.cloud());
        backfillAndADailyRun(op);
        twoHundredDailyRunsDuringTwoBackfills(op);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        server.start();
        try {
            throttlingSource(op, server);
            cappedAtTwo(op, server);
        } finally {
            server.stop(0);
            threads.shutdownNow();
        }
        System.out.printf("%n| issue 20 benchmark (local mode, %d import workers) | value |%n|---|---|%n", POLLERS);
        rows.forEach(System.out::println);
        System.out.println();
    }

    /** (a) A 3-date default run, idle, then while a 3,650-date backfill of another sync runs. */
    private void backfillAndADailyRun(Operator op) {
        put(op, "warm-up", 3, false, "{\"type\":\"demo\",\"config\":{\"recordsPerDate\":1}}");
        put(op, "daily-idle", 3, false, "{\"type\":\"demo\",\"config\":{\"recordsPerDate\":1}}");
        put(op, "daily-loaded", 3, false, "{\"type\":\"demo\",\"config\":{\"recordsPerDate\":1}}");
        put(op, "backfill", 3650, false, "{\"type\":\"demo\",\"config\":{\"recordsPerDate\":1}}");
        run(op, "warm-up"); // the JVM's first run of each path, not counted
        Duration idle = run(op, "daily-idle");
        String backfill = expect(202, op.create("backfill", "{\"mode\":\"DEFAULT\"}")).id();
        Await.until(Duration.ofMinutes(2), "the backfill to import", () ->
                op.get("backfill", backfill).json().path("progress").path("imported").asInt() >= 100);
        Duration loaded = run(op, "daily-loaded");
        int backfillDone = op.get("backfill", backfill).json().path("progress").path("imported").asInt();
        expect(202, op.cancel("backfill", backfill));
        op.awaitEnd("backfill", backfill);
        double ratio = (double) loaded.toMillis() / Math.max(1, idle.toMillis());
        rows.add("| (a) 3-date run, idle | %.2f s |".formatted(idle.toMillis() / 1000.0));
        rows.add("| (a) 3-date run during a 3,650-date backfill (%d dates of it imported by then) | %.2f s |"
                .formatted(backfillDone, loaded.toMillis() / 1000.0));
        rows.add("| (a) loaded / idle | %.2f (budget ≤ 1.5, or + 2 s: %s) |".formatted(ratio, ok(ratio <= 1.5
                || loaded.minus(idle).compareTo(Duration.ofSeconds(2)) <= 0)));
        assertTrue(ratio <= 1.5 || loaded.minus(idle).compareTo(Duration.ofSeconds(2)) <= 0,
                "loaded " + loaded + " vs idle " + idle);
    }

    /** (b) 200 syncs due at once (one heartbeat) while two syncs backfill 3,650 dates each. */
    private void twoHundredDailyRunsDuringTwoBackfills(Operator op) {
        List<String> backfills = new ArrayList<>();
        for (String id : List.of("backfill-1", "backfill-2")) {
            put(op, id, 3650, false, "{\"type\":\"demo\",\"config\":{\"recordsPerDate\":1}}");
            backfills.add(expect(202, op.create(id, "{\"mode\":\"DEFAULT\"}")).id());
        }
        List<String> daily = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            daily.add("daily-" + i);
            put(op, "daily-" + i, 1, true, "{\"type\":\"demo\",\"config\":{\"recordsPerDate\":1}}");
        }
        CLOUD.cloud().fireSchedule(Instant.now());
        List<Duration> times = new CopyOnWriteArrayList<>();
        List<String> waiting = new ArrayList<>(daily);
        Await.until(Duration.ofMinutes(5), "the 200 daily runs to end", () -> {
            waiting.removeIf(syncId -> {
                JsonNode runs = op.executions(syncId);
                if (runs.isEmpty() || runs.get(0).path("finishedAt").isNull()) {
                    return false;
                }
                assertEquals("SUCCEEDED", runs.get(0).path("status").asText(), syncId);
                times.add(Duration.between(Instant.parse(runs.get(0).path("createdAt").asText()),
                        Instant.parse(runs.get(0).path("finishedAt").asText())));
                return true;
            });
            return waiting.isEmpty();
        });
        for (int i = 0; i < backfills.size(); i++) {
            expect(202, op.cancel("backfill-" + (i + 1), backfills.get(i)));
        }
        List<Duration> sorted = times.stream().sorted().toList();
        rows.add("| (b) 200 daily runs during two backfills, p50 / p95 / max end to end | %.2f s / %.2f s / %.2f s |".formatted(
                sorted.get(sorted.size() / 2).toMillis() / 1000.0, sorted.get(sorted.size() * 95 / 100).toMillis() / 1000.0,
                sorted.get(sorted.size() - 1).toMillis() / 1000.0));
        for (int i = 0; i < backfills.size(); i++) {
            op.awaitEnd("backfill-" + (i + 1), backfills.get(i));
        }
    }

    /** (c) A source that answers 429 Retry-After: 20 for its first 20 s. */
    private void throttlingSource(Operator op, HttpServer server) {
        Source source = new Source(Duration.ofSeconds(20), Duration.ZERO);
        server.createContext("/throttling", source::handle);
        // When the first pause was recorded: the worker emits SourceThrottled once it has written the pause.
        List<Instant> pausesRecorded = new CopyOnWriteArrayList<>();
        JsonNode ended;
        try (StandardOutput ignored = StandardOutput.tee(line -> {
            if (line.contains("\"SourceThrottled\"")) {
                try {
                    pausesRecorded.add(Instant.ofEpochMilli(Json.MAPPER.readTree(line).path("_aws").path("Timestamp").asLong()));
                } catch (IOException e) {
                    throw new IllegalStateException("an EMF line that is not JSON: " + line, e);
                }
            }
        })) {
            put(op, "throttled", 10, false, http(server, "/throttling"));
            String id = expect(202, op.create("throttled", "{\"mode\":\"DEFAULT\"}")).id();
            ended = op.await("throttled", id, e -> !e.path("finishedAt").isNull(), Duration.ofMinutes(3));
        }
        Instant firstThrottle = source.firstThrottleAnswered;
        Instant recorded = pausesRecorded.stream().min(Instant::compareTo).orElseThrow();
        long during = source.calls.stream().filter(at -> at.isAfter(recorded) && at.isBefore(firstThrottle.plusSeconds(20))).count();
        long beforeRecorded = source.calls.stream().filter(at -> at.isAfter(firstThrottle) && !at.isAfter(recorded)).count();
        long inFlight = source.calls.stream().filter(at -> !at.isAfter(firstThrottle)).count();
        rows.add(("| (c) 429 Retry-After: 20 for 20 s: calls during the pause, once recorded (%d ms after the first 429) | %d "
                + "(in flight at the first 429: %d; between it and its pause recorded: %d) |").formatted(
                Duration.between(firstThrottle, recorded).toMillis(), during, inFlight, beforeRecorded));
        rows.add("| (c) its dates: status, imported / failed | %s, %d / %d |".formatted(ended.path("status").asText(),
                ended.path("progress").path("imported").asInt(), ended.path("progress").path("failed").asInt()));
        assertEquals(0, during);
        assertEquals("SUCCEEDED", ended.path("status").asText());
    }

    /** (d) A sync capped at 2 dates at once, its source taking 200 ms a call. */
    private void cappedAtTwo(Operator op, HttpServer server) {
        Source source = new Source(Duration.ZERO, Duration.ofMillis(200));
        server.createContext("/slow", source::handle);
        put(op, "capped", 30, false, http(server, "/slow").replace("\"config\"", "\"limits\":{\"maxConcurrentDates\":2},\"config\""));
        String id = expect(202, op.create("capped", "{\"mode\":\"DEFAULT\"}")).id();
        JsonNode ended = op.await("capped", id, e -> !e.path("finishedAt").isNull(), Duration.ofMinutes(3));
        rows.add("| (d) sync capped at 2, %d workers: most calls in flight seen by the source | %d (%s, %d dates) |"
                .formatted(POLLERS, source.mostInFlight.get(), ended.path("status").asText(), ended.path("progress").path("imported").asInt()));
        assertTrue(source.mostInFlight.get() <= 2, "in flight: " + source.mostInFlight.get());
        assertEquals("SUCCEEDED", ended.path("status").asText());
    }

    /** The end-to-end time of a default run of {@code syncId}, from the server's own times. */
    private static Duration run(Operator op, String syncId) {
        String id = expect(202, op.create(syncId, "{\"mode\":\"DEFAULT\"}")).id();
        JsonNode ended = op.await(syncId, id, e -> !e.path("finishedAt").isNull(), Duration.ofMinutes(3));
        assertEquals("SUCCEEDED", ended.path("status").asText());
        return Duration.between(Instant.parse(ended.path("createdAt").asText()), Instant.parse(ended.path("finishedAt").asText()));
    }

    private static void put(Operator op, String syncId, int days, boolean schedule, String connector) {
        expect(201, op.call("PUT", op.base(syncId), """
                {"name":"%s","timezone":"%s","firstDate":"%s","supportsPeriodExecution":true,"schedule":{"enabled":%s},
                 "connector":%s}""".formatted(syncId, Operator.ZONE, yesterday().minusDays(days - 1), schedule, connector), ADMIN));
    }

    private static String http(HttpServer server, String path) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + path;
        return "{\"type\":\"http\",\"config\":{\"sourceUrl\":\"" + base + "/source/{date}\",\"destinationUrl\":\"" + base + "/destination\"}}";
    }

    private static String ok(boolean ok) {
        return ok ? "met" : "NOT met";
    }

    /** A source that throttles for {@code throttleFor} from its first call, then answers after {@code latency}; and a destination. */
    private static final class Source {
        private final Duration throttleFor;
        private final Duration latency;
        final List<Instant> calls = new CopyOnWriteArrayList<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        volatile Instant start;
        volatile Instant firstThrottleAnswered;

        Source(Duration throttleFor, Duration latency) {
            this.throttleFor = throttleFor;
            this.latency = latency;
        }

        void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
            exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().endsWith("/destination")) {
                answer(exchange, 200, "{}");
                return;
            }
            Instant now = Instant.now();
            calls.add(now);
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                synchronized (this) {
                    if (start == null) {
                        start = now;
                    }
                }
                if (now.isBefore(start.plus(throttleFor))) {
                    exchange.getResponseHeaders().set("Retry-After", Long.toString(throttleFor.toSeconds()));
                    answer(exchange, 429, "{}");
                    synchronized (this) {
                        if (firstThrottleAnswered == null) {
                            firstThrottleAnswered = Instant.now();
                        }
                    }
                    return;
                }
                if (latency.isPositive()) {
                    Thread.sleep(latency.toMillis()); // the source's own slowness, not a test's wait
                }
                answer(exchange, 200, "[{\"id\":1}]");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
        }

        private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }
    }
}
