package io.syncexec.stepfunctions.intrinsics;

/** An intrinsic function failed at run time: reported as {@code States.IntrinsicFailure}. */
public final class IntrinsicException extends Exception {
    public IntrinsicException(String message) {
        super(message, null, false, false);
    }
}
