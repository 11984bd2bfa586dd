package io.syncexec.execution;

import java.util.Set;

/**
 * Which executions a list shows: any of {@code statuses} (empty: every status) and, when not
 * null, only those started by {@code trigger}.
 */
public record ExecutionFilter(Set<ExecutionStatus> statuses, Trigger trigger) {
    public static final ExecutionFilter ALL = new ExecutionFilter(Set.of(), null);

    public ExecutionFilter {
        statuses = Set.copyOf(statuses);
    }

    public boolean all() {
        return statuses.isEmpty() && trigger == null;
    }

    public boolean matches(String status, String trigger) {
        return (statuses.isEmpty() || statuses.stream().anyMatch(s -> s.name().equals(status)))
                && (this.trigger == null || this.trigger.name().equals(trigger));
    }
}
