package io.syncexec.stepfunctions.engine;

/** An API call refused, with AWS's error code ({@code __type}), e.g. {@code ExecutionDoesNotExist}. */
public final class ServiceException extends RuntimeException {

    private final String type;

    public ServiceException(String type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    public String type() {
        return type;
    }
}
