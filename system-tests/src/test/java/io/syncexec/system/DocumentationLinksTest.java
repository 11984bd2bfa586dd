package io.syncexec.system;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository's documentation reads on its own: every relative link of every Markdown file
 * (README, docs/, the modules' READMEs) names a file inside the repository that exists, and the
 * README stays short enough to read first (the details live in docs/).
 */
class DocumentationLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final int README_MAX_LINES = 250;

    @Test
    void everyRelativeLinkResolvesInsideTheRepository() throws IOException {
        Path root = Template.ROOT.toRealPath();
        List<String> broken = new ArrayList<>();
        for (Path file : markdownFiles(root)) {
            Matcher link = LINK.matcher(Files.readString(file));
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:") || target.startsWith("#")) {
                    continue;
                }
                String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                Path resolved = file.getParent().resolve(path).normalize();
                if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                    broken.add(root.relativize(file) + ": " + target);
                }
            }
        }
        assertEquals(List.of(), broken, "links that leave the repository or name nothing");
    }

    @Test
    void theReadmeIsShortAndItsDetailsLiveInDocs() throws IOException {
        long lines = Files.readAllLines(Template.ROOT.resolve("README.md")).size();
        assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines; move details to docs/");
    }

    private static List<Path> markdownFiles(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> {
                        String relative = root.relativize(p).toString();
                        return !relative.contains("node_modules/") && !relative.contains("target/") && !relative.startsWith(".");
                    })
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
