package io.syncexec.sync;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.zip.CRC32;

/**
 * When a sync's scheduled default run is due: once a date has ended in the sync's own time zone,
 * plus its settle delay (for sources that publish late). The due instant of date {@code d} is the
 * start of {@code d + 1} in the zone (DST days are 23 or 25 hours long; a day that starts in a gap
 * starts at the first instant after it) plus {@code settleMinutes}. The heartbeat finds syncs whose
 * {@code nextDueAt} has passed through a sparse index partitioned over {@link #SHARDS} shards.
 */
public final class SyncSchedule {
    /** The partitions of the due index: spreads the index's writes and reads over as many keys. */
    public static final int SHARDS = 16;
    /** The longest settle delay a sync may ask for. */
    public static final int MAX_SETTLE_MINUTES = 24 * 60;

    private SyncSchedule() {
    }

    /** The instant {@code date} is complete in {@code zone} and settled. */
    public static Instant dueAt(LocalDate date, ZoneId zone, int settleMinutes) {
        return date.plusDays(1).atStartOfDay(zone).toInstant().plus(Duration.ofMinutes(settleMinutes));
    }

    /** The latest date whose due instant is at or before {@code now}. */
    public static LocalDate lastDueDate(Instant now, ZoneId zone, int settleMinutes) {
        LocalDate date = now.minus(Duration.ofMinutes(settleMinutes)).atZone(zone).toLocalDate().minusDays(1);
        while (dueAt(date.plusDays(1), zone, settleMinutes).compareTo(now) <= 0) {
            date = date.plusDays(1);
        }
        while (dueAt(date, zone, settleMinutes).isAfter(now)) {
            date = date.minusDays(1);
        }
        return date;
    }

    /** The first due instant strictly after {@code now}: when the next date is complete and settled. */
    public static Instant nextDueAfter(Instant now, ZoneId zone, int settleMinutes) {
        return dueAt(lastDueDate(now, zone, settleMinutes).plusDays(1), zone, settleMinutes);
    }

    /** The latest due instant at or before {@code now}: a sync set up now is due at once (its plan says whether anything is missing). */
    public static Instant lastDueAtOrBefore(Instant now, ZoneId zone, int settleMinutes) {
        return dueAt(lastDueDate(now, zone, settleMinutes), zone, settleMinutes);
    }

    /** The due index's partition of a sync: stable, spread evenly. */
    public static String shard(String clientId, String syncId) {
        CRC32 crc = new CRC32();
        crc.update((clientId + "#" + syncId).getBytes(StandardCharsets.UTF_8));
        return shardName((int) (crc.getValue() % SHARDS));
    }

    public static String shardName(int shard) {
        return "s" + shard;
    }
}
