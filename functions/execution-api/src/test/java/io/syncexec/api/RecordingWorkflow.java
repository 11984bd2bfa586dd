package io.syncexec.api;

import io.syncexec.execution.Execution;
import io.syncexec.execution.Workflow;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workflow port in memory: records what the API asked of it. A started workflow runs until
 * the test ends it ({@link #ended}); one that was never started does not exist.
 */
final class RecordingWorkflow implements Workflow {
    final List<String> started = new CopyOnWriteArrayList<>();
    final List<String> confirmed = new CopyOnWriteArrayList<>();
    final List<String> declined = new CopyOnWriteArrayList<>();
    final List<String> asked = new CopyOnWriteArrayList<>();
    final Set<String> ended = ConcurrentHashMap.newKeySet();
    volatile boolean failStarts;
    /** How many of the next confirmation signals (SendTaskSuccess) and declines (SendTaskFailure) fail, as a throttled Step Functions would. */
    final AtomicInteger failConfirms = new AtomicInteger();
    final AtomicInteger failDeclines = new AtomicInteger();

    @Override
    public void start(Execution execution) {
        if (failStarts) {
            throw new IllegalStateException("Step Functions is down");
        }
        started.add(execution.executionId());
    }

    @Override
    public void confirm(String taskToken, Execution execution) {
        if (failConfirms.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("SendTaskSuccess: throttled");
        }
        confirmed.add(execution.executionId());
    }

    @Override
    public void decline(String taskToken, Execution execution) {
        if (failDeclines.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("SendTaskFailure: throttled");
        }
        declined.add(execution.executionId());
    }

    @Override
    public State state(Execution execution) {
        asked.add(execution.executionId());
        return ended.contains(execution.executionId()) ? State.ENDED
                : started.contains(execution.executionId()) ? State.RUNNING : State.NOT_STARTED;
    }

    @Override
    public void importsDone(String completionToken) {
        throw new AssertionError("the API never completes imports");
    }
}
