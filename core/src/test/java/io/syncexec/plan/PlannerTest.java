package io.syncexec.plan;

import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import io.syncexec.ledger.LedgerEntry;
import io.syncexec.ledger.LedgerReader;
import io.syncexec.ledger.LedgerStatus;
import io.syncexec.sync.Sync;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlannerTest {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final FakeLedger ledger = new FakeLedger();

    private Planner plannerAt(Instant now) {
        return new Planner(ledger, new SyncCalendar(Clock.fixed(now, ZoneOffset.UTC)));
    }

    private static Sync sync(String zone, LocalDate firstDate, boolean period, int maxRangeDays, LocalDate watermark) {
        return new Sync("acme", "orders", "Orders", ZoneId.of(zone), firstDate, period, maxRangeDays, false, "demo",
                Map.of(), null, null, watermark, null);
    }

    private static Sync paris() {
        return sync("Europe/Paris", LocalDate.of(2026, 10, 1), true, 366, null);
    }

    private static ExecutionRequest single(String date) {
        return new ExecutionRequest(Mode.SINGLE_DATE, LocalDate.parse(date), null, null, true, false, null);
    }

    private static ExecutionRequest range(String from, String to, boolean reimport) {
        return new ExecutionRequest(Mode.DATE_RANGE, null, LocalDate.parse(from), LocalDate.parse(to), reimport, false, null);
    }

    private static Reason refusal(Runnable call) {
        return assertThrows(Refusal.class, call::run).reason();
    }

    @Test
    void leapDayIsAnOrdinaryDate() {
        Sync sync = sync("UTC", LocalDate.of(2024, 1, 1), true, 366, null);
        Plan plan = plannerAt(NOW).plan(sync, single("2024-02-29"));
        assertEquals(List.of(LocalDate.of(2024, 2, 29)), plan.dates());
    }

    @Test
    void dstSpringForwardInParisCompletesAtLocalMidnight() {
        // 2026-03-29 has 23 hours in Paris; it ends at 22:00 UTC (UTC+2 by then), not 23:00.
        Sync sync = sync("Europe/Paris", LocalDate.of(2026, 1, 1), true, 366, null);
        assertEquals(Reason.DATE_NOT_COMPLETE,
                refusal(() -> plannerAt(Instant.parse("2026-03-29T21:59:00Z")).plan(sync, single("2026-03-29"))));
        assertEquals(List.of(LocalDate.of(2026, 3, 29)),
                plannerAt(Instant.parse("2026-03-29T22:01:00Z")).plan(sync, single("2026-03-29")).dates());
    }

    @Test
    void dstSpringForwardInNewYorkCompletesAtLocalMidnight() {
        // 2026-03-08 ends at 04:00 UTC on the 9th (EDT, UTC-4), not 05:00 (EST).
        Sync sync = sync("America/New_York", LocalDate.of(2026, 1, 1), true, 366, null);
        assertEquals(Reason.DATE_NOT_COMPLETE,
                refusal(() -> plannerAt(Instant.parse("2026-03-09T03:59:00Z")).plan(sync, single("2026-03-08"))));
        assertEquals(List.of(LocalDate.of(2026, 3, 8)),
                plannerAt(Instant.parse("2026-03-09T04:01:00Z")).plan(sync, single("2026-03-08")).dates());
    }

    @Test
    void theSameInstantIsYesterdayInAucklandAndTodayInLosAngeles() {
        Instant now = Instant.parse("2026-11-26T12:00:00Z"); // Auckland 27th 01:00, Los Angeles 26th 04:00
        Sync auckland = sync("Pacific/Auckland", LocalDate.of(2026, 11, 1), true, 366, null);
        Sync losAngeles = sync("America/Los_Angeles", LocalDate.of(2026, 11, 1), true, 366, null);
        assertEquals(List.of(LocalDate.of(2026, 11, 26)), plannerAt(now).plan(auckland, single("2026-11-26")).dates());
        assertEquals(Reason.DATE_NOT_COMPLETE, refusal(() -> plannerAt(now).plan(losAngeles, single("2026-11-26"))));
        assertEquals(LocalDate.of(2026, 11, 25), plannerAt(now).plan(losAngeles, ExecutionRequest.defaultRun()).to());
        assertEquals(LocalDate.of(2026, 11, 26), plannerAt(now).plan(auckland, ExecutionRequest.defaultRun()).to());
    }

    @Test
    void rangeBoundariesAreTheFirstDateAndYesterday() {
        Planner planner = plannerAt(NOW); // yesterday in Paris: 2026-11-25
        Plan plan = planner.plan(paris(), range("2026-10-01", "2026-11-25", false));
        assertEquals(56, plan.datesCount());
        assertEquals(LocalDate.of(2026, 10, 1), plan.dates().get(0));
        assertEquals(LocalDate.of(2026, 11, 25), plan.dates().get(55));
        assertEquals(Reason.DATE_BEFORE_SYNC_START, refusal(() -> planner.plan(paris(), range("2026-09-30", "2026-10-05", false))));
        assertEquals(Reason.DATE_NOT_COMPLETE, refusal(() -> planner.plan(paris(), range("2026-11-20", "2026-11-26", false))));
        assertEquals(Reason.DATE_NOT_COMPLETE, refusal(() -> planner.plan(paris(), single("2026-12-25"))));
    }

    @Test
    void rangesLongerThanMaxRangeDaysAreRefused() {
        Sync sync = sync("Europe/Paris", LocalDate.of(2026, 10, 1), true, 10, null);
        assertEquals(10, plannerAt(NOW).plan(sync, range("2026-10-01", "2026-10-10", false)).datesCount());
        assertEquals(Reason.RANGE_TOO_LONG, refusal(() -> plannerAt(NOW).plan(sync, range("2026-10-01", "2026-10-11", false))));
    }

    @Test
    void periodModesAreRefusedOnADefaultOnlySync() {
        Sync sync = sync("Europe/Paris", LocalDate.of(2026, 10, 1), false, 366, null);
        assertEquals(Reason.PERIOD_EXECUTION_NOT_SUPPORTED, refusal(() -> plannerAt(NOW).plan(sync, single("2026-11-20"))));
        assertEquals(Reason.PERIOD_EXECUTION_NOT_SUPPORTED,
                refusal(() -> plannerAt(NOW).plan(sync, range("2026-11-01", "2026-11-02", false))));
        assertEquals(56, plannerAt(NOW).plan(sync, ExecutionRequest.defaultRun()).datesCount());
    }

    @Test
    void defaultRunPlansMissingDatesOnlyAndNeverNeedsConfirmation() {
        ledger.imported("2026-11-01", 1, 40);
        ledger.failed("2026-11-02");
        Plan plan = plannerAt(NOW).plan(paris(), ExecutionRequest.defaultRun());
        assertFalse(plan.dates().contains(LocalDate.of(2026, 11, 1)));
        assertTrue(plan.dates().contains(LocalDate.of(2026, 11, 2)), "a failed date is missing");
        assertEquals(55, plan.datesCount());
        assertFalse(plan.requiresConfirmation());
        assertTrue(plan.reimportDates().isEmpty());
    }

    @Test
    void defaultRunReadsOnlyAfterTheWatermark() {
        Sync sync = sync("Europe/Paris", LocalDate.of(2016, 1, 1), true, 366, LocalDate.of(2026, 11, 20));
        Plan plan = plannerAt(NOW).plan(sync, ExecutionRequest.defaultRun());
        assertEquals(List.of("2026-11-21..2026-11-25"), ledger.reads, "one read, from the day after the watermark");
        assertEquals(5, plan.datesCount());
        assertEquals(LocalDate.of(2026, 11, 21), plan.from());
    }

    @Test
    void aDefaultRunPlansAtMost3660MissingDatesOldestFirstAndTheNextRunContinues() {
        Sync sync = sync("Europe/Paris", LocalDate.of(2010, 1, 1), false, 366, null);
        LocalDate yesterday = LocalDate.of(2026, 11, 25);
        long days = ChronoUnit.DAYS.between(sync.firstDate(), yesterday) + 1;
        ledger.imported("2010-01-02", 1, 3); // inside the first run's window: not planned, not counted
        ledger.imported("2026-01-01", 1, 3); // after it: not among the remaining dates
        Plan first = plannerAt(NOW).plan(sync, ExecutionRequest.defaultRun());
        assertEquals(Sync.MAX_DEFAULT_RUN_DATES, first.datesCount());
        assertEquals(LocalDate.of(2010, 1, 1), first.dates().get(0));
        assertEquals(LocalDate.of(2010, 1, 3), first.dates().get(1), "oldest first, imported dates left out");
        assertEquals(first.dates().stream().sorted().toList(), first.dates());
        assertEquals(first.dates().get(first.datesCount() - 1), first.to(), "the plan ends at its last date");
        assertEquals(days - 2 - Sync.MAX_DEFAULT_RUN_DATES, first.remainingDates());
        assertEquals(List.of("2010-01-01..2026-11-25"), ledger.reads, "one ledger read");

        // The run imported its dates: the watermark moved to its last one; the next run goes on from there.
        Sync after = sync("Europe/Paris", LocalDate.of(2010, 1, 1), false, 366, first.to());
        Plan second = plannerAt(NOW).plan(after, ExecutionRequest.defaultRun());
        assertEquals(first.to().plusDays(1), second.dates().get(0));
        assertEquals(first.remainingDates(), second.datesCount() + second.remainingDates());
        assertEquals(0, second.remainingDates());
        assertEquals(yesterday, second.to());
        assertEquals(days - 2, first.datesCount() + second.datesCount(), "every missing date, once");
    }

    @Test
    void aFirstDateTypoPlansAtMost3660DatesWithoutWalkingTheCenturies() {
        for (LocalDate typo : List.of(LocalDate.of(202, 1, 1), LocalDate.MIN)) {
            ledger.reads.clear();
            Sync sync = sync("UTC", typo, true, 366, null);
            Plan plan = plannerAt(NOW).plan(sync, ExecutionRequest.defaultRun());
            assertEquals(Sync.MAX_DEFAULT_RUN_DATES, plan.datesCount(), typo.toString());
            assertEquals(typo, plan.dates().get(0));
            assertEquals(ChronoUnit.DAYS.between(typo, LocalDate.of(2026, 11, 25)) + 1 - Sync.MAX_DEFAULT_RUN_DATES,
                    plan.remainingDates());
            assertEquals(1, ledger.reads.size());
        }
    }

    @Test
    void onlyADefaultRunHasRemainingDates() {
        assertEquals(0, plannerAt(NOW).plan(paris(), range("2026-11-01", "2026-11-05", false)).remainingDates());
        assertEquals(0, plannerAt(NOW).plan(paris(), ExecutionRequest.defaultRun()).remainingDates());
    }

    @Test
    void defaultRunWithEverythingImportedPlansNothingAndReadsNothing() {
        Sync sync = sync("Europe/Paris", LocalDate.of(2026, 10, 1), true, 366, LocalDate.of(2026, 11, 25));
        Plan plan = plannerAt(NOW).plan(sync, ExecutionRequest.defaultRun());
        assertTrue(plan.isEmpty());
        assertTrue(ledger.reads.isEmpty());
    }

    @Test
    void reimportListsImportedDatesWithCountsAndEstimatesDuplicates() {
        ledger.imported("2026-11-03", 2, 30);
        ledger.imported("2026-11-04", 1, 12);
        Plan plan = plannerAt(NOW).plan(paris(), range("2026-11-01", "2026-11-05", true));
        assertEquals(5, plan.datesCount());
        assertEquals(List.of(new ReimportDate(LocalDate.of(2026, 11, 3), 2, 30),
                new ReimportDate(LocalDate.of(2026, 11, 4), 1, 12)), plan.reimportDates());
        assertEquals(42, plan.duplicateRecordsEstimate());
        assertTrue(plan.requiresConfirmation());

        Plan missingOnly = plannerAt(NOW).plan(paris(), range("2026-11-01", "2026-11-05", false));
        assertEquals(3, missingOnly.datesCount());
        assertFalse(missingOnly.requiresConfirmation());
    }

    @Test
    void singleDateNeverImportedNeedsNoConfirmation() {
        Plan plan = plannerAt(NOW).plan(paris(), single("2026-11-20"));
        assertFalse(plan.requiresConfirmation());
        ledger.imported("2026-11-20", 1, 9);
        Plan again = plannerAt(NOW).plan(paris(), single("2026-11-20"));
        assertTrue(again.requiresConfirmation());
        assertEquals(9, again.duplicateRecordsEstimate());
    }

    @Test
    void planDigestIsStableAndChangesWithTheLedger() {
        ledger.imported("2026-11-03", 1, 30);
        String first = plannerAt(NOW).plan(paris(), range("2026-11-01", "2026-11-05", true)).planDigest();
        assertEquals(first, plannerAt(NOW).plan(paris(), range("2026-11-01", "2026-11-05", true)).planDigest());
        assertNotEquals(first, plannerAt(NOW).plan(paris(), range("2026-11-01", "2026-11-05", false)).planDigest());
        ledger.imported("2026-11-03", 2, 30);
        assertNotEquals(first, plannerAt(NOW).plan(paris(), range("2026-11-01", "2026-11-05", true)).planDigest(),
                "one more import of a planned date changes what a confirmation covers");

        String defaultDigest = plannerAt(NOW).plan(paris(), ExecutionRequest.defaultRun()).planDigest();
        ledger.imported("2026-11-10", 1, 5);
        assertNotEquals(defaultDigest, plannerAt(NOW).plan(paris(), ExecutionRequest.defaultRun()).planDigest());
    }

    /** A ledger in memory that records which ranges were read. */
    private static final class FakeLedger implements LedgerReader {
        private final TreeMap<LocalDate, LedgerEntry> entries = new TreeMap<>();
        final List<String> reads = new ArrayList<>();

        void imported(String date, int count, long records) {
            LocalDate d = LocalDate.parse(date);
            entries.put(d, new LedgerEntry(d, LedgerStatus.IMPORTED, count, records, "x", NOW, null));
        }

        void failed(String date) {
            LocalDate d = LocalDate.parse(date);
            entries.put(d, new LedgerEntry(d, LedgerStatus.FAILED, 0, 0, "x", null, "boom"));
        }

        @Override
        public Map<LocalDate, LedgerEntry> read(String clientId, String syncId, LocalDate from, LocalDate to) {
            reads.add(from + ".." + to);
            return new HashMap<>(entries.subMap(from, true, to, true));
        }
    }
}
