package io.syncexec.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.syncexec.plan.Mode;
import io.syncexec.plan.Plan;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** An execution as the API shows it (SPEC §4). Field names are the contract; add, never rename. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Execution(
        String executionId,
        String clientId,
        String syncId,
        Mode mode,
        boolean reimport,
        Trigger trigger,
        String requestedBy,
        ExecutionStatus status,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        Plan plan,
        Progress progress,
        List<DateOutcome> outcomes,
        Confirmation confirmation,
        Cancellation cancellation,
        String error) {

    public record Progress(int planned, int imported, int skipped, int failed, int cancelled, int pending) {
        public static Progress of(int planned, int imported, int skipped, int failed, int cancelled) {
            return new Progress(planned, imported, skipped, failed, cancelled,
                    Math.max(0, planned - imported - skipped - failed - cancelled));
        }
    }

    public record DateOutcome(LocalDate date, Outcome outcome, Long records, String error) {
    }

    public enum Decision { CONFIRMED, DECLINED }

    /**
     * The operator's decision: who, when, and for a confirmation the {@code planDigest} of the
     * plan confirmed (recorded from the plan the decision was conditioned on).
     */
    public record Confirmation(Decision decision, String by, Instant at, String planDigest) {
        public Confirmation(Decision decision, String by, Instant at) {
            this(decision, by, at, null);
        }

        /** A confirmation by someone, at some time, of exactly {@code digest}. */
        public boolean confirms(String digest) {
            return decision == Decision.CONFIRMED && by != null && !by.isBlank() && at != null
                    && digest != null && digest.equals(planDigest);
        }
    }

    public record Cancellation(String by, Instant at) {
    }
}
