package io.syncexec.api;

import io.syncexec.error.Reason;

/** The HTTP status each refusal is answered with (SPEC §4): the one place that knows. */
final class HttpStatuses {
    private HttpStatuses() {
    }

    static int of(Reason reason) {
        return switch (reason) {
            case INVALID_JSON, INVALID_REQUEST, INVALID_MODE, INVALID_DATE, INVALID_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case EXECUTION_IN_PROGRESS, PLAN_CHANGED, NOT_AWAITING_CONFIRMATION, ALREADY_FINISHED, VERSION_CONFLICT, SYNC_PAUSED -> 409;
            case PAYLOAD_TOO_LARGE -> 413;
            case PERIOD_EXECUTION_NOT_SUPPORTED, DATE_NOT_COMPLETE, DATE_BEFORE_SYNC_START, RANGE_TOO_LONG -> 422;
            case INTERNAL_ERROR -> 500;
            case SERVICE_UNAVAILABLE -> 503;
        };
    }
}
