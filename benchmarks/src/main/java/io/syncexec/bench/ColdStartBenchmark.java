package io.syncexec.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.syncexec.local.template.Stack;
import io.syncexec.local.template.TemplateFunctions;
import io.syncexec.standins.RepositoryRoot;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.FunctionModules;
import io.syncexec.standins.TemplateResources;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * SPEC §7's cold start and jar size figures. Each function's shaded jar runs in a fresh JVM
 * (the template's JVM options, its environment, the local stand-ins as endpoints): constructor
 * plus first invocation, timed from JVM start. The baseline is a hello-world handler started the
 * same way. Each first invocation takes a real path ({@link ProbeData}): the API reads a sync's
 * month of imported dates (the page's heaviest first call), the worker imports a planned date of a
 * running execution through the demo connector, the heartbeat ticks over {@value ProbeData#DUE_PER_TICK}
 * due syncs (then sweeps). The last column is a warm call after the priming hook in the same JVM, a
 * proxy for what a SnapStart restore's first invocation pays (no snapshot is taken here). Prints the
 * tables; see the README for the command.
 */
public final class ColdStartBenchmark {
    private static final int RUNS = Integer.getInteger("runs", 5);
    private static final String JVM_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    public static void main(String[] args) throws Exception {
        Path root = RepositoryRoot.find();
        try (StandIns standIns = StandIns.start(root)) {
            Path template = root.resolve("template.yaml");
            Map<String, String> queues = new LinkedHashMap<>();
            TemplateResources.read(template).queueIds().forEach(q -> queues.put(q, standIns.queueUrl(q)));
            TemplateFunctions functions = TemplateFunctions.read(template,
                    new Stack("bench", StandIns.REGION, StandIns.ACCOUNT_ID, Map.of(), Map.of(), standIns.tables(), queues));
            Path events = Files.createTempDirectory("cold-start-events");
            String classes = Path.of(ColdStartProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            String lambdaCore = Path.of(RequestStreamHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();

            System.out.printf("%n| function | jar (MB) |%n|---|---|%n");
            for (var function : functions.functions()) {
                Path jar = jar(root, function.logicalId());
                System.out.printf("| %s | %.1f |%n", function.logicalId(), Files.size(jar) / 1_000_000.0);
            }

            Path helloEvent = write(events, "hello.json", "{}");
            long hello = median(RUNS, classes + File.pathSeparator + lambdaCore, HelloHandler.class.getName(),
                    () -> helloEvent, standIns.environment(), false, result -> true);
            System.out.printf("%n| cold start (median of %d, %s) | fresh JVM: init + first invocation, ms | × hello world "
                            + "| warm call after the priming hook (a proxy for a SnapStart restore's first invocation), ms |%n"
                            + "|---|---|---|---|%n",
                    RUNS, Runtime.getRuntime().availableProcessors() + " cores");
            System.out.printf("| hello-world handler | %d | 1.0 | |%n", hello);
            // The anchor: an SDK archetype-lambda handler (static client, one GetItem, Jackson), from the API's jar
            // (the same SDK, HTTP client and Jackson) with the API's environment, run the same way.
            Map<String, String> anchorEnv = new HashMap<>(standIns.environment());
            anchorEnv.putAll(functions.function("ExecutionApiFunction").environment());
            Path anchorEvent = write(events, "anchor.json", "{\"clientId\":\"anchor\"}");
            String anchorClasspath = jar(root, "ExecutionApiFunction") + File.pathSeparator + classes;
            long anchor = median(RUNS, anchorClasspath, AnchorHandler.class.getName(), () -> anchorEvent, anchorEnv, false,
                    result -> result.contains("found"));
            System.out.printf("| anchor: SDK archetype-lambda handler, one GetItem | %d | %.1f | |%n", anchor, (double) anchor / hello);
            // Each run's first invocation works on data of its own, written before its JVM starts (ProbeData).
            ProbeData data = new ProbeData(standIns, functions.function("ExecutionApiFunction").environment(), events);
            Map<String, EventFile> probes = new LinkedHashMap<>();
            Map<String, Double> ratios = new LinkedHashMap<>();
            probes.put("ExecutionApiFunction", () -> data.ledgerEvent(root.resolve("events/get-ledger.json")));
            probes.put("ImportWorkerFunction", data::workerEvent);
            probes.put("ScheduledRunsFunction", data::tickEvent);
            // What each first invocation must have answered: the path it was meant to take, not an early exit.
            Map<String, Predicate<String>> answered = Map.of(
                    "ExecutionApiFunction", r -> r.contains("\"statusCode\":200") && count(r, "IMPORTED") == 31,
                    "ImportWorkerFunction", r -> r.contains("\"batchItemFailures\":[]") && data.lastWorkerDateImported(),
                    "ScheduledRunsFunction", r -> r.contains("\"enqueued\":" + ProbeData.DUE_PER_TICK + ","));
            for (Map.Entry<String, EventFile> probe : probes.entrySet()) {
                var function = functions.function(probe.getKey());
                Map<String, String> env = new HashMap<>(standIns.environment());
                env.putAll(function.environment());
                String classpath = jar(root, probe.getKey()) + File.pathSeparator + classes;
                Predicate<String> check = answered.get(probe.getKey());
                long ms = median(RUNS, classpath, function.handlerClass(), probe.getValue(), env, false, check);
                long primed = median(RUNS, classpath, function.handlerClass(), probe.getValue(), env, true, check);
                System.out.printf("| %s | %d | %.1f | %d |%n", probe.getKey(), ms, (double) ms / hello, primed);
                ratios.put(probe.getKey(), (double) ms / anchor);
            }
            System.out.printf("%n| function | fresh JVM × the anchor (goal ≤ 1.0) |%n|---|---|%n");
            ratios.forEach((function, ratio) -> System.out.printf("| %s | %.2f |%n", function, ratio));
            System.out.println();
        }
    }

    private static Path jar(Path root, String functionId) {
        Path jar = FunctionModules.jar(root, functionId);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn -q -DskipTests install first");
        }
        return jar;
    }

    private static Path write(Path dir, String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name), json);
    }

    /** The event of one run, written for it. */
    @FunctionalInterface
    private interface EventFile {
        Path next() throws IOException;
    }

    private static long count(String text, String word) {
        return (text.length() - text.replace(word, "").length()) / word.length();
    }

    private static long median(int runs, String classpath, String handler, EventFile events, Map<String, String> env,
                               boolean primed, Predicate<String> answered) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(List.of(JVM_OPTIONS.split(" ")));
            Path event = events.next();
            command.addAll(List.of("-cp", classpath, ColdStartProbe.class.getName(), handler, event.toString(),
                    primed ? "primed" : "fresh"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0 || !output.contains("COLD_START_MS ")) {
                throw new IllegalStateException(handler + " failed in a fresh JVM:\n" + output);
            }
            String result = output.contains("RESULT ") ? output.substring(output.indexOf("RESULT ")).lines().findFirst().orElse("") : "";
            if (!answered.test(result)) {
                throw new IllegalStateException(handler + " did not take the path it was meant to:\n" + result);
            }
            String line = output.substring(output.indexOf("COLD_START_MS ") + "COLD_START_MS ".length()).trim().split("\\s")[0];
            times.add(Long.parseLong(line));
        }
        Collections.sort(times);
        return times.get(times.size() / 2);
    }
}
