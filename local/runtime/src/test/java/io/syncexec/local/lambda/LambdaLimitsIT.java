package io.syncexec.local.lambda;

import io.syncexec.lambda.FunctionEnvironment;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.syncexec.local.template.FunctionDefinition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AWS Lambda's limits hold in the local host: each function's Timeout, and the 6 MB response. */
class LambdaLimitsIT {
    private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:";
    private static LambdaHost host;
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();

    /** Never answers: it waits for a signal nobody gives (a source that hangs). */
    public static final class Hangs implements RequestHandler<Map<String, Object>, String> {
        static final AtomicInteger INSTANCES = new AtomicInteger();

        public Hangs() {
            INSTANCES.incrementAndGet();
        }

        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "never";
        }
    }

    /** Answers a little over 6 MB. */
    public static final class Large implements RequestHandler<Map<String, Object>, String> {
        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            return "x".repeat(6 * 1024 * 1024 + 1);
        }
    }

    @BeforeAll
    static void start() {
        host = LambdaHost.start(List.of(
                new FunctionDefinition("Hangs", ARN + "Hangs", Hangs.class.getName(), Duration.ofSeconds(1), 128, Map.of(), List.of()),
                new FunctionDefinition("Large", ARN + "Large", Large.class.getName(), Duration.ofSeconds(30), 128, Map.of(), List.of())),
                function -> FunctionEnvironment.onLambda(function.environment()), 0, new PrintStream(LOG, true));
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    @Test
    void anInvocationPastItsTimeoutFailsAsTaskTimedOutAndItsEnvironmentIsReplaced() {
        int before = Hangs.INSTANCES.get();
        FunctionTimedOutException timedOut = assertThrows(FunctionTimedOutException.class,
                () -> host.invoke("Hangs", Map.of(), String.class));
        assertTrue(timedOut.getMessage().endsWith("Task timed out after 1.00 seconds"), timedOut.getMessage());
        assertThrows(FunctionTimedOutException.class, () -> host.invoke("Hangs", Map.of(), String.class));
        assertEquals(before + 2, Hangs.INSTANCES.get(), "each timed-out sandbox is dropped; the next invocation starts a new one");
        assertTrue(LOG.toString().contains("Task timed out after 1.00 seconds"));
    }

    @Test
    void theInvokeApiAnswersATimeoutAsLambdaDoes() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(host.endpoint() + "/2015-03-31/functions/Hangs/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertEquals("Unhandled", response.headers().firstValue("X-Amz-Function-Error").orElse(null));
        assertTrue(response.body().contains("\"errorType\":\"Sandbox.Timedout\""), response.body());
        assertTrue(response.body().contains("Task timed out after 1.00 seconds"), response.body());
    }

    @Test
    void aResponseOverSixMegabytesFailsTheInvocation() {
        ResponseTooLargeException tooLarge = assertThrows(ResponseTooLargeException.class,
                () -> host.invoke("Large", Map.of(), String.class));
        assertTrue(tooLarge.getMessage().contains("exceeded maximum allowed payload size (6291456 bytes)"), tooLarge.getMessage());
    }
}
