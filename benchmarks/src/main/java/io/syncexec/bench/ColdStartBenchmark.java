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

/**
 * SPEC §7's cold start and jar size figures. Each function's shaded jar runs in a fresh JVM
 * (the template's JVM options, its environment, the local stand-ins as endpoints): constructor
 * plus first invocation, timed from JVM start. The baseline is a hello-world handler started the
 * same way. Prints the tables; run it with {@code mvn -q -pl benchmarks exec:java} after
 * {@code mvn -q -DskipTests install}.
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

            long hello = median(RUNS, classes + File.pathSeparator + lambdaCore, HelloHandler.class.getName(),
                    write(events, "hello.json", "{}"), standIns.environment(), false);
            System.out.printf("%n| cold start (median of %d, %s) | fresh JVM: init + first invocation, ms | × hello world "
                            + "| SnapStart: first invocation after priming, ms |%n|---|---|---|---|%n",
                    RUNS, Runtime.getRuntime().availableProcessors() + " cores");
            System.out.printf("| hello-world handler | %d | 1.0 | |%n", hello);
            Map<String, Path> probes = new LinkedHashMap<>();
            probes.put("ExecutionApiFunction", root.resolve("events/list-clients.json"));
            probes.put("ImportWorkerFunction", write(events, "sqs.json", """
                    {"records":[{"messageId":"m-1","receiptHandle":"r-1","eventSource":"aws:sqs",
                      "body":"{\\"clientId\\":\\"acme\\",\\"syncId\\":\\"orders\\",\\"executionId\\":\\"none\\",\\"date\\":\\"2026-11-20\\"}",
                      "attributes":{"ApproximateReceiveCount":"1"}}]}"""));
            probes.put("ScheduledRunsFunction", write(events, "tick.json", "{\"time\":\"2026-11-26T03:00:00Z\",\"detail-type\":\"Scheduled Event\"}"));
            for (Map.Entry<String, Path> probe : probes.entrySet()) {
                var function = functions.function(probe.getKey());
                Map<String, String> env = new HashMap<>(standIns.environment());
                env.putAll(function.environment());
                String classpath = jar(root, probe.getKey()) + File.pathSeparator + classes;
                long ms = median(RUNS, classpath, function.handlerClass(), probe.getValue(), env, false);
                long primed = median(RUNS, classpath, function.handlerClass(), probe.getValue(), env, true);
                System.out.printf("| %s | %d | %.1f | %d |%n", probe.getKey(), ms, (double) ms / hello, primed);
            }
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

    private static long median(int runs, String classpath, String handler, Path event, Map<String, String> env,
                               boolean primed) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(List.of(JVM_OPTIONS.split(" ")));
            command.addAll(List.of("-cp", classpath, ColdStartProbe.class.getName(), handler, event.toString(),
                    primed ? "primed" : "fresh"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0 || !output.contains("COLD_START_MS ")) {
                throw new IllegalStateException(handler + " failed in a fresh JVM:\n" + output);
            }
            String line = output.substring(output.indexOf("COLD_START_MS ") + "COLD_START_MS ".length()).trim().split("\\s")[0];
            times.add(Long.parseLong(line));
        }
        Collections.sort(times);
        return times.get(times.size() / 2);
    }
}
