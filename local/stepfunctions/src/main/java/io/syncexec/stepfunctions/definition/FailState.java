package io.syncexec.stepfunctions.definition;

/**
 * A Fail state: Error and Cause are each a constant, an expression (ErrorPath, CausePath) or absent
 * (both null).
 */
public record FailState(String name, String error, Expression errorPath, String cause, Expression causePath)
        implements State {
}
