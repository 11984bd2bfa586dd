package io.syncexec.local.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.syncexec.connector.ConnectorUrls;
import io.syncexec.local.LocalCloud;
import io.syncexec.local.LocalCloudOptions;
import io.syncexec.local.events.ScheduleExpression;
import io.syncexec.local.events.ScheduleRule;
import io.syncexec.local.template.FunctionDefinition;
import io.syncexec.local.template.FunctionEvent;
import io.syncexec.standins.StandIns;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The local mode: the whole system on 127.0.0.1 in this JVM ({@code ./run-local}).
 *
 * <p>Starts the stand-ins and the template's functions ({@link LocalCloud}), makes a signing key and
 * writes tokens to {@code .local/tokens.json}, serves the HTTP API, the consumer page, the sign-in and
 * {@code POST /local/schedule} on {@code 127.0.0.1:$PORT} ({@link LocalServer}), seeds demo data through the
 * API and prints {@code Ready: http://127.0.0.1:<port>/}. A shutdown hook (Ctrl-C, SIGTERM) stops it
 * all, the dynalite node process included.
 *
 * <p>Environment: {@code PORT} (default 3000), {@code CONFIRMATION_TIMEOUT_SECONDS} (default 86400),
 * {@code SCHEDULE_ENABLED} ({@code true} or {@code false}) and {@code SCHEDULE_EXPRESSION} (a {@code rate()}
 * expression): the template parameters {@code ScheduleEnabled} and {@code ScheduleExpression}, whose
 * defaults ({@code false}, {@code rate(15 minutes)}) apply when they are not set; {@code LOCAL_NOW} (an
 * ISO instant, e.g. {@code 2026-12-31T20:00:00Z}): every clock of the local mode starts at that instant
 * and runs from there (the functions, the schedule and the sweeper, Step Functions, the issuer and
 * the gateway's token checks, the demo connector); {@code RETRY_DELAY_SECONDS} (0 to 900, default the
 * template's 10): the import worker's first retry delay, doubling at each retry.
 */
public final class LocalMode implements AutoCloseable {

    public static final int DEFAULT_PORT = 3000;
    public static final long DEFAULT_CONFIRMATION_TIMEOUT_SECONDS = 86_400;
    static final Duration SEED_TIMEOUT = Duration.ofSeconds(60);
    /** The import worker's variable (template.yaml: 10): the first retry's delay in seconds, doubling after. */
    static final String RETRY_DELAY = "RETRY_DELAY_SECONDS";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The tokens written to the tokens file. */
    public record Tokens(String admin, Map<String, String> clients) {
    }

    private final LocalSettings settings;
    private final StandIns standIns;
    private final List<AutoCloseable> started = new ArrayList<>();
    private LocalCloud cloud;
    private LocalServer localServer;
    private LocalIssuer issuer;
    private volatile Tokens tokens;
    private final SignInKey signInKey = new SignInKey();
    private boolean closed;

    private LocalMode(LocalSettings settings, StandIns standIns) {
        this.settings = settings;
        this.standIns = standIns;
    }

    public static void main(String[] args) {
        LocalSettings settings;
        try {
            settings = LocalSettings.fromEnvironment(System.getenv());
        } catch (RuntimeException e) {
            System.err.println("run-local: " + e.getMessage());
            System.exit(2);
            return;
        }
        Instant begin = Instant.now();
        StandIns standIns = null;
        LocalMode mode;
        try {
            standIns = StandIns.get(); // dynalite (node) and ElasticMQ, shared with the production clients of this JVM
            mode = start(settings, standIns);
        } catch (RuntimeException e) {
            System.err.println("run-local: could not start: " + describe(e));
            closeStandIns(standIns);
            System.exit(1);
            return;
        }
        StandIns toClose = standIns;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping the local mode...");
            mode.close();
            closeStandIns(toClose);
            System.out.println("Stopped.");
        }, "local-mode-shutdown"));
        PrintStream out = settings.out();
        out.println("Tokens: " + settings.root().relativize(settings.tokensFile()) + " (admin, and one per client: "
                + String.join(", ", mode.tokens().clients().keySet()) + ")");
        if (!settings.clock().equals(Clock.systemUTC())) {
            out.println("Clock: LOCAL_NOW, now " + settings.clock().instant().truncatedTo(ChronoUnit.SECONDS) + " (it runs from there)");
        }
        scheduleLines(mode.cloud()).forEach(out::println);
        out.println("Started in " + Duration.between(begin, Instant.now()).toMillis() + " ms. Ctrl-C stops everything.");
        out.println("Ready: " + mode.url());
        out.println("Sign in: " + mode.signInLink() + "  (for you only: its key works once)");
        out.flush();
        // The gateway's HTTP dispatcher thread keeps the JVM running until a signal runs the shutdown hook.
    }

    /**
     * Starts everything on the given stand-ins (the program's {@link StandIns#get()}; not closed here) and
     * returns once the API answers and the seed (if any) is in.
     */
    public static LocalMode start(LocalSettings settings, StandIns standIns) {
        LocalMode mode = new LocalMode(settings, standIns);
        try {
            mode.startComponents();
            return mode;
        } catch (RuntimeException | Error e) {
            mode.close();
            throw e;
        }
    }

    private void startComponents() {
        HttpServer server;
        try {
            server = LocalServer.bind(settings.port());
        } catch (BindException e) {
            throw new IllegalStateException("Port " + settings.port() + " on 127.0.0.1 is in use; choose another with PORT=<port>", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind 127.0.0.1:" + settings.port(), e);
        }
        started.add(() -> server.stop(0));
        int port = server.getAddress().getPort();
        // The key (a few hundred ms) is made while the functions start.
        CompletableFuture<LocalIssuer> key = CompletableFuture.supplyAsync(
                () -> new LocalIssuer(LocalIssuer.issuerFor(port), settings.clock()));

        cloud = LocalCloud.start(LocalCloudOptions.defaults()
                .withRoot(settings.root())
                .withClock(settings.clock())
                // Locally an http connector may also point at a server on this machine: given to the local
                // functions only, so deployed functions stay strict (https to public hosts).
                .withConnectorUrls(ConnectorUrls.LOOPBACK_ALLOWED)
                .withParameters(settings.parameters())
                .withEnvironment(settings.environment())
                .withParameter("ConfirmationTimeoutSeconds", Long.toString(settings.confirmationTimeoutSeconds()))
                .withParameter("JwtIssuer", LocalIssuer.issuerFor(port))
                .withParameter("JwtAudience", LocalIssuer.AUDIENCE)
                .withParameter("CorsAllowedOrigin", "http://127.0.0.1:" + port)
                // The seed's demo syncs fail and slow down on purpose (failingDates, latencyMillis).
                .withParameter("AllowDemoFaults", "true")
                .withLog(settings.out()));
        started.add(cloud);
        try {
            issuer = key.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }

        Path page = settings.root().resolve("consumer-page");
        if (!Files.isRegularFile(page.resolve("index.html"))) {
            settings.out().println("Note: " + page + "/index.html is missing; the API works, the page is not there yet.");
        }
        LocalCloud functions = cloud;
        localServer = LocalServer.start(server,
                new ApiGateway(cloud.routes(), cloud::api, issuer, settings.clock(), StandIns.ACCOUNT_ID, settings.out()),
                new OperatorEndpoints(() -> functions.fireSchedule(settings.clock().instant()), functions::sweep),
                new SignInPage(signInKey),
                new OidcProvider(issuer, signInKey, this::identities, "http://127.0.0.1:" + port),
                new StaticFiles(page, SignInPage.HINT_TAG, Map.of("/config.json", pageConfig(issuer))),
                settings.out());
        started.add(localServer);

        Map<String, String> clientTokens = new LinkedHashMap<>();
        for (String clientId : Seed.clientIds()) {
            clientTokens.put(clientId, issuer.clientToken("operator-" + clientId, List.of(clientId)));
        }
        tokens = new Tokens(issuer.adminToken("local-admin"), clientTokens);
        writeTokens(settings.tokensFile(), tokens);

        if (settings.seed()) {
            new Seed(url(), tokens.admin(), settings.clock()).run(SEED_TIMEOUT);
        }
    }

    /** One line per Schedule event of the template: whether its rule fires by itself here, and on what expression. */
    static List<String> scheduleLines(LocalCloud cloud) {
        List<String> lines = new ArrayList<>();
        for (FunctionDefinition function : cloud.functions().functions()) {
            for (FunctionEvent.Schedule schedule : function.schedules()) {
                ScheduleRule rule = cloud.scheduleRules().stream().filter(r -> r.name().equals(schedule.ruleName())).findFirst().orElse(null);
                lines.add(rule != null
                        ? "Schedule: on, " + schedule.expression() + ", next at " + rule.nextTick().truncatedTo(ChronoUnit.SECONDS)
                                + " (POST " + OperatorEndpoints.SCHEDULE_PATH + " fires it now)"
                        : "Schedule: off (SCHEDULE_ENABLED=true runs it on " + schedule.expression() + "; POST "
                                + OperatorEndpoints.SCHEDULE_PATH + " fires it now)");
            }
        }
        return lines;
    }

    private static void writeTokens(Path file, Tokens tokens) {
        ObjectNode json = JSON.createObjectNode().put("admin", tokens.admin());
        ObjectNode clients = json.putObject("clients");
        tokens.clients().forEach(clients::put);
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + localServer.port() + "/");
    }

    public int port() {
        return localServer.port();
    }

    /** Who the local sign-in offers: the admin, then each client's operator (the clients there are now). */
    private List<SignInIdentity> identities() {
        List<SignInIdentity> identities = new ArrayList<>(List.of(SignInIdentity.admin()));
        if (tokens == null) {
            return identities; // still starting
        }
        try {
            HttpResponse<String> clients = HTTP.send(HttpRequest.newBuilder(url().resolve("/clients"))
                    .header("Authorization", "Bearer " + tokens.admin()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (clients.statusCode() == 200) {
                JSON.readTree(clients.body()).path("clients")
                        .forEach(c -> identities.add(SignInIdentity.operatorOf(c.path("clientId").asText(),
                                c.path("name").asText(c.path("clientId").asText()))));
            }
        } catch (IOException e) {
            settings.out().println("sign-in: could not list the clients (" + e.getMessage() + "); offering the admin only");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return identities;
    }

    /** The page's settings in the local mode: the API on this origin, this mode's OpenID Connect provider. */
    private static byte[] pageConfig(LocalIssuer issuer) {
        ObjectNode config = JSON.createObjectNode().put("apiBase", "").put("issuer", issuer.issuer())
                .put("clientId", issuer.audience()).put("scopes", "openid");
        return config.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The one-time sign-in link: {@code http://127.0.0.1:<port>/local/sign-in?key=<key>}. */
    public URI signInLink() {
        return url().resolve(SignInPage.PATH + "?key=" + signInKey.key());
    }

    /** Another one-time sign-in link, for another browser of the person who started it (each browser test's fresh profile). */
    public URI anotherSignInLink() {
        return url().resolve(SignInPage.PATH + "?key=" + signInKey.anotherKey());
    }

    public Tokens tokens() {
        return tokens;
    }

    /** Every clock of the local mode reads this one (the system's, or one started at {@code LOCAL_NOW}). */
    public Clock clock() {
        return settings.clock();
    }

    public LocalIssuer issuer() {
        return issuer;
    }

    public LocalCloud cloud() {
        return cloud;
    }

    public StandIns standIns() {
        return standIns;
    }

    /** Stops the gateway and the functions (in reverse order of start); the stand-ins are the caller's. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                settings.out().println("Stopping: " + describe(e));
            }
        }
    }

    private static void closeStandIns(StandIns standIns) {
        if (standIns == null) {
            return;
        }
        try {
            standIns.close();
        } catch (RuntimeException e) {
            System.err.println("Stopping the stand-ins: " + describe(e));
        }
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(e.getClass().getSimpleName() + ": " + e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append("\n  caused by ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }
}
