package io.syncexec.observability;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One JSON object per line on standard output: what Lambda's JSON log format keeps as it is (it
 * does not encode a JSON line twice) and what CloudWatch Logs Insights queries by field. A line has
 * {@code timestamp}, {@code level}, {@code source} (which function), {@code event} (what happened,
 * e.g. {@code date.imported}), the context ({@code correlationId}, {@code executionId},
 * {@code clientId}, {@code syncId}, {@code date} where known) and the event's own fields.
 *
 * <p>Levels: {@code ERROR} only for what a person must look at (a message bound for the dead-letter
 * queue, a run the sweeper had to end, a schedule tick that could not start a sync); {@code WARN} for
 * what heals by itself (a retry, a batch item returned to the queue, a lock taken over); {@code INFO}
 * for the life of a run. A field whose name says token or secret is never written: its value becomes
 * {@code "[redacted]"}. Written by hand (no logging framework): nothing to initialize at cold start.
 */
public final class Log {
    public enum Level { INFO, WARN, ERROR }

    /** The process's standard output as it is when a line is written: what Lambda sends to the function's log group. */
    public static final Consumer<String> STANDARD_OUTPUT = line -> System.out.println(line);

    private final String source;
    private final Map<String, Object> context;
    private final Consumer<String> sink;
    private final Clock clock;

    private Log(String source, Map<String, Object> context, Consumer<String> sink, Clock clock) {
        this.source = source;
        this.context = context;
        this.sink = sink;
        this.clock = clock;
    }

    /** A logger for one function or component, e.g. {@code worker}, {@code api}: standard output, the system clock. */
    public static Log of(String source) {
        return of(source, STANDARD_OUTPUT, Clock.systemUTC());
    }

    /** A logger writing its lines to {@code sink}, timestamped by {@code clock} (a function's own clock, a test's). */
    public static Log of(String source, Consumer<String> sink, Clock clock) {
        return new Log(source, Map.of(), sink, clock);
    }

    /** This logger with more context, e.g. {@code with("executionId", id, "clientId", client)}; null values are left out. */
    public Log with(Object... keyValues) {
        Map<String, Object> more = new LinkedHashMap<>(context);
        put(more, keyValues);
        return new Log(source, more, sink, clock);
    }

    public void info(String event, Object... keyValues) {
        write(Level.INFO, event, keyValues);
    }

    public void warn(String event, Object... keyValues) {
        write(Level.WARN, event, keyValues);
    }

    public void error(String event, Object... keyValues) {
        write(Level.ERROR, event, keyValues);
    }

    private void write(Level level, String event, Object... keyValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("timestamp", clock.instant().toString());
        fields.put("level", level.name());
        fields.put("source", source);
        fields.put("event", event);
        String correlationId = Correlation.id();
        if (correlationId != null) {
            fields.put("correlationId", correlationId);
        }
        fields.putAll(context);
        put(fields, keyValues);
        sink.accept(LogJson.object(fields));
    }

    private static void put(Map<String, Object> fields, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected: " + Arrays.toString(keyValues));
        }
        for (int i = 0; i < keyValues.length; i += 2) {
            String key = String.valueOf(keyValues[i]);
            Object value = keyValues[i + 1];
            if (value == null) {
                continue;
            }
            String lower = key.toLowerCase(Locale.ROOT);
            fields.put(key, lower.contains("token") || lower.contains("secret") || lower.contains("password") ? "[redacted]" : value);
        }
    }
}
