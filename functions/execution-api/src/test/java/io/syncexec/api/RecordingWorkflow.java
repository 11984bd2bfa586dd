package io.syncexec.api;

import io.syncexec.execution.Execution;
import io.syncexec.execution.Workflow;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The workflow port in memory: records what the API asked of it. */
final class RecordingWorkflow implements Workflow {
    final List<String> started = new CopyOnWriteArrayList<>();
    final List<String> confirmed = new CopyOnWriteArrayList<>();
    final List<String> declined = new CopyOnWriteArrayList<>();
    volatile boolean failStarts;

    @Override
    public void start(Execution execution) {
        if (failStarts) {
            throw new IllegalStateException("Step Functions is down");
        }
        started.add(execution.executionId());
    }

    @Override
    public void confirm(String taskToken, Execution execution) {
        confirmed.add(execution.executionId());
    }

    @Override
    public void decline(String taskToken, Execution execution) {
        declined.add(execution.executionId());
    }

    @Override
    public void importsDone(String completionToken) {
        throw new AssertionError("the API never completes imports");
    }
}
