package io.syncexec.browser;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manual's flows on the consumer page, as an operator clicks through them, on today's date (and {@link KeyFlows}). */
class ConsumerPageIT extends KeyFlows {

    /**
     * A date being typed makes the plan on screen stale at once: Execute and "I confirm" wait until the
     * new date's plan is checked (before, the old plan could be started in the typing pause), and a tick
     * given to the old plan does not carry over to another one.
     */
    @Test
    void aDateBeingTypedHoldsExecuteUntilItsOwnPlanIsChecked() throws Exception {
        chooseYesterdayAfterADefaultRun();
        tickIConfirm();
        wait.until(ExpectedConditions.elementToBeClickable(testId("execute")));
        // Typed and read in one script, so nothing of the page runs in between.
        Object now = browser.executeScript("const input = arguments[0]; input.value = arguments[1];"
                + "input.dispatchEvent(new Event('input', {bubbles: true}));"
                + "return [document.querySelector('[data-testid=execute]').disabled,"
                + " document.querySelector('[data-testid=preview-status]').textContent];",
                find("single-date"), yesterday().minusDays(1).toString());
        assertEquals(java.util.List.of(true, "Checking what will be imported…"), now);
        wait.until(d -> find("overlap-alert").getText().contains(yesterday().minusDays(1).toString()));
        assertFalse(find("confirm-checkbox").isSelected(), "the tick was for the other date's plan");
        assertFalse(find("execute").isEnabled(), "Execute waits for I confirm");
        confirmExecuteAndAwaitImportCount(yesterday().minusDays(1), 2);
    }

    @Test
    void aDefaultOnlySyncOffersOnlyExecuteAndRunsToTheEnd() throws IOException {
        click("play-invoices");
        find("run-dialog");
        assertTrue(browser.findElements(testId("tab-single")).stream().noneMatch(WebElement::isDisplayed), "no period tabs");
        assertTrue(browser.findElements(testId("tab-range")).stream().noneMatch(WebElement::isDisplayed));
        screenshot("dialog");
        click("execute");
        assertEquals("SUCCEEDED", awaitFinalStatus());
        screenshot("done");
        closeDialog();
        wait.until(d -> "IMPORTED".equals(day("invoices", yesterday()).getAttribute("data-status")));
        assertEquals("MISSING", day("orders", yesterday()).getAttribute("data-status"), "only the sync that ran");
    }

    @Test
    void aDefaultRunOfALongHistorySaysHowManyDatesRemainForTheNextRun() throws Exception {
        admin("PUT", "/clients/" + clientId + "/syncs/archive", """
                {"name":"Archive","timezone":"Europe/Paris","firstDate":"%s","supportsPeriodExecution":false,
                 "connector":{"type":"demo"}}""".formatted(yesterday().minusDays(3700 - 1)));
        browser.navigate().refresh();
        click("play-archive");
        String note = find("remaining-dates").getText();
        assertTrue(note.contains("This run imports the 3,660 oldest missing dates"), note);
        assertTrue(note.contains("40 more dates remain for the next run"), note);
        screenshot("remaining");
        closeDialog();
        click("play-invoices");
        find("run-dialog");
        assertFalse(find("execute").isDisplayed() && browser.findElements(testId("remaining-dates")).stream()
                .anyMatch(WebElement::isDisplayed), "a short history shows no such line");
    }

    @Test
    void aSyncShowsItsSourceLimitsAndARunSaysUntilWhenItsSourcePausedIt() throws Exception {
        admin("PUT", "/clients/" + clientId + "/syncs/limited", """
                {"name":"Limited","timezone":"Europe/Paris","firstDate":"%s","supportsPeriodExecution":false,
                 "connector":{"type":"demo","limits":{"maxConcurrentDates":2,"requestsPerMinute":60},
                              "config":{"throttledUntil":"2100-01-01T00:00:00Z"}}}""".formatted(yesterday()));
        browser.navigate().refresh();
        String card = find("sync-limited").getText();
        assertTrue(card.contains("Source limits") && card.contains("2 dates at once, at most 60 source requests a minute"), card);
        click("play-limited");
        click("execute");
        // The demo source answers 429 with a Retry-After of decades: the run waits 15 minutes at a time, nothing fails.
        wait.until(d -> find("progress-summary").getText().contains("Paused by its source until"));
        screenshot("paused-by-source");
        assertTrue(find("progress-summary").getText().contains("0 failed"), find("progress-summary").getText());
    }

    @Test
    void anExecutionWaitingForConfirmationCanBeDeclinedFromThePage() throws Exception {
        startAReimportElsewhere();
        click("running-orders");
        find("confirmation-step");
        screenshot("confirmation-step");
        click("decline");
        assertEquals("CANCELLED", awaitFinalStatus());
        closeDialog();
        assertEquals("1", day("orders", yesterday()).getAttribute("data-import-count"), "nothing was re-imported");
    }

    @Test
    void aLongRunShowsItsFirstDatesAndLoadsTheRestWhenAsked() throws Exception {
        admin("PUT", "/clients/" + clientId + "/syncs/long", """
                {"name":"Long history","timezone":"Europe/Paris","firstDate":"%s","supportsPeriodExecution":true,
                 "connector":{"type":"demo","config":{"recordsPerDate":1}}}""".formatted(yesterday().minusDays(39)));
        browser.navigate().refresh();
        click("play-long");
        click("tab-default");
        click("execute");
        assertEquals("SUCCEEDED", awaitFinalStatus());

        browser.findElement(org.openqa.selenium.By.cssSelector(".outcomes-box summary")).click();
        By dates = org.openqa.selenium.By.cssSelector("[data-testid='outcomes'] li");
        assertEquals(31, browser.findElements(dates).size(), "the execution carries its first 31 dates");
        click("more-outcomes");
        wait.until(d -> d.findElements(dates).size() == 40);
        assertEquals("IMPORTED", find("outcome-" + yesterday()).getAttribute("data-outcome"));
        assertFalse(browser.findElement(testId("more-outcomes")).isDisplayed(), "nothing more to load");
        screenshot("long-run");
    }

    @Test
    void aLongOverlapShowsAFewRowsAndTheRestOnRequest() throws Exception {
        // Every other date of the last eleven was imported: six separate rows in the overlap alert.
        admin("PUT", "/clients/" + clientId + "/syncs/orders", """
                {"name":"Shop orders","timezone":"Europe/Paris","firstDate":"%s","supportsPeriodExecution":true,
                 "connector":{"type":"demo","config":{"recordsPerDate":6}}}""".formatted(yesterday().minusDays(10)));
        for (int back = 10; back >= 0; back -= 2) {
            LocalDate date = yesterday().minusDays(back);
            runAsAdminToTheEnd("{\"mode\":\"DATE_RANGE\",\"from\":\"%s\",\"to\":\"%s\"}".formatted(date, date));
        }
        browser.navigate().refresh();
        click("play-orders");
        click("tab-range");
        setDate("range-from", yesterday().minusDays(10));
        setDate("range-to", yesterday());
        click("reimport-all");
        find("overlap-alert");

        assertTrue(find("reimport-announcement").getText().contains("6 dates between " + yesterday().minusDays(10) + " and " + yesterday()),
                find("reimport-announcement").getText());
        By rows = By.cssSelector("[data-testid='reimport-dates'] li");
        assertEquals(5, browser.findElements(rows).size(), "a few rows first");
        WebElement showAll = find("reimport-show-all");
        assertEquals("false", showAll.getAttribute("aria-expanded"));
        showAll.click();
        wait.until(d -> d.findElements(rows).size() == 6);
        assertEquals("true", showAll.getAttribute("aria-expanded"));
        assertTrue(find("reimport-" + yesterday()).getText().contains("once"));
        screenshot("overlap-show-all");
    }
}
