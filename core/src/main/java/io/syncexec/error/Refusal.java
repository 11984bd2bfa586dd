package io.syncexec.error;

import java.util.Map;

/**
 * A refusal the caller can act on: its {@link Reason}, a message in plain words and optional
 * details. Thrown before anything is written, so a refused request changes nothing.
 */
public class Refusal extends RuntimeException {
    private final Reason reason;
    private final Map<String, Object> details;

    public Refusal(Reason reason, String message) {
        this(reason, message, Map.of());
    }

    public Refusal(Reason reason, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.reason = reason;
        this.details = Map.copyOf(details);
    }

    public Reason reason() {
        return reason;
    }

    public Map<String, Object> details() {
        return details;
    }
}
