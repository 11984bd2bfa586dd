package io.syncexec.execution;

/**
 * The workflow engine as the API sees it: start an execution's workflow, and resume or end its
 * confirmation and import waits. Production: {@link StepFunctionsWorkflow}; tests use an in-memory one.
 */
public interface Workflow {
    /** Starts the workflow of {@code execution}; starting the same execution twice starts one workflow. */
    void start(Execution execution);

    /** Resumes a workflow waiting on {@code taskToken} with the operator's confirmation. */
    void confirm(String taskToken, Execution execution);

    /** Ends a workflow waiting on {@code taskToken}: the operator declined or cancelled. */
    void decline(String taskToken, Execution execution);

    /** Resumes a workflow waiting for its imports: every planned date has an outcome. */
    void importsDone(String completionToken);
}
