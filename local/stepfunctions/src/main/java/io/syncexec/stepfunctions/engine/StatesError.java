package io.syncexec.stepfunctions.engine;

/** An error as ASL names it ({@code States.Timeout}, a Lambda's error type, ...), with its cause. */
public final class StatesError extends RuntimeException {

    public static final String ALL = "States.ALL";
    public static final String RUNTIME = "States.Runtime";
    public static final String TIMEOUT = "States.Timeout";
    public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
    public static final String TASK_FAILED = "States.TaskFailed";
    public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";
    public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
    public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";

    private final String error;
    private final String cause;

    public StatesError(String error, String cause) {
        super(error + ": " + cause, null, false, false);
        this.error = error;
        this.cause = cause;
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }

    /** States.Runtime and States.DataLimitExceeded end the execution whatever Retry and Catch say. */
    public boolean isTerminal() {
        return RUNTIME.equals(error);
    }

    /** Whether a Retry or Catch entry's ErrorEquals list applies to this error. */
    public boolean matches(java.util.List<String> errorEquals) {
        if (isTerminal()) {
            return false;
        }
        for (String name : errorEquals) {
            if (name.equals(error)) {
                return true;
            }
            if (name.equals(ALL) && !DATA_LIMIT_EXCEEDED.equals(error)) {
                return true;
            }
            if (name.equals(TASK_FAILED) && !TIMEOUT.equals(error) && !DATA_LIMIT_EXCEEDED.equals(error)) {
                return true;
            }
        }
        return false;
    }
}
