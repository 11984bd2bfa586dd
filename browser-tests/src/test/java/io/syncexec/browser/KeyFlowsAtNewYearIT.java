package io.syncexec.browser;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The key flows with the local mode at 2026-12-31T20:00:00Z: already 1 January 2027 in Auckland
 * (the syncs' zone here), still 31 December in Paris. Yesterday is in the previous month and year.
 */
class KeyFlowsAtNewYearIT extends KeyFlows {

    @Override
    protected Instant startAt() {
        return Instant.parse("2026-12-31T20:00:00Z");
    }

    @Override
    protected String zone() {
        return "Pacific/Auckland";
    }

    @Test
    void eachCalendarOpensOnTheMonthOfItsSyncsToday() throws Exception {
        admin("PUT", "/clients/" + clientId + "/syncs/paris", """
                {"name":"Paris orders","timezone":"Europe/Paris","firstDate":"2026-11-20","supportsPeriodExecution":true,
                 "connector":{"type":"demo"}}""");
        browser.navigate().refresh();
        wait.until(d -> "2027-01".equals(find("calendar-orders").getAttribute("data-month")));
        assertEquals("date", find("calendar-orders").findElement(testId("day-2027-01-01")).getAttribute("aria-current"));
        wait.until(d -> "2026-12".equals(find("calendar-paris").getAttribute("data-month")));
        assertEquals("date", find("calendar-paris").findElement(testId("day-2026-12-31")).getAttribute("aria-current"));
        screenshot("calendars");
    }
}
