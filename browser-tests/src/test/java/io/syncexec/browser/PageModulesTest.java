package io.syncexec.browser;

import io.syncexec.standins.RepositoryRoot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No module of the page touches the DOM when it is imported: only the entry point that
 * {@code index.html} loads starts the page; every other module waits until it is called (the run
 * dialog and the history dialog read their elements on first open). Each module is imported in
 * node, where there is no {@code document} or {@code window}.
 */
class PageModulesTest {

    private static final Pattern SCRIPT = Pattern.compile("<script[^>]*\\ssrc=\"([^\"]+)\"");
    private static final String IMPORT_EACH = """
            for (const url of process.argv.slice(1)) {
              try { await import(url); } catch (e) { console.log("FAILED " + url.slice(url.lastIndexOf("/js/") + 4) + ": " + e.message); }
            }
            console.log("DONE");
            """;

    @Test
    void everyModuleButTheEntryPointImportsWithoutTouchingTheDom() throws IOException, InterruptedException {
        Path page = RepositoryRoot.find().resolve("consumer-page");
        List<Path> entries = entryPoints(page);
        assertTrue(entries.contains(page.resolve("js/main.js")), "the modules index.html loads: " + entries);
        List<Path> modules;
        try (Stream<Path> walk = Files.walk(page.resolve("js"))) {
            modules = walk.filter(file -> file.toString().endsWith(".js")).filter(file -> !entries.contains(file)).sorted().toList();
        }
        assertTrue(modules.contains(page.resolve("js/dialog.js")) && modules.contains(page.resolve("js/run/single-tab.js")),
                "the modules found: " + modules);

        List<String> command = new ArrayList<>(List.of("node", "--input-type=module", "--no-warnings", "-e", IMPORT_EACH));
        modules.forEach(module -> command.add(module.toUri().toString()));
        Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(60, TimeUnit.SECONDS), "node did not exit");
        assertEquals(0, node.exitValue(), output);
        assertTrue(output.contains("DONE"), output);
        List<String> failed = output.lines().filter(line -> line.startsWith("FAILED ")).toList();
        assertEquals(List.of(), failed, "modules that touch the DOM (or fail) when imported");
    }

    private static List<Path> entryPoints(Path page) throws IOException {
        Matcher script = SCRIPT.matcher(Files.readString(page.resolve("index.html")));
        List<Path> entries = new ArrayList<>();
        while (script.find()) {
            entries.add(page.resolve(script.group(1)).normalize());
        }
        return entries;
    }
}
