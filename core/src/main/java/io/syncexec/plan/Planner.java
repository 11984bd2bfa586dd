package io.syncexec.plan;

import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import io.syncexec.ledger.LedgerEntry;
import io.syncexec.ledger.LedgerReader;
import io.syncexec.sync.Sync;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a request into a plan against the ledger, or refuses it. Reads only; one ledger query
 * over the window it considers. A default run considers the dates after the sync's
 * contiguous-import watermark, so its cost does not grow with the sync's history.
 */
public final class Planner {
    private final LedgerReader ledger;
    private final SyncCalendar calendar;

    public Planner(LedgerReader ledger, SyncCalendar calendar) {
        this.ledger = ledger;
        this.calendar = calendar;
    }

    public Plan plan(Sync sync, ExecutionRequest request) {
        if (request.mode() != Mode.DEFAULT && !sync.supportsPeriodExecution()) {
            throw new Refusal(Reason.PERIOD_EXECUTION_NOT_SUPPORTED,
                    "Sync " + sync.syncId() + " only runs its default synchronization; ask your CSM to enable period execution.",
                    Map.of("syncId", sync.syncId()));
        }
        return switch (request.mode()) {
            case DEFAULT -> defaultPlan(sync, request);
            case SINGLE_DATE -> periodPlan(sync, request, request.date(), request.date());
            case DATE_RANGE -> periodPlan(sync, request, request.from(), request.to());
        };
    }

    /**
     * The missing dates after the watermark, oldest first, at most {@link Sync#MAX_DEFAULT_RUN_DATES}
     * of them; the plan says how many more remain for the next run. Only the dates it walks are
     * built (the planned ones and the imported ones between them), never the whole span, so a
     * sync whose first date is centuries back costs what a 3,660-date plan costs.
     */
    private Plan defaultPlan(Sync sync, ExecutionRequest request) {
        LocalDate from = sync.watermark() == null || sync.watermark().isBefore(sync.firstDate())
                ? sync.firstDate()
                : sync.watermark().plusDays(1);
        LocalDate to = calendar.lastCompleteDate(sync.timezone());
        if (from.isAfter(to)) {
            return build(sync, request, null, null, List.of(), Map.of(), 0);
        }
        Map<LocalDate, LedgerEntry> entries = ledger.read(sync.clientId(), sync.syncId(), from, to);
        List<LocalDate> window = new ArrayList<>();
        int missing = 0;
        LocalDate last = from;
        for (LocalDate date = from; !date.isAfter(to) && missing < Sync.MAX_DEFAULT_RUN_DATES; date = date.plusDays(1)) {
            window.add(date);
            if (!imported(entries.get(date))) {
                missing++;
            }
            last = date;
        }
        LocalDate windowEnd = last;
        long importedAfter = entries.entrySet().stream()
                .filter(e -> e.getKey().isAfter(windowEnd) && imported(e.getValue())).count();
        long remaining = ChronoUnit.DAYS.between(windowEnd, to) - importedAfter;
        return build(sync, request, from, windowEnd, window, entries, remaining);
    }

    private static boolean imported(LedgerEntry entry) {
        return entry != null && entry.imported();
    }

    private Plan periodPlan(Sync sync, ExecutionRequest request, LocalDate from, LocalDate to) {
        LocalDate lastComplete = calendar.lastCompleteDate(sync.timezone());
        if (to.isAfter(lastComplete)) {
            throw new Refusal(Reason.DATE_NOT_COMPLETE,
                    to + " has not ended yet in " + sync.timezone() + "; the last complete date there is " + lastComplete + ".",
                    Map.of("date", to.toString(), "lastCompleteDate", lastComplete.toString(), "timezone", sync.timezone().getId()));
        }
        if (from.isBefore(sync.firstDate())) {
            throw new Refusal(Reason.DATE_BEFORE_SYNC_START,
                    from + " is before the sync's first date, " + sync.firstDate() + ".",
                    Map.of("date", from.toString(), "firstDate", sync.firstDate().toString()));
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > sync.maxRangeDays()) {
            throw new Refusal(Reason.RANGE_TOO_LONG,
                    "The range has " + days + " days; this sync allows at most " + sync.maxRangeDays() + ".",
                    Map.of("days", days, "maxRangeDays", sync.maxRangeDays()));
        }
        return build(sync, request, from, to, datesBetween(from, to), ledger.read(sync.clientId(), sync.syncId(), from, to), 0);
    }

    private Plan build(Sync sync, ExecutionRequest request, LocalDate from, LocalDate to,
                       List<LocalDate> window, Map<LocalDate, LedgerEntry> entries, long remainingDates) {
        List<LocalDate> dates = new ArrayList<>(window.size());
        List<ReimportDate> reimports = new ArrayList<>();
        Map<LocalDate, Integer> importCounts = new HashMap<>();
        long duplicates = 0;
        for (LocalDate date : window) {
            LedgerEntry entry = entries.get(date);
            boolean imported = entry != null && entry.imported();
            if (imported && !request.forced()) {
                continue;
            }
            dates.add(date);
            if (imported) {
                reimports.add(new ReimportDate(date, entry.importCount(), entry.records()));
                importCounts.put(date, entry.importCount());
                duplicates += entry.records();
            }
        }
        String digest = PlanDigest.of(sync.clientId(), sync.syncId(), request, dates, importCounts);
        return new Plan(from, to, dates.size(), remainingDates, dates, reimports, duplicates, !reimports.isEmpty(), digest, null);
    }

    private static List<LocalDate> datesBetween(LocalDate from, LocalDate to) {
        return from.datesUntil(to.plusDays(1)).toList();
    }
}
