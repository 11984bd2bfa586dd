package io.syncexec.execution;

/** Where an execution is. Every execution ends in one of the terminal statuses. */
public enum ExecutionStatus {
    AWAITING_CONFIRMATION,
    RUNNING,
    SUCCEEDED,
    PARTIALLY_FAILED,
    FAILED,
    CANCELLED,
    EXPIRED;

    public boolean terminal() {
        return this != AWAITING_CONFIRMATION && this != RUNNING;
    }
}
