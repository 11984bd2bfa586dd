package io.syncexec.stepfunctions.engine;

public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED
}
