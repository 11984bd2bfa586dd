package io.syncexec.stepfunctions.definition;

import java.util.Map;

/** A StartAt plus its States: the top level, a Parallel branch, or a Map's item processor. */
public record StatesBlock(String startAt, Map<String, State> states) {

    public State state(String name) {
        return states.get(name);
    }
}
