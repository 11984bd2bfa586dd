package io.syncexec.local.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.syncexec.standins.HttpApiRoutes;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.syncexec.local.server.HttpExchanges.sendMessage;

/**
 * The local HTTP front door on 127.0.0.1. It checks the {@code Host} ({@link HostCheck}: 421 otherwise),
 * then hands each request to the one that serves it: the HTTP API's routes to {@link ApiGateway}, the
 * operator's {@code /local/schedule} and {@code /local/sweep} to {@link OperatorEndpoints}, the sign-in to
 * {@link SignInPage} and the local OpenID Connect provider ({@link OidcProvider}), the consumer page's files
 * to {@link StaticFiles}; anything else is 404
 * {@code {"message":"Not Found"}}, a failure 500.
 */
public final class LocalServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final HostCheck hosts;
    private final ApiGateway api;
    private final OperatorEndpoints operator;
    private final SignInPage signIn;
    private final OidcProvider oidc;
    private final StaticFiles page;
    private final PrintStream log;

    private LocalServer(HttpServer server, ApiGateway api, OperatorEndpoints operator, SignInPage signIn, OidcProvider oidc,
                        StaticFiles page, PrintStream log) {
        this.server = server;
        this.hosts = new HostCheck(server.getAddress().getPort());
        this.api = api;
        this.operator = operator;
        this.signIn = signIn;
        this.oidc = oidc;
        this.page = page;
        this.log = log;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "gateway-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
    }

    /** Binds 127.0.0.1:{@code port} (0: any free port); {@link #start} serves. */
    public static HttpServer bind(int port) throws IOException {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true"); // small answers: no delayed-ACK stalls
        }
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    }

    /** Serves on {@code server} (from {@link #bind}). */
    static LocalServer start(HttpServer server, ApiGateway api, OperatorEndpoints operator, SignInPage signIn, OidcProvider oidc,
                             StaticFiles page, PrintStream log) {
        LocalServer local = new LocalServer(server, api, operator, signIn, oidc, page, log);
        server.start();
        return local;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath();
            if (!hosts.allows(exchange.getRequestHeaders().getFirst("Host"))) {
                sendMessage(exchange, 421, "Misdirected Request", method);
                return;
            }
            Optional<HttpApiRoutes.Match> route = api.route(method, rawPath);
            Supplier<Object> action = operator.action(rawPath);
            if (route.isPresent()) {
                api.serve(exchange, method, rawPath, route.get());
            } else if (action != null) {
                OperatorEndpoints.serve(exchange, method, action, hosts);
            } else if (SignInPage.serves(rawPath)) {
                signIn.serve(exchange, method, rawPath);
            } else if (OidcProvider.serves(rawPath)) {
                oidc.serve(exchange, method, rawPath);
            } else if (!("GET".equals(method) || "HEAD".equals(method)) || !page.serve(exchange, rawPath, method)) {
                sendMessage(exchange, 404, "Not Found", method);
            }
        } catch (IOException | RuntimeException e) {
            log.println("gateway: " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " failed: "
                    + e.getClass().getName() + ": " + e.getMessage());
            if (exchange.getResponseCode() == -1) {
                sendMessage(exchange, 500, "Internal Server Error", "GET");
            }
        } finally {
            exchange.close();
        }
    }
}
