package io.syncexec.stepfunctions.definition;

import java.util.List;

/** A Choice state: its rules in order, and the Default target (null when it has none). */
public record ChoiceState(String name, IoPaths io, List<Choice> choices, String defaultNext) implements State {

    /** One top-level rule and where it leads. */
    public record Choice(ChoiceRule rule, String next) {
    }
}
