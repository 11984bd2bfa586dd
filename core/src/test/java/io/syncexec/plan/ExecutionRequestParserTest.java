package io.syncexec.plan;

import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutionRequestParserTest {

    @Test
    void readsEveryModeOfTheContract() {
        assertEquals(Mode.DEFAULT, ExecutionRequestParser.parse("{\"mode\":\"DEFAULT\"}").mode());
        ExecutionRequest single = ExecutionRequestParser.parse("{\"mode\":\"SINGLE_DATE\",\"date\":\"2026-11-20\"}");
        assertEquals(LocalDate.of(2026, 11, 20), single.date());
        assertTrue(single.forced(), "a single date imports as if nothing had been imported before");
        ExecutionRequest missingOnly = ExecutionRequestParser.parse(
                "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-01\",\"to\":\"2026-11-15\",\"reimport\":false}");
        assertFalse(missingOnly.forced());
        ExecutionRequest reimport = ExecutionRequestParser.parse(
                "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-01\",\"to\":\"2026-11-15\",\"reimport\":true,\"planDigest\":\"abc\",\"dryRun\":true}");
        assertTrue(reimport.forced());
        assertTrue(reimport.dryRun());
        assertEquals("abc", reimport.planDigest());
    }

    @Test
    void leapDayOfALeapYearIsADate() {
        assertEquals(LocalDate.of(2024, 2, 29),
                ExecutionRequestParser.parse("{\"mode\":\"SINGLE_DATE\",\"date\":\"2024-02-29\"}").date());
    }

    @Test
    void trailingContentIsNotJsonAndNullIsNeverReadAsAbsent() {
        Refusal trailing = assertThrows(Refusal.class, () -> ExecutionRequestParser.parse(
                "{\"mode\":\"DEFAULT\",\"dryRun\":true}{\"mode\":\"SINGLE_DATE\"}"));
        assertEquals(Reason.INVALID_JSON, trailing.reason());
        Refusal dryRunNull = assertThrows(Refusal.class, () -> ExecutionRequestParser.parse(
                "{\"mode\":\"DEFAULT\",\"dryRun\":null}"));
        assertEquals(Reason.INVALID_REQUEST, dryRunNull.reason());
        assertEquals("dryRun", dryRunNull.details().get("field"), "the refusal names the field");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"mode\":\"SINGLE_DATE\",\"date\":\"2023-02-29\"}                 | INVALID_DATE",
            "{\"mode\":\"SINGLE_DATE\",\"date\":\"2026-13-01\"}                 | INVALID_DATE",
            "{\"mode\":\"SINGLE_DATE\",\"date\":\"20-11-2026\"}                 | INVALID_DATE",
            "{\"mode\":\"SINGLE_DATE\"}                                         | INVALID_DATE",
            "{\"mode\":\"SINGLE_DATE\",\"date\":20261120}                      | INVALID_REQUEST",
            "{\"mode\":\"DEFAULT\",\"surprise\":1}                              | INVALID_REQUEST",
            "{\"mode\":\"DEFAULT\",\"date\":\"2026-11-20\"}                     | INVALID_REQUEST",
            "{\"mode\":\"DEFAULT\",\"dryRun\":\"yes\"}                          | INVALID_REQUEST",
            "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-01\",\"to\":\"2026-11-02\",\"reimport\":1} | INVALID_REQUEST",
            "[1,2]                                                              | INVALID_REQUEST",
            "{\"mode\":\"WEEKLY\"}                                              | INVALID_MODE",
            "{\"mode\":7}                                                       | INVALID_REQUEST",
            "{}                                                                 | INVALID_MODE",
            "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-15\",\"to\":\"2026-11-01\"} | INVALID_RANGE",
            "{\"mode\":                                                         | INVALID_JSON",
            "'   '                                                              | INVALID_JSON",
            "{\"mode\":\"DEFAULT\",\"mode\":\"DEFAULT\"}                        | INVALID_JSON",
            "{\"mode\":\"DEFAULT\",\"dryRun\":true}{\"mode\":\"SINGLE_DATE\"}     | INVALID_JSON",
            "{\"mode\":\"DEFAULT\"} 7                                       | INVALID_JSON",
            "{\"mode\":\"DEFAULT\",\"dryRun\":null}                         | INVALID_REQUEST",
            "{\"mode\":null}                                                    | INVALID_REQUEST",
            "{\"mode\":\"DEFAULT\",\"planDigest\":null}                     | INVALID_REQUEST",
            "{\"mode\":\"DATE_RANGE\",\"from\":\"2026-11-01\",\"to\":\"2026-11-02\",\"reimport\":null} | INVALID_REQUEST",
            "{\"mode\":\"SINGLE_DATE\",\"date\":\"-999999999-01-01\"}           | INVALID_DATE",
            "{\"mode\":\"SINGLE_DATE\",\"date\":\"+999999999-12-31\"}           | INVALID_DATE",
            "{\"mode\":\"SINGLE_DATE\",\"date\":\"12026-11-20\"}                | INVALID_DATE",
    })
    void refusesWithTheRightCode(String body, Reason expected) {
        Refusal e = assertThrows(Refusal.class, () -> ExecutionRequestParser.parse(body));
        assertEquals(expected, e.reason(), e.getMessage());
    }
}
