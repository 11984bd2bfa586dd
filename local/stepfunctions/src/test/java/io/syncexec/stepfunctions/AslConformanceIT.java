package io.syncexec.stepfunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;

/**
 * Runs every case of the AWS-recorded ASL corpus ({@code shared/conformance/asl}) through the HTTP
 * API with a real SfnClient, on virtual time, and compares status, output, error and cause as the
 * corpus README says. A case refused as an unsupported feature is reported as skipped, and the last
 * test fails if any was.
 */
class AslConformanceIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> SKIPPED = new TreeMap<>();
    private static TestBed bed;

    @BeforeAll
    static void start() {
        bed = new TestBed();
    }

    @AfterAll
    static void stop() {
        bed.close();
    }

    static Path corpus() {
        String override = System.getProperty("asl.conformance.dir");
        if (override != null) {
            return Paths.get(override);
        }
        List<Path> candidates = new ArrayList<>();
        String root = System.getProperty("syncexec.root");
        if (root != null) {
            candidates.add(Paths.get(root, "..", "shared", "conformance", "asl"));
        }
        // Run from the module directory without the parent's properties: <repo>/local/stepfunctions.
        candidates.add(Paths.get(System.getProperty("user.dir"), "..", "..", "..", "shared", "conformance", "asl"));
        for (Path candidate : candidates) {
            if (Files.isDirectory(candidate)) {
                return candidate.normalize();
            }
        }
        throw new IllegalStateException("ASL conformance corpus not found in " + candidates
                + "; set -Dasl.conformance.dir=<dir>");
    }

    @TestFactory
    Stream<DynamicTest> everyRecordedCase() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(corpus())) {
            files = list.filter(path -> path.toString().endsWith(".json")).sorted(Comparator.naturalOrder()).toList();
        }
        assertTrue(files.size() >= 148, "expected the whole corpus, found " + files.size() + " cases");
        Stream<DynamicTest> cases = files.stream().map(file -> DynamicTest.dynamicTest(
                file.getFileName().toString().replace(".json", ""), () -> runCase(read(file))));
        Stream<DynamicTest> summary = Stream.of(DynamicTest.dynamicTest("no case skipped", () -> {
            System.out.println("ASL conformance: " + files.size() + " cases, " + SKIPPED.size() + " skipped");
            SKIPPED.forEach((name, feature) -> System.out.println("  skipped " + name + ": " + feature));
            assertTrue(SKIPPED.isEmpty(), "skipped cases: " + SKIPPED);
        }));
        return Stream.concat(cases, summary);
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void runCase(JsonNode testCase) throws InterruptedException {
        String name = testCase.get("name").asText();
        bed.lambda.defineConformanceFunctions(testCase.get("lambdas"));
        String stateMachineArn;
        try {
            stateMachineArn = bed.sfn.createStateMachine(request -> request
                    .name(name.length() > 80 ? name.substring(0, 80) : name)
                    .definition(testCase.get("definition").toString())
                    .roleArn("arn:aws:iam::123456789012:role/conformance")).stateMachineArn();
        } catch (InvalidDefinitionException e) {
            if (e.getMessage().contains("UNSUPPORTED_FEATURE")) {
                SKIPPED.put(name, e.awsErrorDetails().errorMessage());
                System.out.println("SKIP " + name + ": " + e.awsErrorDetails().errorMessage());
                Assumptions.abort("unsupported feature: " + e.awsErrorDetails().errorMessage());
            }
            throw e;
        }
        String executionArn = bed.sfn.startExecution(request -> request
                .stateMachineArn(stateMachineArn)
                .input(testCase.get("input").toString())).executionArn();
        DescribeExecutionResponse execution = bed.runToCompletion(executionArn);

        ObjectNode expected = testCase.get("expected").deepCopy();
        ObjectNode actual = JSON.createObjectNode();
        actual.put("status", execution.statusAsString());
        if (expected.has("output")) {
            actual.set("output", execution.output() == null ? null : parse(execution.output()));
        }
        if (expected.has("error") || expected.has("cause") || !"SUCCEEDED".equals(execution.statusAsString())) {
            actual.put("error", execution.error());
            actual.put("cause", execution.cause());
        }
        for (JsonNode ignored : testCase.path("ignore_paths")) {
            remove(expected, ignored.asText());
            remove(actual, ignored.asText());
        }
        assertEquals(expected.get("status").asText(), actual.get("status").asText(),
                () -> name + ": status; actual " + actual);
        if (expected.has("output")) {
            assertTrue(expected.get("output").equals(JsonComparison.NUMBERS_BY_VALUE, actual.get("output")),
                    () -> name + ": output\n expected " + expected.get("output") + "\n actual   " + actual.get("output"));
        }
        if (expected.has("error")) {
            assertEquals(text(expected.get("error")), text(actual.get("error")), () -> name + ": error");
        }
        if (expected.has("cause")) {
            assertEquals(text(expected.get("cause")), text(actual.get("cause")), () -> name + ": cause");
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a simple dotted path ({@code $.output.A.B}) from {@code root}. */
    private static void remove(ObjectNode root, String path) {
        String[] steps = path.substring(2).split("\\.");
        JsonNode current = root;
        for (int i = 0; i < steps.length - 1 && current != null; i++) {
            current = current.get(steps[i]);
        }
        if (current instanceof ObjectNode object) {
            object.remove(steps[steps.length - 1]);
        }
    }
}
