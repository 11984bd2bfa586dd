package io.syncexec.stepfunctions.definition;

import io.syncexec.stepfunctions.intrinsics.IntrinsicCall;

/** The value of a {@code .$} field, ErrorPath or CausePath: a JSONPath or an intrinsic function call. */
public sealed interface Expression {

    /** The expression as written. */
    String text();

    record Path(String text) implements Expression {
    }

    record Intrinsic(String text, IntrinsicCall call) implements Expression {
    }
}
