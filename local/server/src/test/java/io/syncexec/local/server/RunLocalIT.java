package io.syncexec.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncexec.standins.RepositoryRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SPEC §6's contract, as a user meets it: {@code ./run-local} prints whether the schedule is on and
 * {@code Ready:}, writes {@code .local/tokens.json}, runs a default execution over HTTP to its end, and
 * leaves no process behind after SIGTERM (the dynalite node process included); a bad setting stops it
 * before anything starts.
 *
 * <p>It builds nothing: it runs in {@code mvn verify} after {@code package}, with
 * {@code RUN_LOCAL_SKIP_BUILD=1} so that run-local does not start a nested Maven build. It writes the
 * repository's {@code .local/tokens.json} (as run-local does) and puts back what was there before.
 */
class RunLocalIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_DEADLINE = Duration.ofSeconds(90);
    private static final Duration EXECUTION_DEADLINE = Duration.ofSeconds(60);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
    private static final Set<String> RUNNING = Set.of("RUNNING", "AWAITING_CONFIRMATION");

    private final List<String> output = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private Process process;
    private Path tokens;
    private Path saved;

    @AfterEach
    void cleanUp() throws IOException {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        if (saved != null) {
            Files.move(saved, tokens, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void startsRunsADefaultExecutionAndStopsEveryProcessOnSigterm() throws Exception {
        Path root = RepositoryRoot.find();
        assertTrue(Files.isRegularFile(root.resolve("local/server/target/local-server.jar")),
                "local-server.jar is built by `package`, before this test");
        tokens = root.resolve(".local/tokens.json");
        if (Files.exists(tokens)) {
            saved = Files.createTempFile(root.resolve("local/server/target"), "tokens-before-run-local-it", ".json");
            Files.copy(tokens, saved, StandardCopyOption.REPLACE_EXISTING);
        }
        int port = freePort();

        ProcessBuilder builder = new ProcessBuilder("bash", "run-local")
                .directory(root.toFile())
                .redirectErrorStream(true);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("RUN_LOCAL_SKIP_BUILD", "1");
        // The schedule on, on a period this test never reaches: the line says so, and no tick interferes.
        builder.environment().put("SCHEDULE_ENABLED", "true");
        builder.environment().put("SCHEDULE_EXPRESSION", "rate(2 days)");
        long begin = System.nanoTime();
        process = builder.start();
        Thread reader = new Thread(this::readOutput, "run-local-output");
        reader.setDaemon(true);
        reader.start();

        String schedule = awaitLine(line -> line.startsWith("Schedule: "), READY_DEADLINE);
        assertTrue(schedule.startsWith("Schedule: on, rate(2 days), next at "), schedule);
        String ready = awaitLine(line -> line.startsWith("Ready: "), READY_DEADLINE);
        long readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        System.out.println("RunLocalIT: Ready after " + readyMillis + " ms");
        assertEquals("Ready: http://127.0.0.1:" + port + "/", ready);
        String signInLine = awaitLine(line -> line.startsWith("Sign in: "), Duration.ofSeconds(5));
        assertTrue(signInLine.matches("Sign in: http://127\\.0\\.0\\.1:" + port + "/local/sign-in\\?key=[A-Za-z0-9_-]{43}  \\(for you only: its key works once\\)"),
                signInLine);
        String link = signInLine.substring("Sign in: ".length(), signInLine.indexOf("  "));

        JsonNode file = JSON.readTree(Files.readString(tokens));
        String admin = file.path("admin").asText();
        String acme = file.path("clients").path("acme").asText();
        assertFalse(admin.isBlank());
        assertFalse(acme.isBlank());
        assertTrue(output.stream().noneMatch(line -> line.contains(admin) || line.contains(acme)), "no token on the terminal");

        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(403, http.send(HttpRequest.newBuilder(base.resolve("/local/sign-in")).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), "no sign-in session without the printed key");
        HttpResponse<Void> signIn = http.send(HttpRequest.newBuilder(URI.create(link)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        assertEquals(303, signIn.statusCode(), "the printed link opens the sign-in session");
        assertEquals("/", signIn.headers().firstValue("location").orElse(null), "and leads to the page, no token in the address");
        assertEquals(403, http.send(HttpRequest.newBuilder(URI.create(link)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), "the key works once");
        assertEquals(200, http.send(HttpRequest.newBuilder(base.resolve("/")).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), "the consumer page at /");

        // One default execution of a seeded default-only sync, over HTTP, to its end.
        String executions = "/clients/acme/syncs/invoices/executions";
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve(executions))
                .header("Authorization", "Bearer " + acme)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mode\":\"DEFAULT\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, created.statusCode(), created.body());
        JsonNode execution = JSON.readTree(created.body());
        String executionId = execution.path("executionId").asText();
        int planned = execution.path("plan").path("datesCount").asInt();
        assertTrue(planned >= 28, "a month of missing dates: " + execution.path("plan"));

        long deadline = System.nanoTime() + EXECUTION_DEADLINE.toNanos();
        while (RUNNING.contains(execution.path("status").asText()) || execution.path("finishedAt").isNull()) {
            if (System.nanoTime() > deadline) {
                fail("execution " + executionId + " did not end within " + EXECUTION_DEADLINE + ": " + execution);
            }
            HttpResponse<String> polled = http.send(HttpRequest.newBuilder(base.resolve(executions + "/" + executionId))
                    .header("Authorization", "Bearer " + acme).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, polled.statusCode(), polled.body());
            execution = JSON.readTree(polled.body());
            Thread.sleep(100); // the poll interval; the deadline above bounds the wait
        }
        assertEquals("SUCCEEDED", execution.path("status").asText(), execution.toString());
        assertEquals(planned, execution.path("progress").path("imported").asInt(), execution.path("progress").toString());

        // SIGTERM: Java's shutdown hook stops the gateway, the functions, ElasticMQ and dynalite.
        List<ProcessHandle> ours = process.descendants().collect(Collectors.toList());
        ours.add(process.toHandle());
        assertTrue(ours.size() >= 2, "run-local runs java (exec) and its node child: " + describe(ours));
        process.destroy();
        assertTrue(process.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS), "run-local did not stop on SIGTERM: " + printable());
        long stopDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (ProcessHandle handle : ours) {
            try {
                handle.onExit().get(Math.max(stopDeadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                // reported below with every process still alive
            }
        }
        List<ProcessHandle> left = ours.stream().filter(ProcessHandle::isAlive).toList();
        assertTrue(left.isEmpty(), "processes left after SIGTERM: " + describe(left));
        // (Process.destroy() also closes our end of its output, so its last lines are not read here.)
    }

    @Test
    void aBadScheduleSettingIsRefusedBeforeAnythingStarts() throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("SCHEDULE_ENABLED", null);
        settings.put("SCHEDULE_EXPRESSION", "rate(5 hour)");
        assertEquals(2, runUntilExit(settings), printable());
        assertTrue(output.contains("run-local: SCHEDULE_EXPRESSION: Schedule expression \"rate(5 hour)\" is not valid: "
                + "a value over 1 takes the plural unit: rate(5 hours)"), printable());
    }

    @Test
    void withoutAJdk25ItSaysSoAndStartsNothing() throws Exception {
        Path noJdk = Files.createTempDirectory("no-jdk");
        assertEquals(1, runUntilExit(Map.of("JAVA_HOME", noJdk.toString(), "JDK25_CANDIDATES", noJdk.toString())), printable());
        assertTrue(output.contains("No JDK 25 found (looked at $JAVA_HOME, /usr/lib/jvm/*25*, the java on the PATH)."), printable());
        assertTrue(output.stream().anyMatch(l -> l.contains("install a JDK 25 (e.g. Temurin 25) and set JAVA_HOME")), printable());
        assertTrue(output.stream().noneMatch(l -> l.contains("Ready:")), printable());
    }

    /** Runs {@code ./run-local} (a null value removes the variable) until it exits by itself; its exit code. */
    private int runUntilExit(Map<String, String> settings) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "run-local")
                .directory(RepositoryRoot.find().toFile())
                .redirectErrorStream(true);
        builder.environment().put("RUN_LOCAL_SKIP_BUILD", "1");
        settings.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        process = builder.start();
        Thread reader = new Thread(this::readOutput, "run-local-output");
        reader.setDaemon(true);
        reader.start();
        assertTrue(process.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS), "run-local did not exit: " + printable());
        reader.join(STOP_DEADLINE.toMillis());
        return process.exitValue();
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.add(line);
                lines.add(line);
            }
        } catch (IOException e) {
            output.add("(output ended: " + e.getMessage() + ")");
        }
    }

    private String awaitLine(java.util.function.Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = lines.poll(Math.max(left, 0), TimeUnit.NANOSECONDS);
            if (line != null && wanted.test(line)) {
                return line;
            }
            if (line == null) {
                fail("no such line within " + timeout + " (alive: " + process.isAlive() + "); output:\n" + printable());
            }
        }
    }

    private String printable() {
        return String.join("\n", output);
    }

    private static String describe(List<ProcessHandle> handles) {
        return handles.stream().map(h -> h.pid() + " " + h.info().command().orElse("?")).collect(Collectors.joining(", "));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
