package io.syncexec.execution;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.syncexec.plan.Mode;
import io.syncexec.plan.Plan;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** An execution as the API shows it (SPEC §4). Field names are the contract; add, never rename. */
@JsonInclude(JsonInclude.Include.ALWAYS)
/**
 * {@code countEpoch} is server-side only: the counting epoch read with the execution, which an
 * outcome writer passes back so that its counters are added only if nobody recounted meanwhile.
 */
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
        String error,
        String outcomesNextToken,
        @JsonIgnore long countEpoch) {

    /** At most this many characters of a date's error are kept (SPEC invariant 10). */
    public static final int MAX_ERROR_CHARS = 200;

    /** This execution with {@code outcomes} as its page of per-date outcomes. */
    public Execution withOutcomes(List<DateOutcome> page, String nextToken) {
        return new Execution(executionId, clientId, syncId, mode, reimport, trigger, requestedBy, status, createdAt, updatedAt,
                finishedAt, plan, progress, page, confirmation, cancellation, error, nextToken, countEpoch);
    }

    public record Progress(int planned, int imported, int skipped, int failed, int cancelled, int pending) {
        public static Progress of(int planned, int imported, int skipped, int failed, int cancelled) {
            return new Progress(planned, imported, skipped, failed, cancelled,
                    Math.max(0, planned - imported - skipped - failed - cancelled));
        }
    }

    /**
     * One date's outcome. A failure carries {@code errorCode} (what kind of failure) and {@code error}, a message of
     * at most {@link #MAX_ERROR_CHARS} characters, so an outcome's size never depends on what a source answered.
     */
    public record DateOutcome(LocalDate date, Outcome outcome, Long records, String error, String errorCode) {
        public DateOutcome {
            error = cap(error);
        }

        public DateOutcome(LocalDate date, Outcome outcome, Long records, String error) {
            this(date, outcome, records, error, error == null ? null : "IMPORT_FAILED");
        }

        public static DateOutcome failed(LocalDate date, String errorCode, String error) {
            return new DateOutcome(date, Outcome.FAILED, null, error, errorCode);
        }
    }

    /** {@code text} cut to {@link #MAX_ERROR_CHARS} characters, ending with an ellipsis when it was cut. */
    public static String cap(String text) {
        if (text == null || text.length() <= MAX_ERROR_CHARS) {
            return text;
        }
        return text.substring(0, MAX_ERROR_CHARS - 1) + "…";
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
