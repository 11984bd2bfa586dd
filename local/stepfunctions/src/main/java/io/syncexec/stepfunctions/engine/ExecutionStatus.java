package io.syncexec.stepfunctions.engine;

public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED
}
