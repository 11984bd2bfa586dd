package io.syncexec.stepfunctions.definition;

import java.util.List;

/** One entry of a state's Retry list, with the ASL defaults filled in. */
public record Retrier(List<String> errorEquals, int maxAttempts, double intervalSeconds, double backoffRate,
                      Integer maxDelaySeconds, boolean fullJitter) {
}
