package io.syncexec.local.lambda;

/** A synchronous invocation whose response is over Lambda's 6 MB: the invocation fails, as on AWS. */
public final class ResponseTooLargeException extends RuntimeException {
    public static final String ERROR_TYPE = "Function.ResponseSizeTooLarge";

    ResponseTooLargeException(long bytes) {
        super("Response payload size (" + bytes + " bytes) exceeded maximum allowed payload size (" + WarmFunction.MAX_RESPONSE_BYTES
                + " bytes).");
    }
}
