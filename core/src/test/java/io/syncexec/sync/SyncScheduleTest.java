package io.syncexec.sync;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a date is complete and settled in a sync's zone, on ordinary days, DST days and odd offsets. */
class SyncScheduleTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void aDateIsDueWhenTheNextDayStartsInTheSyncsZonePlusItsSettleDelay() {
        assertEquals(Instant.parse("2026-11-25T23:00:00Z"), SyncSchedule.dueAt(LocalDate.of(2026, 11, 25), PARIS, 0));
        assertEquals(Instant.parse("2026-11-26T01:00:00Z"), SyncSchedule.dueAt(LocalDate.of(2026, 11, 25), PARIS, 120));
        assertEquals(Instant.parse("2026-11-25T11:00:00Z"), SyncSchedule.dueAt(LocalDate.of(2026, 11, 25), ZoneId.of("Pacific/Auckland"), 0));
        assertEquals(Instant.parse("2026-11-25T18:30:00Z"), SyncSchedule.dueAt(LocalDate.of(2026, 11, 25), ZoneId.of("Asia/Kolkata"), 0));
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), SyncSchedule.dueAt(LocalDate.of(2026, 11, 25), ZoneId.of("Pacific/Kiritimati"), 0));
    }

    @Test
    void dstDaysLastTwentyThreeOrTwentyFiveHours() {
        // Paris: 2026-03-29 loses an hour, 2026-10-25 gains one.
        assertEquals(Duration.ofHours(23), between(LocalDate.of(2026, 3, 28), PARIS));
        assertEquals(Duration.ofHours(25), between(LocalDate.of(2026, 10, 24), PARIS));
        // New York: 2026-03-08 and 2026-11-01.
        assertEquals(Instant.parse("2026-03-09T04:00:00Z"), SyncSchedule.dueAt(LocalDate.of(2026, 3, 8), NEW_YORK, 0));
        assertEquals(Duration.ofHours(23), between(LocalDate.of(2026, 3, 7), NEW_YORK));
        assertEquals(Instant.parse("2026-11-02T05:00:00Z"), SyncSchedule.dueAt(LocalDate.of(2026, 11, 1), NEW_YORK, 0));
        assertEquals(Duration.ofHours(25), between(LocalDate.of(2026, 10, 31), NEW_YORK));
    }

    @Test
    void aDayWhoseMidnightFallsInADstGapStartsAtTheFirstInstantAfterIt() {
        // Santiago skips from 00:00 to 01:00 on 2026-09-06: 2026-09-05 ends at 01:00 local.
        ZoneId santiago = ZoneId.of("America/Santiago");
        Instant due = SyncSchedule.dueAt(LocalDate.of(2026, 9, 5), santiago, 0);
        assertEquals(LocalDate.of(2026, 9, 6), due.atZone(santiago).toLocalDate());
        assertEquals(1, due.atZone(santiago).getHour());
        assertEquals(Duration.ofHours(23), between(LocalDate.of(2026, 9, 5), santiago));
    }

    @Test
    void theNextDueInstantIsStrictlyLaterAndTheLastOneAtOrBefore() {
        Instant due = Instant.parse("2026-10-25T23:00:00Z");
        assertEquals(Instant.parse("2026-10-26T23:00:00Z"), SyncSchedule.nextDueAfter(due, PARIS, 0));
        assertEquals(due, SyncSchedule.nextDueAfter(due.minusSeconds(1), PARIS, 0));
        assertEquals(due, SyncSchedule.lastDueAtOrBefore(due, PARIS, 0));
        assertEquals(Instant.parse("2026-10-24T22:00:00Z"), SyncSchedule.lastDueAtOrBefore(due.minusSeconds(1), PARIS, 0));
        // With a settle delay the date before stays the last due one until the delay is over.
        assertEquals(Instant.parse("2026-10-25T01:00:00Z"),
                SyncSchedule.lastDueAtOrBefore(Instant.parse("2026-10-25T23:30:00Z"), PARIS, 180));
        for (int settle : new int[]{0, 59, 600, SyncSchedule.MAX_SETTLE_MINUTES}) {
            for (long hour = 0; hour < 24 * 400; hour += 7) {
                Instant now = Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofHours(hour));
                Instant last = SyncSchedule.lastDueAtOrBefore(now, NEW_YORK, settle);
                Instant next = SyncSchedule.nextDueAfter(now, NEW_YORK, settle);
                assertTrue(!last.isAfter(now) && next.isAfter(now), now + " " + settle);
                long hours = Duration.between(last, next).toHours();
                assertTrue(hours >= 23 && hours <= 25, now + " " + settle + ": " + hours);
            }
        }
    }

    @Test
    void shardsAreStableAndSpread() {
        assertEquals(SyncSchedule.shard("acme", "orders"), SyncSchedule.shard("acme", "orders"));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seen.add(SyncSchedule.shard("client" + i, "sync"));
        }
        assertEquals(SyncSchedule.SHARDS, seen.size());
    }

    private static Duration between(LocalDate date, ZoneId zone) {
        return Duration.between(SyncSchedule.dueAt(date, zone, 0), SyncSchedule.dueAt(date.plusDays(1), zone, 0));
    }
}
