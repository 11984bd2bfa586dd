package io.syncexec.local.lambda;

/**
 * An invocation that ran past its function's {@code Timeout}: Lambda ends it and reports
 * "Task timed out after N.NN seconds" (error type {@code Sandbox.Timedout}); an SQS event source
 * leaves the batch on the queue, so it comes back after the visibility timeout.
 */
public final class FunctionTimedOutException extends RuntimeException {
    public static final String ERROR_TYPE = "Sandbox.Timedout";

    FunctionTimedOutException(String function, String seconds) {
        super(function + ": Task timed out after " + seconds + " seconds");
    }
}
