package io.syncexec.browser;

import io.syncexec.standins.RepositoryRoot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void theVendoredSignInLibraryIsThePinnedNpmPackageAsPublished() throws IOException {
        Path root = RepositoryRoot.find();
        assertTrue(Files.readString(root.resolve("package.json")).contains("\"oidc-client-ts\": \"3.5.0\""), "pinned in package.json");
        byte[] vendored = Files.readAllBytes(root.resolve("consumer-page/vendor/oidc-client-ts.min.js"));
        byte[] published = Files.readAllBytes(root.resolve("node_modules/oidc-client-ts/dist/browser/oidc-client-ts.min.js"));
        assertTrue(Arrays.equals(published, vendored), "consumer-page/vendor/oidc-client-ts.min.js is node_modules' copy: "
                + "cp node_modules/oidc-client-ts/dist/browser/oidc-client-ts.min.js consumer-page/vendor/");
    }

    @Test
    void thePageHasNoInlineScriptAndTakesNoTokenFromItsAddress() throws IOException {
        Path page = RepositoryRoot.find().resolve("consumer-page");
        String index = Files.readString(page.resolve("index.html"));
        Matcher script = Pattern.compile("<script([^>]*)>").matcher(index);
        int scripts = 0;
        while (script.find()) {
            assertTrue(script.group(1).contains("src="), "a script from a file, never inline (the CSP allows 'self' only): " + script.group());
            scripts++;
        }
        assertEquals(2, scripts, "the sign-in library, then the page's module");
        try (Stream<Path> walk = Files.walk(page.resolve("js"))) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(file).contains("location.hash"), file + " reads the address fragment");
            }
        }
        assertFalse(Files.exists(page.resolve("config.json")), "the page holds no deployment's settings: they are published with it");
    }

    private static boolean mentionsTheLocalMode(Path file) {
        try {
            return Files.readString(file).contains("/local/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
