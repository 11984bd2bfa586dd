package io.syncexec.plan;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Dates as the sync's time zone sees them. A date is complete once it has ended there, so the
 * last importable date is yesterday in that zone; today and the future never are.
 */
public final class SyncCalendar {
    private final Clock clock;

    public SyncCalendar(Clock clock) {
        this.clock = clock;
    }

    public Instant now() {
        return clock.instant();
    }

    public LocalDate today(ZoneId zone) {
        return LocalDate.now(clock.withZone(zone));
    }

    public LocalDate lastCompleteDate(ZoneId zone) {
        return today(zone).minusDays(1);
    }
}
