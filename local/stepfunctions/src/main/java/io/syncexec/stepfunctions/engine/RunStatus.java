package io.syncexec.stepfunctions.engine;

/** The status of an execution, as the Step Functions API spells it. */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED
}
