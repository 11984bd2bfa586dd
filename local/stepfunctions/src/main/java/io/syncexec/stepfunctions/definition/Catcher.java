package io.syncexec.stepfunctions.definition;

import io.syncexec.stepfunctions.jsonpath.ReferencePath;
import java.util.List;

/** One entry of a state's Catch list; {@code resultPath} is null when the catcher discards the error. */
public record Catcher(List<String> errorEquals, String next, ReferencePath resultPath) {
}
