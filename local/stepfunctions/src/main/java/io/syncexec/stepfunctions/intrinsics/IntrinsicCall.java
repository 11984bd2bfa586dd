package io.syncexec.stepfunctions.intrinsics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A parsed intrinsic function call: {@code States.Name(arg, ...)}. */
public record IntrinsicCall(String function, List<Argument> arguments) {

    /** One argument: a literal JSON value, a JSONPath, or a nested call. */
    public sealed interface Argument permits Literal, Path, Call {
    }

    /**
     * A literal value. For a string literal, {@code template} is its text with escaped braces
     * ({@code \\{}, {@code \\}}) kept apart from placeholders, for States.Format; otherwise null.
     */
    public record Literal(JsonNode value, String template) implements Argument {
        public Literal(JsonNode value) {
            this(value, null);
        }
    }

    public record Path(String path) implements Argument {
    }

    public record Call(IntrinsicCall call) implements Argument {
    }
}
