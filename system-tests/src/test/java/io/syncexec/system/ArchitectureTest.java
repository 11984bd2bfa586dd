package io.syncexec.system;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The architecture map of {@code docs/architecture.md}, checked against the main code of every module:
 * no package cycle, production code ({@code functions/}, {@code core/}, {@code adapters/}) that depends on nothing of
 * the local mode and reads no JVM-wide setting (the process environment only in a handler's no-arg
 * constructor, which hands it to the function), one simple name per class, every package on the map,
 * and no file over {@value #MAX_LINES} lines unless the map names it as one cohesive algorithm.
 */
class ArchitectureTest {
    private static final int MAX_LINES = 450;
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    /** An import, static or not, or a fully qualified use in code: the package is the part before the first capital. */
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.syncexec(?:\\.[a-z]\\w*)+)\\.[A-Z]");
    private static final List<String> PRODUCTION = List.of("functions", "core", "adapters");
    private static final Set<String> LOCAL_PACKAGES = Set.of("io.syncexec.local", "io.syncexec.standins", "io.syncexec.stepfunctions",
            "io.syncexec.bench");
    private static final Path MAP = Template.ROOT.resolve("docs/architecture.md");

    private record Source(Path path, String packageName, String text) {
        boolean production() {
            return PRODUCTION.contains(Template.ROOT.relativize(path).getName(0).toString());
        }
    }

    private static final List<Source> SOURCES = read();

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        Map<String, Map<String, Path>> edges = new TreeMap<>();
        for (Source source : SOURCES) {
            Map<String, Path> from = edges.computeIfAbsent(source.packageName(), name -> new TreeMap<>());
            for (String used : references(source)) {
                if (!used.equals(source.packageName())) {
                    from.putIfAbsent(used, source.path());
                }
            }
        }
        List<String> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(edges)) {
            StringBuilder cycle = new StringBuilder("cycle between " + component + ":");
            for (String from : component) {
                edges.get(from).forEach((to, file) -> {
                    if (component.contains(to)) {
                        cycle.append("\n  ").append(from).append(" -> ").append(to).append(" (").append(Template.ROOT.relativize(file)).append(')');
                    }
                });
            }
            cycles.add(cycle.toString());
        }
        assertEquals(List.of(), cycles, "dependencies point one way: see docs/architecture.md");
    }

    @Test
    void productionCodeKnowsNothingOfTheLocalMode() {
        List<String> found = new ArrayList<>();
        for (Source source : SOURCES) {
            if (source.production()) {
                references(source).stream().filter(used -> LOCAL_PACKAGES.stream().anyMatch(local -> within(used, local)))
                        .forEach(used -> found.add(Template.ROOT.relativize(source.path()) + " uses " + used));
                if (source.text().contains("System.getProperty") || source.text().contains("System.setProperty")) {
                    found.add(Template.ROOT.relativize(source.path()) + " reads or sets a JVM system property");
                }
                if (source.text().replace("this(FunctionEnvironment.onLambda(System.getenv()));", "").contains("System.getenv")) {
                    found.add(Template.ROOT.relativize(source.path()) + " reads the process environment (only a handler's no-arg constructor may)");
                }
            }
        }
        assertEquals(List.of(), found, "a function gets everything from its environment, as on Lambda");
    }

    /** The domain core names no AWS SDK type: the SDK lives in the adapters (adapters/), one module per service. */
    @Test
    void theCoreKnowsNoAwsSdk() {
        List<String> offenders = SOURCES.stream()
                .filter(source -> Template.ROOT.relativize(source.path()).getName(0).toString().equals("core"))
                .filter(source -> source.text().contains("software.amazon"))
                .map(source -> Template.ROOT.relativize(source.path()).toString())
                .toList();
        assertEquals(List.of(), offenders, "core/ imports the AWS SDK");
    }

    @Test
    void everyClassHasASimpleNameOfItsOwn() {
        Map<String, List<String>> byName = new TreeMap<>();
        for (Source source : SOURCES) {
            byName.computeIfAbsent(source.path().getFileName().toString(), name -> new ArrayList<>())
                    .add(Template.ROOT.relativize(source.path()).toString());
        }
        byName.values().removeIf(paths -> paths.size() == 1);
        assertEquals(Map.of(), byName);
    }

    @Test
    void theMapNamesEveryPackageAndEveryLongFile() throws IOException {
        String map = Files.readString(MAP);
        Set<String> missing = new TreeSet<>();
        for (Source source : SOURCES) {
            if (!map.contains("`" + source.packageName() + "`")) {
                missing.add("package " + source.packageName());
            }
            long lines = source.text().lines().count();
            String file = source.path().getFileName().toString();
            if (lines > MAX_LINES && !map.contains("`" + file + "`")) {
                missing.add(Template.ROOT.relativize(source.path()) + " (" + lines + " lines: split it, or name it in the map as one algorithm)");
            }
        }
        assertEquals(Set.of(), missing, "docs/architecture.md must match the tree");
    }

    private static boolean within(String used, String prefix) {
        return used.equals(prefix) || used.startsWith(prefix + ".");
    }

    private static Set<String> references(Source source) {
        Set<String> used = new TreeSet<>();
        Matcher matcher = REFERENCE.matcher(source.text());
        while (matcher.find()) {
            used.add(matcher.group(1));
        }
        return used;
    }

    /** Tarjan's algorithm: the components of more than one package are the cycles. */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, Path>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<Set<String>> components = new ArrayList<>();
        for (String start : edges.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, edges, index, low, stack, components);
            }
        }
        return components;
    }

    private static void connect(String node, Map<String, Map<String, Path>> edges, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, List<Set<String>> components) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        for (String next : edges.getOrDefault(node, Map.of()).keySet()) {
            if (!index.containsKey(next)) {
                connect(next, edges, index, low, stack, components);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (stack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                component.add(member);
            } while (!member.equals(node));
            if (component.size() > 1) {
                components.add(component);
            }
        }
    }

    /** The main code of every module (tests may reach anywhere). */
    private static List<Source> read() {
        List<Source> sources = new ArrayList<>();
        for (String folder : List.of("functions", "core", "adapters", "local", "benchmarks")) {
            try (Stream<Path> files = Files.walk(Template.ROOT.resolve(folder))) {
                files.filter(path -> path.toString().endsWith(".java") && path.toString().contains("/src/main/java/"))
                        .sorted()
                        .map(ArchitectureTest::source)
                        .forEach(sources::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return List.copyOf(sources);
    }

    private static Source source(Path path) {
        try {
            String text = Files.readString(path);
            Matcher matcher = PACKAGE.matcher(text);
            if (!matcher.find()) {
                throw new IllegalStateException(path + " has no package");
            }
            return new Source(path, matcher.group(1), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
