package io.syncexec.system;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code scripts/publish_page.py}, the page's publication after {@code sam deploy}, against moto's
 * in-process AWS ({@code system-tests/src/test/python/test_publish_page.py}: config.json from the stack's
 * outputs, the files with their types in the bucket, stale ones removed, the distribution invalidated, a
 * stack without the outputs refused with nothing changed). boto3 and moto are preinstalled Python packages;
 * a missing one fails the test, never skips it.
 */
class PublishPageTest {

    @Test
    void thePublishScriptPassesItsTestsAgainstMoto() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s", "system-tests/src/test/python", "-p", "test_publish_page.py")
                    .directory(Template.ROOT.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("python3 could not run: pip install boto3 moto", e);
        }
        p.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        int exit = p.waitFor();
        String text = output.join();
        assertEquals(0, exit, text);
        assertEquals(true, text.contains("Ran 4 tests") && text.contains("OK"), text);
    }
}
