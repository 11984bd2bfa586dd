package io.syncexec.stepfunctions.definition;

import com.fasterxml.jackson.databind.JsonNode;

/** A Wait state and the one field that says how long it waits. */
public record WaitState(String name, IoPaths io, String next, Until until) implements State {

    /** Seconds, SecondsPath, Timestamp or TimestampPath. */
    public sealed interface Until {
    }

    public record Seconds(long seconds) implements Until {
    }

    public record SecondsPath(String path) implements Until {
    }

    /** The Timestamp as written: a value that is not a valid timestamp fails when the state runs, as in AWS. */
    public record Timestamp(JsonNode value) implements Until {
    }

    public record TimestampPath(String path) implements Until {
    }
}
