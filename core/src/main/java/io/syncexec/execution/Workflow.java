package io.syncexec.execution;

import java.time.Duration;

/**
 * The workflow engine as the API sees it: start an execution's workflow, resume or end its
 * confirmation and import waits, and ask whether it is still going. Production:
 * {@link StepFunctionsWorkflow}; tests use an in-memory one.
 */
public interface Workflow {
    /** The longest the workflow waits for its imports: {@code DispatchAndAwaitImports}' {@code TimeoutSeconds}. */
    Duration IMPORT_WAIT = Duration.ofHours(24);

    /**
     * Room for every step around the two waits (invocations, their retries and back-offs, Finalize's
     * ten retries): the contract test adds them up from the definition and the template's timeouts.
     */
    Duration STEPS_ALLOWANCE = Duration.ofHours(1);

    /**
     * How long a started execution may hold its sync: longer than its workflow can run (confirmation
     * wait + import wait + the steps around them), so no two runs of a sync are ever active at once,
     * whatever the confirmation timeout. Finalize releases it earlier.
     */
    static Duration lockDuration(Duration confirmationTimeout) {
        return confirmationTimeout.plus(IMPORT_WAIT).plus(STEPS_ALLOWANCE);
    }

    /** Starts the workflow of {@code execution}; starting the same execution twice starts one workflow. */
    void start(Execution execution);

    /** Resumes a workflow waiting on {@code taskToken} with the operator's confirmation. */
    void confirm(String taskToken, Execution execution);

    /** Ends a workflow waiting on {@code taskToken}: the operator declined or cancelled. */
    void decline(String taskToken, Execution execution);

    /** Resumes a workflow waiting for its imports: every planned date has an outcome. */
    void importsDone(String completionToken);

    /**
     * Where the workflow of {@code execution} is, in one request to the engine. Asked only when a
     * start finds the sync locked by an execution that has not ended.
     */
    State state(Execution execution);

    /** Where an execution's workflow is, as the engine tells it. */
    enum State {
        /** Running (or about to run again): it still ends the execution itself. */
        RUNNING,
        /** Ended (succeeded, failed, timed out or stopped): nothing will end the execution any more. */
        ENDED,
        /** The engine has no such workflow: its start failed, or is still on its way. */
        NOT_STARTED
    }
}
