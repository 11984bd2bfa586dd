package io.syncexec.system;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.syncexec.standins.FunctionModules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code sam build} does with template.yaml, done by hand (the SAM CLI cannot be installed here):
 * for each function, read its {@code Metadata.BuildMethod} and {@code CodeUri}, run
 * {@code make build-<LogicalId>} in the CodeUri folder with {@code ARTIFACTS_DIR} set to an empty
 * folder, then load the handler class from that folder as Lambda's Java runtime would (its root and
 * {@code lib/*.jar}), with nothing of this JVM's class path.
 *
 * <p>Runs after {@code package}, so the jars are up to date and each target copies them; that a
 * changed source makes a target rebuild them with one Maven reactor build is checked with
 * {@code make -n -W <source>} (what make would run if that file had changed).
 */
class SamBuildIT {

    @Test
    void everyFunctionBuildsIntoAnArtifactFolderItsHandlerLoadsFrom(@TempDir Path build) throws Exception {
        Template template = Template.read();
        List<String> functions = template.ids("AWS::Serverless::Function");
        assertEquals(7, functions.size());
        for (String id : functions) {
            assertEquals("makefile", template.resource(id).path("Metadata").path("BuildMethod").asText(), id);
            Path codeUri = Template.ROOT.resolve(template.resource(id).path("Properties").path("CodeUri").asText());
            assertTrue(Files.isRegularFile(codeUri.resolve("Makefile")), id + ": SAM runs the Makefile of its CodeUri");
            Path artifacts = Files.createDirectories(build.resolve(id));

            Run make = run(codeUri, artifacts, "make", "--no-print-directory", "build-" + id);
            assertEquals(0, make.exit, id + ": make build-" + id + "\n" + make.output);

            List<URL> classpath = new ArrayList<>(List.of(artifacts.toUri().toURL()));
            try (Stream<Path> jars = Files.list(artifacts.resolve("lib"))) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    classpath.add(jar.toUri().toURL());
                }
            }
            assertEquals(List.of(FunctionModules.read(Template.ROOT).get(id) + ".jar"),
                    classpath.stream().skip(1).map(u -> Path.of(u.getPath()).getFileName().toString()).toList(), id);
            try (URLClassLoader lambda = new URLClassLoader(classpath.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
                Class<?> handler = Class.forName(template.handlerClass(id), false, lambda);
                assertTrue(handler.getClassLoader() == lambda, id + ": the handler comes from the artifact, not from the test's class path");
                Class<?> requestHandler = Class.forName(RequestHandler.class.getName(), false, lambda);
                Class<?> streamHandler = Class.forName("com.amazonaws.services.lambda.runtime.RequestStreamHandler", false, lambda);
                assertTrue(requestHandler.isAssignableFrom(handler) || streamHandler.isAssignableFrom(handler),
                        id + ": " + handler + " is a Lambda handler");
                assertTrue(java.util.Arrays.stream(handler.getConstructors()).anyMatch(c -> c.getParameterCount() == 0),
                        id + " has the public no-argument constructor Lambda calls");
            }
        }
    }

    @Test
    void aChangedSourceRebuildsEveryJarWithOneMavenBuildOnJdk25() throws Exception {
        Path source = Template.ROOT.resolve("core/src/main/java/io/syncexec/execution/Workflow.java");
        assertTrue(Files.isRegularFile(source));
        Run dryRun = run(Template.ROOT, Files.createTempDirectory("sam-artifacts"), "make", "-n", "--no-print-directory",
                "-W", Template.ROOT.relativize(source).toString(), "build-ExecutionApiFunction");
        assertEquals(0, dryRun.exit, dryRun.output);
        String mvn = dryRun.output.lines().filter(l -> l.contains("mvn ")).findFirst().orElse("");
        assertTrue(mvn.contains("source scripts/jdk25.sh"), "JDK 25: " + mvn);
        assertTrue(mvn.contains(" package") && mvn.contains("-DskipTests") && mvn.contains(" -am"), "one reactor build, no tests: " + mvn);
        for (String module : FunctionModules.read(Template.ROOT).values()) {
            assertTrue(mvn.contains("functions/" + module), module + " is built by it: " + mvn);
        }

        Run unchanged = run(Template.ROOT, Files.createTempDirectory("sam-artifacts"), "make", "-n", "--no-print-directory",
                "build-ExecutionApiFunction");
        assertFalse(unchanged.output.contains("mvn "), "up-to-date jars are only copied:\n" + unchanged.output);
    }

    @Test
    void withoutSamTheTargetsSayWhatIsMissing() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("make", "--no-print-directory", "build-DispatchFunction")
                .directory(Template.ROOT.toFile()).redirectErrorStream(true);
        builder.environment().remove("ARTIFACTS_DIR");
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor() != 0 && output.contains("ARTIFACTS_DIR is not set"), output);
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Path dir, Path artifacts, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("ARTIFACTS_DIR", artifacts.toString());
        Process p = builder.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), output);
    }
}
