package io.syncexec.stepfunctions.asl;

import java.util.List;

/** One entry of a state's Catch list; {@code resultPath} is null when the catcher discards the error. */
public record Catcher(List<String> errorEquals, String next, String resultPath) {
}
