package io.syncexec.error;

/** Every error the HTTP API can answer with, and its status (SPEC §4). */
public enum ErrorCode {
    INVALID_JSON(400),
    INVALID_REQUEST(400),
    INVALID_MODE(400),
    INVALID_DATE(400),
    INVALID_RANGE(400),
    UNAUTHENTICATED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    EXECUTION_IN_PROGRESS(409),
    PLAN_CHANGED(409),
    NOT_AWAITING_CONFIRMATION(409),
    ALREADY_FINISHED(409),
    VERSION_CONFLICT(409),
    SYNC_PAUSED(409),
    PAYLOAD_TOO_LARGE(413),
    PERIOD_EXECUTION_NOT_SUPPORTED(422),
    DATE_NOT_COMPLETE(422),
    DATE_BEFORE_SYNC_START(422),
    RANGE_TOO_LONG(422),
    SERVICE_UNAVAILABLE(503),
    INTERNAL_ERROR(500);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
