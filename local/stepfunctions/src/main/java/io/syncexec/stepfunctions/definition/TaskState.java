package io.syncexec.stepfunctions.definition;

/**
 * A Task state. {@code parameters} is null when absent; {@code timeout} and {@code heartbeat} are
 * null when the state sets no TimeoutSeconds(Path) or HeartbeatSeconds(Path).
 */
public record TaskState(String name, IoPaths io, String next, ResultHandling result, TaskResource resource,
                        Template parameters, Seconds timeout, Seconds heartbeat) implements RetryableState {

    /** A number of seconds, given in the definition or read from the input. */
    public sealed interface Seconds {
    }

    public record FixedSeconds(long seconds) implements Seconds {
    }

    public record SecondsPath(String path) implements Seconds {
    }
}
