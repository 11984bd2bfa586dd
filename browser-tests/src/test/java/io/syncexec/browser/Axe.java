package io.syncexec.browser;

import io.syncexec.standins.RepositoryRoot;
import org.openqa.selenium.JavascriptExecutor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * axe-core's WCAG 2.1 A and AA rules, run in the page as it is. The engine is the npm package
 * pinned in package-lock.json, read from node_modules/ at the repository root: nothing is
 * downloaded while the tests run.
 */
final class Axe {
    static final List<String> WCAG_21_A_AA = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

    /** Injects axe once per page, runs it on the whole document and answers its violations. */
    private static final String RUN = """
            const done = arguments[arguments.length - 1];
            window.axe.run(document, { runOnly: { type: "tag", values: arguments[0] }, resultTypes: ["violations"] })
              .then((results) => done(results.violations.map((v) => ({
                rule: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map((n) => n.target.join(" ")) }))))
              .catch((e) => done("axe failed: " + e));
            """;

    private static String source;

    private Axe() {
    }

    /** One violated rule: its id, impact and the selectors of the elements that violate it. */
    record Violation(String rule, String impact, String help, List<String> targets) {
        @Override
        public String toString() {
            return rule + " (" + impact + "): " + help + "\n      " + String.join("\n      ", targets);
        }
    }

    /** The WCAG 2.1 A and AA violations of the page as the browser shows it now. */
    static List<Violation> violations(JavascriptExecutor browser) {
        Object answer = browser.executeAsyncScript("if (!window.axe) {\n" + source() + "\n}\n" + RUN, WCAG_21_A_AA);
        if (!(answer instanceof List<?> list)) {
            throw new AssertionError("axe did not run: " + answer);
        }
        return list.stream().map(item -> (Map<?, ?>) item).map(v -> new Violation((String) v.get("rule"),
                (String) v.get("impact"), (String) v.get("help"),
                ((List<?>) v.get("targets")).stream().map(String::valueOf).toList())).toList();
    }

    /** The violations in lines, one rule a line with its targets under it (empty when there are none). */
    static String describe(List<Violation> violations) {
        return violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n"));
    }

    private static synchronized String source() {
        if (source == null) {
            Path file = RepositoryRoot.find().resolve("node_modules/axe-core/axe.min.js");
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(file + " is missing: run `npm ci` at the repository root "
                        + "(package-lock.json pins axe-core)");
            }
            try {
                source = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return source;
    }
}
