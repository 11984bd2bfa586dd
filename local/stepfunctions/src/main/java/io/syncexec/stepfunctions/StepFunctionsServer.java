package io.syncexec.stepfunctions;

import com.sun.net.httpserver.HttpServer;
import io.syncexec.stepfunctions.api.StepFunctionsApi;
import io.syncexec.stepfunctions.engine.IntegrationClients;
import io.syncexec.stepfunctions.engine.Engine;
import io.syncexec.stepfunctions.engine.RealScheduler;
import io.syncexec.stepfunctions.engine.Scheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Step Functions stand-in: an ASL interpreter behind the Step Functions JSON API, bound to
 * 127.0.0.1. Point an {@code SfnClient} at {@link #endpoint()} (any credentials).
 *
 * <pre>{@code
 * try (StepFunctionsServer server = StepFunctionsServer.start(0, StepFunctionsServer.Options.defaults())) {
 *     SfnClient sfn = SfnClient.builder().endpointOverride(server.endpoint())...build();
 * }
 * }</pre>
 */
public final class StepFunctionsServer implements AutoCloseable {

    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final Engine engine;

    private StepFunctionsServer(HttpServer http, ExecutorService httpThreads, Engine engine) {
        this.http = http;
        this.httpThreads = httpThreads;
        this.engine = engine;
    }

    /**
     * What the server runs with. {@link #defaults()}: region us-east-1, account 123456789012,
     * wall-clock time, Lambda and SQS clients from the SDK's standard environment settings.
     */
    public record Options(String region, String accountId, Scheduler scheduler, IntegrationClients clients, int workerThreads) {

        public static Options defaults() {
            return new Options("us-east-1", "123456789012", null, null, 32);
        }

        public Options withRegion(String value) {
            return new Options(value, accountId, scheduler, clients, workerThreads);
        }

        public Options withAccountId(String value) {
            return new Options(region, value, scheduler, clients, workerThreads);
        }

        /** The source of time; a {@code VirtualScheduler} makes long waits testable instantly. */
        public Options withScheduler(Scheduler value) {
            return new Options(region, accountId, value, clients, workerThreads);
        }

        /** The clients Task states call Lambda and SQS with. */
        public Options withClients(IntegrationClients value) {
            return new Options(region, accountId, scheduler, value, workerThreads);
        }

        public Options withWorkerThreads(int value) {
            return new Options(region, accountId, scheduler, clients, value);
        }
    }

    /** Starts on 127.0.0.1:{@code port} (0 picks a free port; see {@link #port()}). */
    public static StepFunctionsServer start(int port, Options options) {
        // Small JSON responses: without TCP_NODELAY every call can wait on a delayed ACK (~40 ms).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        Scheduler scheduler = options.scheduler() != null ? options.scheduler() : new RealScheduler();
        IntegrationClients clients = options.clients() != null ? options.clients() : IntegrationClients.fromEnvironment(options.region());
        Engine engine = new Engine(options.region(), options.accountId(), scheduler, clients, options.workerThreads());
        AtomicInteger count = new AtomicInteger();
        ExecutorService httpThreads = Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "stepfunctions-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            http.createContext("/", new StepFunctionsApi(engine));
            http.setExecutor(httpThreads);
            http.start();
            return new StepFunctionsServer(http, httpThreads, engine);
        } catch (IOException e) {
            engine.close();
            httpThreads.shutdownNow();
            throw new UncheckedIOException("cannot bind 127.0.0.1:" + port, e);
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The engine behind the API, e.g. for {@link Engine#awaitIdle} in tests on virtual time. */
    public Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        http.stop(0);
        httpThreads.shutdownNow();
        engine.close();
    }
}
