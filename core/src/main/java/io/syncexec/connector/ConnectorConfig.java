package io.syncexec.connector;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Typed reads of a sync's {@code connector.config}. A value of the wrong type or out of range is
 * a permanent error: retrying cannot fix a config.
 */
final class ConnectorConfig {
    private final String connectorType;
    private final Map<String, Object> values;

    ConnectorConfig(String connectorType, Map<String, Object> values) {
        this.connectorType = connectorType;
        this.values = values == null ? Map.of() : values;
    }

    /** The string {@code name}, or null when it is absent or blank. */
    String string(String name) throws ConnectorException {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw invalid(name, "must be a string");
        }
        return text.isBlank() ? null : text;
    }

    String requiredString(String name) throws ConnectorException {
        String value = string(name);
        if (value == null) {
            throw ConnectorException.permanent(connectorType + " connector: config." + name + " is missing");
        }
        return value;
    }

    /** The whole number {@code name} between {@code min} and {@code max}, or {@code otherwise} when absent. */
    long integer(String name, long otherwise, long min, long max) throws ConnectorException {
        Object value = values.get(name);
        if (value == null) {
            return otherwise;
        }
        long number;
        try {
            number = decimal(name, value).longValueExact();
        } catch (ArithmeticException e) {
            throw invalid(name, "must be a whole number");
        }
        if (number < min || number > max) {
            throw invalid(name, "must be between " + min + " and " + max);
        }
        return number;
    }

    /** The number {@code name} between {@code min} and {@code max}, or {@code otherwise} when absent. */
    double number(String name, double otherwise, double min, double max) throws ConnectorException {
        Object value = values.get(name);
        if (value == null) {
            return otherwise;
        }
        double number = decimal(name, value).doubleValue();
        if (number < min || number > max) {
            throw invalid(name, "must be between " + min + " and " + max);
        }
        return number;
    }

    private BigDecimal decimal(String name, Object value) throws ConnectorException {
        if (!(value instanceof Number number)) {
            throw invalid(name, "must be a number");
        }
        try {
            return new BigDecimal(number.toString());
        } catch (NumberFormatException e) {
            throw invalid(name, "must be a finite number");
        }
    }

    private ConnectorException invalid(String name, String problem) {
        return ConnectorException.permanent(connectorType + " connector: config." + name + " " + problem);
    }
}
