package io.syncexec.browser;

import io.syncexec.standins.RepositoryRoot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The page as deployed (the files of {@code consumer-page/}) knows nothing of the local mode: the local
 * server adds its sign-in hint only when it serves the page ({@code ./run-local}).
 */
class DeployedPageTest {

    @Test
    void theDeployedPageHasNoReferenceToTheLocalMode() throws IOException {
        Path page = RepositoryRoot.find().resolve("consumer-page");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(page)) {
            files = walk.filter(Files::isRegularFile).filter(file -> file.toString().matches(".*\\.(html|js|mjs|css|json)$")).toList();
        }
        assertFalse(files.isEmpty(), "no page in " + page);
        List<Path> local = files.stream().filter(DeployedPageTest::mentionsTheLocalMode).toList();
        assertEquals(List.of(), local, "files of the deployed page that refer to /local/");
    }

    private static boolean mentionsTheLocalMode(Path file) {
        try {
            return Files.readString(file).contains("/local/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
