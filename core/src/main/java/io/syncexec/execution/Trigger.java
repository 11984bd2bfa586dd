package io.syncexec.execution;

/** Who started an execution: an operator's click or the schedule. */
public enum Trigger {
    MANUAL,
    SCHEDULE
}
