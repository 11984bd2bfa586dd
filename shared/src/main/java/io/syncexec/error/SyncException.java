package io.syncexec.error;

import java.util.Map;

/**
 * A refusal the caller can act on: a code from {@link ErrorCode}, a message in plain words and
 * optional details. Thrown before anything is written, so a refused request changes nothing.
 */
public class SyncException extends RuntimeException {
    private final ErrorCode code;
    private final Map<String, Object> details;

    public SyncException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public SyncException(ErrorCode code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
