package io.syncexec.stepfunctions.definition;

import java.util.List;

/** A Parallel state: its branches are parsed blocks; {@code parameters} is null when absent. */
public record ParallelState(String name, IoPaths io, String next, ResultHandling result, Template parameters,
                            List<StatesBlock> branches) implements RetryableState {
}
