package io.syncexec.error;

/**
 * Why a request is refused (SPEC §4's error codes): the domain's words. The HTTP status each one is
 * answered with is the HTTP API's business (its HttpStatuses).
 */
public enum Reason {
    INVALID_JSON,
    INVALID_REQUEST,
    INVALID_MODE,
    INVALID_DATE,
    INVALID_RANGE,
    UNAUTHENTICATED,
    FORBIDDEN,
    NOT_FOUND,
    EXECUTION_IN_PROGRESS,
    PLAN_CHANGED,
    NOT_AWAITING_CONFIRMATION,
    ALREADY_FINISHED,
    VERSION_CONFLICT,
    SYNC_PAUSED,
    PAYLOAD_TOO_LARGE,
    PERIOD_EXECUTION_NOT_SUPPORTED,
    DATE_NOT_COMPLETE,
    DATE_BEFORE_SYNC_START,
    RANGE_TOO_LONG,
    SERVICE_UNAVAILABLE,
    INTERNAL_ERROR
}
