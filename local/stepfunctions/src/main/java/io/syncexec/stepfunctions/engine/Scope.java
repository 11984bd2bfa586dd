package io.syncexec.stepfunctions.engine;

/**
 * Cancellation for a running block of states: the execution's scope is cancelled when it stops,
 * a Parallel or Map state's scope when one of its branches fails. States check it before running.
 */
final class Scope {

    private final Scope parent;
    private volatile boolean cancelled;

    Scope(Scope parent) {
        this.parent = parent;
    }

    Scope child() {
        return new Scope(this);
    }

    void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled || (parent != null && parent.isCancelled());
    }
}
