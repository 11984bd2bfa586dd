package io.syncexec.browser;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator's key flows (default run, single date with its confirmation, range re-import, a
 * date's history), run by each subclass with the local mode at its own date: today
 * ({@link ConsumerPageIT}), New Year's Eve ({@link KeyFlowsAtNewYearIT}), a DST change day
 * ({@link KeyFlowsOnDstDayIT}). Every date comes from the server's today in the syncs' zone.
 */
abstract class KeyFlows extends ConsumerPageBase {

    /** Ticks "I confirm", executes, and waits for the run to succeed and the calendar to show the new count. */
    protected void confirmExecuteAndAwaitImportCount(LocalDate date, int count) {
        tickIConfirm();
        click("execute");
        assertEquals("SUCCEEDED", awaitFinalStatus());
        closeDialog();
        wait.until(d -> String.valueOf(count).equals(day("orders", date).getAttribute("data-import-count")));
    }

    @Test
    void theDefaultTabImportsEveryMissingDateAndTheCalendarShowsThem() throws IOException {
        // The calendar opens on the month of the sync's today, and marks that day.
        String month = today().toString().substring(0, 7);
        wait.until(d -> month.equals(find("calendar-orders").getAttribute("data-month")));
        assertEquals("date", find("calendar-orders").findElement(testId("day-" + today())).getAttribute("aria-current"));

        assertEquals("MISSING", day("orders", yesterday()).getAttribute("data-status"));
        click("play-orders");
        click("tab-default");
        String defaultPanel = browser.findElement(By.id("panel-default")).getText();
        assertTrue(defaultPanel.contains("up to " + yesterday()), "the default run goes up to yesterday in the sync's zone: " + defaultPanel);
        click("execute");
        assertEquals("SUCCEEDED", awaitFinalStatus());
        closeDialog();
        wait.until(d -> "IMPORTED".equals(day("orders", yesterday()).getAttribute("data-status")));
        assertEquals("1", day("orders", yesterday()).getAttribute("data-import-count"));
        assertEquals("IMPORTED", day("orders", yesterday().minusDays(5)).getAttribute("data-status"));
        assertEquals("6", importCountsOf(yesterday().minusDays(5), yesterday()), "six dates, each imported once");
        screenshot("calendar");
    }

    /** Imports every date of orders as the admin, then opens the Single date tab on yesterday in the page. */
    protected void chooseYesterdayAfterADefaultRun() throws Exception {
        runAsAdminToTheEnd("{\"mode\":\"DEFAULT\"}");
        browser.navigate().refresh();
        click("play-orders");
        click("tab-single");
        setDate("single-date", yesterday());
    }

    @Test
    void aSingleDateNeedsIConfirmBeforeExecuteAndImportsAgain() throws Exception {
        chooseYesterdayAfterADefaultRun();
        wait.until(ExpectedConditions.visibilityOfElementLocated(testId("overlap-alert")));
        assertTrue(find("overlap-alert").getText().contains("6"), "the alert shows the duplicate records: " + find("overlap-alert").getText());
        assertFalse(find("execute").isEnabled(), "Execute waits for I confirm");
        screenshot("needs-confirm");
        confirmExecuteAndAwaitImportCount(yesterday(), 2);
    }

    @Test
    void aRangeReimportShowsTheOverlapWithItsNumbersAndWaitsForIConfirm() throws Exception {
        // Two dates were imported already; the operator asks to re-import a range over them.
        importTheLastTwoDates();
        assertEquals("1", importCount(yesterday()));
        assertEquals("1", importCount(yesterday().minusDays(1)));
        browser.navigate().refresh();

        click("play-orders");
        chooseARangeReimportOverTheImportedDates();
        // Contiguous dates with the same import count are one row.
        String row = find("reimport-" + yesterday().minusDays(1)).getText();
        assertTrue(row.contains("once") && row.contains(yesterday() + " (2 dates)"), row);
        assertTrue(find("reimport-announcement").getText().contains("2 dates between " + yesterday().minusDays(1) + " and " + yesterday()),
                "one sentence is announced: " + find("reimport-announcement").getText());
        assertTrue(find("duplicate-estimate").getText().contains("12"), "2 dates × 6 records: " + find("duplicate-estimate").getText());
        assertFalse(find("execute").isEnabled(), "Execute waits for I confirm");
        screenshot("overlap");

        confirmExecuteAndAwaitImportCount(yesterday(), 2);
        assertEquals("1", day("orders", yesterday().minusDays(3)).getAttribute("data-import-count"));
        screenshot("calendar");
    }

    @Test
    void aDatesHistorySaysItWasImportedTwiceAndWhoConfirmedTheReimport() throws Exception {
        chooseYesterdayAfterADefaultRun();
        confirmExecuteAndAwaitImportCount(yesterday(), 2);

        dayButton("orders", yesterday()).click();
        find("date-history");
        String summary = find("date-history-summary").getText();
        assertTrue(summary.startsWith("Imported twice:"), summary);
        assertTrue(summary.contains("confirmed by " + operator), summary);
        screenshot("date-history");
    }

    /** How many of the dates from {@code from} to {@code to} the ledger says were imported once. */
    private String importCountsOf(LocalDate from, LocalDate to) {
        String ledger = adminGet("/clients/" + clientId + "/syncs/orders/ledger?from=" + from + "&to=" + to);
        return String.valueOf(ledger.split("\"importCount\":1[,}]", -1).length - 1);
    }
}
