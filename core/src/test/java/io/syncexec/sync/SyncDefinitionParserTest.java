package io.syncexec.sync;

import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sync definition's schedule: {@code {"enabled", "settleMinutes"}}, the old body still read. */
class SyncDefinitionParserTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 30);
    private static final String BODY = """
            {"name":"Orders","timezone":"Europe/Paris","firstDate":"2026-11-01","supportsPeriodExecution":true,%s
             "connector":{"type":"demo"}}""";

    private static Sync parse(String schedule) {
        return SyncDefinitionParser.parse("acme", "orders", BODY.formatted(schedule), TODAY);
    }

    @Test
    void theOldBodyEnablesTheScheduleWithoutASettleDelay() {
        Sync sync = parse("\"schedule\":{\"enabled\":true},");
        assertTrue(sync.scheduleEnabled());
        assertEquals(0, sync.settleMinutes());
        assertFalse(parse("").scheduleEnabled());
    }

    @Test
    void aSettleDelayIsReadInMinutes() {
        Sync sync = parse("\"schedule\":{\"enabled\":true,\"settleMinutes\":120},");
        assertTrue(sync.scheduleEnabled());
        assertEquals(120, sync.settleMinutes());
    }

    @Test
    void aSettleDelayOutOfRangeOrNullIsRefusedNamingTheField() {
        for (String value : new String[]{"-1", "1441", "null", "\"2h\"", "1.5"}) {
            Refusal refused = assertThrows(Refusal.class,
                    () -> parse("\"schedule\":{\"enabled\":true,\"settleMinutes\":" + value + "},"), value);
            assertEquals(Reason.INVALID_REQUEST, refused.reason(), value);
            assertEquals("schedule.settleMinutes", refused.details().get("field"), value);
        }
        assertEquals(Reason.INVALID_REQUEST, assertThrows(Refusal.class,
                () -> parse("\"schedule\":{\"enabled\":true,\"settle\":5},")).reason(), "an unknown field of schedule");
    }

    private static SyncDefinitionParser.Edit edit(String more) {
        return SyncDefinitionParser.parseEdit("acme", "orders", BODY.formatted(more), TODAY, io.syncexec.connector.ConnectorUrls.STRICT);
    }

    @Test
    void aPauseCarriesItsReasonAndAVersionSaysWhichVersionIsEdited() {
        SyncDefinitionParser.Edit edit = edit("\"paused\":{\"reason\":\" Source migrating \"},\"version\":3,");
        assertEquals("Source migrating", edit.definition().paused().reason());
        assertEquals(3L, edit.version());
        assertEquals(null, edit("").version(), "no version: the save applies to whatever is stored");
        assertEquals(null, edit("").definition().paused());
    }

    @Test
    void aPauseWithoutAReasonOrABadVersionIsRefusedNamingTheField() {
        for (String[] bad : new String[][]{{"\"paused\":{},", "paused.reason"}, {"\"paused\":{\"reason\":\"  \"},", "paused.reason"},
                {"\"paused\":{\"reason\":\"x\",\"until\":\"Monday\"},", null}, {"\"version\":-1,", "version"},
                {"\"version\":\"3\",", "version"}, {"\"version\":null,", "version"}}) {
            Refusal refused = assertThrows(Refusal.class, () -> edit(bad[0]), bad[0]);
            assertEquals(Reason.INVALID_REQUEST, refused.reason(), bad[0]);
            if (bad[1] != null) {
                assertEquals(bad[1], refused.details().get("field"), bad[0]);
            }
        }
    }
}
