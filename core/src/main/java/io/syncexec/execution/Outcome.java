package io.syncexec.execution;

/** What happened to one planned date of an execution. */
public enum Outcome {
    IMPORTED,
    SKIPPED,
    FAILED,
    CANCELLED,
    PENDING
}
