package io.syncexec.standins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Maven module builds which function of template.yaml, as the repository's Makefile says
 * ({@code ExecutionApiFunction := execution-api}): {@code sam build} runs its {@code build-<LogicalId>}
 * targets, which copy {@code functions/<module>/target/<module>.jar}.
 */
public final class FunctionModules {
    private static final Pattern ASSIGNMENT = Pattern.compile("^(\\w+Function) := ([a-z0-9-]+)\\s*$");

    private FunctionModules() {
    }

    /** Logical id → module folder name under {@code functions/}, in the Makefile's order. */
    public static Map<String, String> read(Path root) {
        Map<String, String> modules = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(root.resolve("Makefile"))) {
                Matcher m = ASSIGNMENT.matcher(line);
                if (m.matches()) {
                    modules.put(m.group(1), m.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return modules;
    }

    /** The shaded jar Maven builds for a function. */
    public static Path jar(Path root, String functionId) {
        String module = read(root).get(functionId);
        if (module == null) {
            throw new IllegalArgumentException("The Makefile names no module for " + functionId);
        }
        return root.resolve("functions").resolve(module).resolve("target").resolve(module + ".jar");
    }
}
