package io.syncexec.local.server;

import io.syncexec.local.events.ScheduleExpression;
import io.syncexec.standins.RepositoryRoot;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How the local mode starts ({@link LocalMode#start}): from {@code ./run-local}'s environment
 * ({@link #fromEnvironment}), or built by a test.
 *
 * @param root                       the repository root (template.yaml, consumer-page/)
 * @param port                       0 for any free port
 * @param tokensFile                 where the tokens go ({@code <root>/.local/tokens.json} for the program)
 * @param seed                       whether to write the demo data
 * @param parameters                 template parameters over their defaults (the schedule's)
 * @param environment                function variables over the template's (e.g. {@code RETRY_DELAY_SECONDS})
 * @param clock                      every clock of the local mode (the system's, or one started at {@code LOCAL_NOW})
 */
public record LocalSettings(Path root, int port, long confirmationTimeoutSeconds, Path tokensFile, boolean seed, PrintStream out,
                       Map<String, String> parameters, Map<String, String> environment, Clock clock) {

    public LocalSettings {
        parameters = Map.copyOf(parameters);
        environment = Map.copyOf(environment);
    }

    /** With the template's defaults for every other parameter (the schedule off), on the system clock. */
    public LocalSettings(Path root, int port, long confirmationTimeoutSeconds, Path tokensFile, boolean seed, PrintStream out) {
        this(root, port, confirmationTimeoutSeconds, tokensFile, seed, out, Map.of(), Map.of(), Clock.systemUTC());
    }

    /** The same settings with every clock started at {@code now} (see {@link #startingAt}). */
    public LocalSettings at(Instant now) {
        return new LocalSettings(root, port, confirmationTimeoutSeconds, tokensFile, seed, out, parameters, environment, startingAt(now));
    }

    /**
     * The same settings with the import worker's first retry delay (doubling at each retry; the
     * template's 10 s gives 10, 20, 40, 80 s): a failing date is recorded sooner.
     */
    public LocalSettings withRetryDelaySeconds(long seconds) {
        Map<String, String> changed = new LinkedHashMap<>(environment);
        changed.put(LocalMode.RETRY_DELAY, Long.toString(seconds));
        return new LocalSettings(root, port, confirmationTimeoutSeconds, tokensFile, seed, out, parameters, changed, clock);
    }

    /** From the environment, as {@code ./run-local} starts it. */
    static LocalSettings fromEnvironment(Map<String, String> environment) {
        Path root = RepositoryRoot.find();
        int port = (int) number(environment, "PORT", LocalMode.DEFAULT_PORT, 0, 65_535);
        long timeout = number(environment, "CONFIRMATION_TIMEOUT_SECONDS", LocalMode.DEFAULT_CONFIRMATION_TIMEOUT_SECONDS, 1, 31_536_000);
        Map<String, String> functions = new LinkedHashMap<>();
        if (environment.get(LocalMode.RETRY_DELAY) != null && !environment.get(LocalMode.RETRY_DELAY).isBlank()) {
            functions.put(LocalMode.RETRY_DELAY, Long.toString(number(environment, LocalMode.RETRY_DELAY, 10, 0, 900)));
        }
        return new LocalSettings(root, port, timeout, root.resolve(".local/tokens.json"), true, System.out, scheduleParameters(environment),
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

    /** A clock that reads {@code now} at once, then runs as the system clock does. */
    public static Clock startingAt(Instant now) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), now));
    }
}
