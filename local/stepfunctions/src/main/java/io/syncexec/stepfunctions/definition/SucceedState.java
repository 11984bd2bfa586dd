package io.syncexec.stepfunctions.definition;

/** A Succeed state. */
public record SucceedState(String name, IoPaths io) implements State {
}
