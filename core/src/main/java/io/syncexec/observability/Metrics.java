package io.syncexec.observability;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * CloudWatch metrics as embedded metric format (EMF) lines on standard output: Lambda ships them to
 * CloudWatch Logs, which extracts the metrics; no API call, no client to build. Namespace
 * {@value #NAMESPACE}; every metric has the dimension {@code Stack} (the CloudFormation stack, so
 * several stacks can share an account), and run endings also {@code Status}. The metric names and
 * their meaning are in README "Operating it".
 */
public final class Metrics {
    /** The {@code Stack} dimension of a function without {@code STACK_NAME} (the template gives every function one). */
    public static final String UNNAMED_STACK = "local";
    public static final String NAMESPACE = "SyncExecutions";

    private final String stack;
    private final Clock clock;
    private final Consumer<String> sink;

    /** Metrics on standard output ({@link Log#STANDARD_OUTPUT}), where Lambda picks the EMF lines up. */
    public Metrics(String stack, Clock clock) {
        this(stack, clock, Log.STANDARD_OUTPUT);
    }

    /** Metrics whose lines go to {@code sink} (a test's). */
    public Metrics(String stack, Clock clock, Consumer<String> sink) {
        this.stack = stack;
        this.clock = clock;
        this.sink = sink;
    }

    /** Counts (unit Count) under the {@code Stack} dimension, with properties kept in the line for Logs Insights. */
    public void count(Map<String, ? extends Number> counts, Map<String, ?> properties) {
        emit(counts, "Count", Map.of(), properties);
    }

    /** One value of one metric with a unit (e.g. {@code RunDuration} in Seconds) and extra dimensions (e.g. {@code Status}). */
    public void put(String name, Number value, String unit, Map<String, String> dimensions, Map<String, ?> properties) {
        emit(Map.of(name, value), unit, dimensions, properties);
    }

    private void emit(Map<String, ? extends Number> values, String unit, Map<String, String> dimensions, Map<String, ?> properties) {
        if (values.isEmpty()) {
            return;
        }
        List<String> dimensionNames = new ArrayList<>(List.of("Stack"));
        dimensionNames.addAll(dimensions.keySet());
        List<Map<String, String>> definitions = new ArrayList<>();
        values.keySet().forEach(name -> definitions.add(Map.of("Name", name, "Unit", unit)));
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("_aws", Map.of(
                "Timestamp", clock.millis(),
                "CloudWatchMetrics", List.of(Map.of(
                        "Namespace", NAMESPACE,
                        "Dimensions", List.of(dimensionNames),
                        "Metrics", definitions))));
        line.put("Stack", stack);
        line.putAll(dimensions);
        properties.forEach((k, v) -> {
            if (v != null) {
                line.put(k, v);
            }
        });
        line.putAll(values);
        sink.accept(LogJson.object(line));
    }
}
