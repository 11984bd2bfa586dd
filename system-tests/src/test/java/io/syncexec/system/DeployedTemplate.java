package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * template.yaml as CloudFormation deploys it: transformed by the installed SAM translator
 * ({@code system-tests/src/test/python/sam_transform.py}), read once per test JVM; and
 * {@code cfn-lint}'s verdict. Both are Python packages preinstalled here and in CI; a missing one
 * fails the test with the install command, never skips it.
 */
final class DeployedTemplate {
    static final String INSTALL = "pip install cfn-lint aws-sam-translator";
    private static JsonNode transformed;

    private DeployedTemplate() {
    }

    record Result(int exit, String out, String err) {
    }

    static synchronized JsonNode get() {
        if (transformed == null) {
            Result r = run("python3", Template.ROOT.resolve("system-tests/src/test/python/sam_transform.py").toString(),
                    Template.ROOT.resolve("template.yaml").toString());
            if (r.exit == 3) {
                throw new AssertionError("The SAM translator is missing: " + INSTALL + "\n" + r.err);
            }
            if (r.exit != 0) {
                throw new AssertionError("The SAM transform failed:\n" + r.err);
            }
            try {
                transformed = new ObjectMapper().readTree(r.out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return transformed;
    }

    /** The resources of {@code type} in a transformed template, by logical id; fails when there is none. */
    static java.util.List<java.util.Map.Entry<String, JsonNode>> resources(JsonNode template, String type) {
        java.util.List<java.util.Map.Entry<String, JsonNode>> found = new java.util.ArrayList<>();
        template.path("Resources").fields().forEachRemaining(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                found.add(e);
            }
        });
        if (found.isEmpty()) {
            throw new AssertionError("no " + type + " in the transformed template");
        }
        return found;
    }

    static Result cfnLint() {
        return run("cfn-lint", "--format", "parseable", Template.ROOT.resolve("template.yaml").toString());
    }

    private static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(Template.ROOT.toFile()).start();
            p.getOutputStream().close();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            return new Result(p.waitFor(), out, err.join());
        } catch (IOException notInstalled) {
            throw new AssertionError(command[0] + " could not run (" + notInstalled.getMessage() + "): " + INSTALL, notInstalled);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
