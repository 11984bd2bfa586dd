package io.syncexec.plan;

import java.time.LocalDate;

/**
 * What an operator (or the schedule) asks for, already checked for shape: {@code date} is set for
 * SINGLE_DATE only, {@code from}/{@code to} for DATE_RANGE only.
 */
public record ExecutionRequest(
        Mode mode,
        LocalDate date,
        LocalDate from,
        LocalDate to,
        boolean reimport,
        boolean dryRun,
        String planDigest) {

    public static ExecutionRequest defaultRun() {
        return new ExecutionRequest(Mode.DEFAULT, null, null, null, false, false, null);
    }

    /** Whether dates already imported are imported again (single date, or a range with reimport). */
    public boolean forced() {
        return mode == Mode.SINGLE_DATE || (mode == Mode.DATE_RANGE && reimport);
    }
}
