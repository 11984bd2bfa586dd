package io.syncexec.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What an execution will import, as the operator previews it. {@code from}/{@code to} bound what
 * was considered (null when a default run has nothing to consider); {@code dates} are the dates
 * that will be imported, in order; {@code reimportDates} those among them that were already
 * imported. {@code planDigest} identifies this exact plan: a confirmation must quote it.
 * {@code remainingDates}: a default run plans at most 3,660 dates, oldest first; this many missing
 * dates after {@code to} are left for the next run (0 for every other mode).
 */
public record Plan(
        LocalDate from,
        LocalDate to,
        int datesCount,
        long remainingDates,
        List<LocalDate> dates,
        List<ReimportDate> reimportDates,
        long duplicateRecordsEstimate,
        boolean requiresConfirmation,
        String planDigest,
        Instant confirmationDeadline) {

    public Plan {
        dates = List.copyOf(dates);
        reimportDates = List.copyOf(reimportDates);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return dates.isEmpty();
    }

    public Plan withConfirmationDeadline(Instant deadline) {
        return new Plan(from, to, datesCount, remainingDates, dates, reimportDates, duplicateRecordsEstimate,
                requiresConfirmation, planDigest, requiresConfirmation ? deadline : null);
    }

    /** How many times {@code date} had been imported when the plan was made (0 if never). */
    public int importCountAtPlan(LocalDate date) {
        for (ReimportDate r : reimportDates) {
            if (r.date().equals(date)) {
                return r.importCount();
            }
        }
        return 0;
    }
}
