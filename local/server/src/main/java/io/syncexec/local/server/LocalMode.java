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
import io.syncexec.standins.RepositoryRoot;
import io.syncexec.standins.StandIns;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    /**
     * @param root                       the repository root (template.yaml, consumer-page/)
     * @param port                       0 for any free port
     * @param tokensFile                 where the tokens go ({@code <root>/.local/tokens.json} for the program)
     * @param seed                       whether to write the demo data
     * @param parameters                 template parameters over their defaults (the schedule's)
     * @param environment                function variables over the template's (e.g. {@code RETRY_DELAY_SECONDS})
     * @param clock                      every clock of the local mode (the system's, or one started at {@code LOCAL_NOW})
     */
    public record Settings(Path root, int port, long confirmationTimeoutSeconds, Path tokensFile, boolean seed, PrintStream out,
                           Map<String, String> parameters, Map<String, String> environment, Clock clock) {

        public Settings {
            parameters = Map.copyOf(parameters);
            environment = Map.copyOf(environment);
        }

        /** With the template's defaults for every other parameter (the schedule off), on the system clock. */
        public Settings(Path root, int port, long confirmationTimeoutSeconds, Path tokensFile, boolean seed, PrintStream out) {
            this(root, port, confirmationTimeoutSeconds, tokensFile, seed, out, Map.of(), Map.of(), Clock.systemUTC());
        }

        /** The same settings with every clock started at {@code now} (see {@link #startingAt}). */
        public Settings at(Instant now) {
            return new Settings(root, port, confirmationTimeoutSeconds, tokensFile, seed, out, parameters, environment, startingAt(now));
        }

        /**
         * The same settings with the import worker's first retry delay (doubling at each retry; the
         * template's 10 s gives 10, 20, 40, 80 s): a failing date is recorded sooner.
         */
        public Settings withRetryDelaySeconds(long seconds) {
            Map<String, String> changed = new LinkedHashMap<>(environment);
            changed.put(RETRY_DELAY, Long.toString(seconds));
            return new Settings(root, port, confirmationTimeoutSeconds, tokensFile, seed, out, parameters, changed, clock);
        }

        /** From the environment, as {@code ./run-local} starts it. */
        static Settings fromEnvironment(Map<String, String> environment) {
            Path root = RepositoryRoot.find();
            int port = (int) number(environment, "PORT", DEFAULT_PORT, 0, 65_535);
            long timeout = number(environment, "CONFIRMATION_TIMEOUT_SECONDS", DEFAULT_CONFIRMATION_TIMEOUT_SECONDS, 1, 31_536_000);
            Map<String, String> functions = new LinkedHashMap<>();
            if (environment.get(RETRY_DELAY) != null && !environment.get(RETRY_DELAY).isBlank()) {
                functions.put(RETRY_DELAY, Long.toString(number(environment, RETRY_DELAY, 10, 0, 900)));
            }
            return new Settings(root, port, timeout, root.resolve(".local/tokens.json"), true, System.out, scheduleParameters(environment),
                    functions, clock(environment.get("LOCAL_NOW")));
        }

        /** {@code LOCAL_NOW}: unset or blank, the system clock; else a clock that starts at that instant. */
        private static Clock clock(String localNow) {
            if (localNow == null || localNow.isBlank()) {
                return Clock.systemUTC();
            }
            try {
                return startingAt(Instant.parse(localNow.strip()));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("LOCAL_NOW must be an ISO instant such as 2026-12-31T20:00:00Z, not \"" + localNow + "\"");
            }
        }

        /**
         * {@code SCHEDULE_ENABLED} and {@code SCHEDULE_EXPRESSION} as the template's {@code ScheduleEnabled} and
         * {@code ScheduleExpression}; unset or blank, the template's default applies.
         */
        private static Map<String, String> scheduleParameters(Map<String, String> environment) {
            Map<String, String> parameters = new LinkedHashMap<>();
            String enabled = environment.get("SCHEDULE_ENABLED");
            if (enabled != null && !enabled.isBlank()) {
                String value = enabled.strip().toLowerCase(Locale.ROOT);
                if (!value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException("SCHEDULE_ENABLED must be true or false, not \"" + enabled + "\"");
                }
                parameters.put("ScheduleEnabled", value);
            }
            String expression = environment.get("SCHEDULE_EXPRESSION");
            if (expression != null && !expression.isBlank()) {
                try {
                    parameters.put("ScheduleExpression", ScheduleExpression.parse(expression.strip()).text());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("SCHEDULE_EXPRESSION: " + e.getMessage());
                }
            }
            return parameters;
        }

        private static long number(Map<String, String> environment, String name, long fallback, long min, long max) {
            String value = environment.get(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                long number = Long.parseLong(value.strip());
                if (number >= min && number <= max) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", not \"" + value + "\"");
        }
    }

    /** A clock that reads {@code now} at once, then runs as the system clock does. */
    public static Clock startingAt(Instant now) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), now));
    }

    /** The tokens written to the tokens file. */
    public record Tokens(String admin, Map<String, String> clients) {
    }

    private final Settings settings;
    private final StandIns standIns;
    private final List<AutoCloseable> started = new ArrayList<>();
    private LocalCloud cloud;
    private LocalServer localServer;
    private LocalIssuer issuer;
    private volatile Tokens tokens;
    private final SignInKey signInKey = new SignInKey();
    private boolean closed;

    private LocalMode(Settings settings, StandIns standIns) {
        this.settings = settings;
        this.standIns = standIns;
    }

    public static void main(String[] args) {
        Settings settings;
        try {
            settings = Settings.fromEnvironment(System.getenv());
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
    public static LocalMode start(Settings settings, StandIns standIns) {
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
                new SignInPage(this::identities, signInKey),
                new StaticFiles(page, SignInPage.HINT_TAG),
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

    /** Who {@code /local/sign-in} offers: the admin, then each seeded client's operator. */
    private Map<String, String> identities() {
        Map<String, String> identities = new LinkedHashMap<>();
        if (tokens != null) {
            identities.put("admin", tokens.admin());
            identities.putAll(tokens.clients());
        }
        return identities;
    }

    /** The one-time sign-in link: {@code http://127.0.0.1:<port>/local/sign-in?key=<key>}. */
    public URI signInLink() {
        return url().resolve(SignInPage.PATH + "?key=" + signInKey.key());
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
