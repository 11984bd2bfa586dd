package io.syncexec.stepfunctions.definition;

import io.syncexec.stepfunctions.jsonpath.ReferencePath;
import java.util.List;

/**
 * What a Task, Parallel or Map state does with its result or its error: ResultSelector (null when
 * absent), ResultPath (null: keep the input, discard the result), Retry and Catch.
 */
public record ResultHandling(Template resultSelector, ReferencePath resultPath, List<Retrier> retriers,
                             List<Catcher> catchers) {
}
