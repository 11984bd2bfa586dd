package io.syncexec.execution;

import io.syncexec.plan.Mode;
import io.syncexec.plan.Plan;

/**
 * The answer to a dry run: the plan that would run now, and the execution that would block it,
 * if any. Nothing is written.
 */
public record Preview(String clientId, String syncId, Mode mode, boolean reimport, boolean dryRun, Plan plan,
                      String activeExecutionId) {
}
