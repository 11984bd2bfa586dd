package io.syncexec.execution;

/**
 * Tells the platform that an execution reached {@code AWAITING_CONFIRMATION} or a terminal status,
 * so it can notify the client's CSM or chain work. Production: {@link EventBridgeStatusEvents} (the
 * account's default event bus); the schema is in docs/events.md. Publishing is best effort: a
 * failure is logged and never changes the execution.
 */
public interface StatusEvents {
    String SOURCE = "sync-executions";
    String DETAIL_TYPE = "Sync Execution Status Change";

    void publish(Execution execution);

    /** Publishes nothing (functions that never change an execution's status). */
    StatusEvents NONE = execution -> { };
}
