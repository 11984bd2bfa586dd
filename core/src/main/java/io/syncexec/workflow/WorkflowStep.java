package io.syncexec.workflow;

/**
 * What the state machine passes to each of its Lambda steps: which execution, the task token of
 * a wait (confirmation request and dispatch only), and how the run ended (finalize only).
 */
public record WorkflowStep(String clientId, String syncId, String executionId, String taskToken, Ending ending) {

    /** How the workflow ended: COMPLETED, EXPIRED, DECLINED or FAILED, with the error when it failed. */
    public record Ending(String reason, String error) {
    }
}
