package io.syncexec.browser;

import io.syncexec.standins.Await;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What happened before, from the page alone: a date's history (who imported it, how many times,
 * who confirmed each re-import, what failed) and a sync's run history (which runs failed, on which
 * dates), as an operator clicks through them.
 */
class HistoryPageIT extends ConsumerPageBase {
    private static final String ORDERS = """
            {"name":"Shop orders","timezone":"Europe/Paris","firstDate":"%s","supportsPeriodExecution":true,
             "connector":{"type":"demo","config":{"recordsPerDate":6%s}}}""";

    /** Starts a run of orders as the admin and waits until it has ended with that status; returns its id. */
    private String runAsAdmin(String request, String status) throws Exception {
        String started = admin("POST", "/clients/" + clientId + "/syncs/orders/executions", request);
        String id = executionId(started);
        String path = "/clients/" + clientId + "/syncs/orders/executions/" + id;
        // A failing date is retried through the queue (1, 2, 4 then 8 s here: 5 deliveries) before it is recorded FAILED.
        Await.until(Duration.ofSeconds(120), "execution " + id + " to end " + status,
                () -> adminGet(path).contains("\"status\":\"" + status + "\""));
        return id;
    }

    private static String executionId(String json) {
        Matcher id = Pattern.compile("\"executionId\":\"([^\"]+)\"").matcher(json);
        assertTrue(id.find(), json);
        return id.group(1);
    }

    /**
     * Yesterday's story: a default run fails on it (the source has no data), the next default run
     * imports it, then the admin asks for its re-import and the operator confirms it on the page.
     * Returns the ids of the three runs, oldest first.
     */
    private List<String> yesterdayFailedThenWasImportedThenReimported() throws Exception {
        String first = yesterday().minusDays(5).toString();
        admin("PUT", "/clients/" + clientId + "/syncs/orders", ORDERS.formatted(first, ",\"failingDates\":[\"" + yesterday() + "\"]"));
        String failed = runAsAdmin("{\"mode\":\"DEFAULT\"}", "PARTIALLY_FAILED");
        admin("PUT", "/clients/" + clientId + "/syncs/orders", ORDERS.formatted(first, ""));
        String imported = runAsAdmin("{\"mode\":\"DEFAULT\"}", "SUCCEEDED");
        String reimport = executionId(admin("POST", "/clients/" + clientId + "/syncs/orders/executions",
                "{\"mode\":\"SINGLE_DATE\",\"date\":\"" + yesterday() + "\"}"));
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(testId("running-orders"), "Waiting for confirmation"));
        click("running-orders");
        find("confirmation-step");
        click("confirm");
        assertEquals("SUCCEEDED", awaitFinalStatus());
        closeDialog();
        wait.until(d -> "2".equals(day("orders", yesterday()).getAttribute("data-import-count")));
        return List.of(failed, imported, reimport);
    }

    private String adminSubject(String executionId) {
        String json = adminGet("/clients/" + clientId + "/syncs/orders/executions/" + executionId);
        Matcher by = Pattern.compile("\"requestedBy\":\"([^\"]+)\"").matcher(json);
        assertTrue(by.find(), json);
        return by.group(1);
    }

    /** axe-core's WCAG 2.1 A and AA rules on the page as it is now (AccessibilityIT checks the other views). */
    private void assertMeetsWcag21AA(String view) {
        List<Axe.Violation> violations = Axe.violations(browser);
        assertTrue(violations.isEmpty(), view + ":\n" + Axe.describe(violations));
    }

    /** A window tall enough for the whole dialog, for the screenshot in docs/. */
    private void showWholeDialog() {
        browser.manage().window().setSize(new Dimension(1280, 1250));
    }

    /** The test ids of the elements a CSS selector finds, read at once (the page may redraw a list while it is read). */
    @SuppressWarnings("unchecked")
    private List<String> testIds(String selector) {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute('data-testid'))", selector);
    }

    @Test
    void aDateShowsWhoImportedItHowOftenWhoConfirmedTheReimportAndWhatFailed() throws Exception {
        List<String> runs = yesterdayFailedThenWasImportedThenReimported();
        String admin = adminSubject(runs.get(2));

        dayButton("orders", yesterday()).click();
        find("date-history");
        assertEquals("imported", find("date-history-status").getText());
        String summary = find("date-history-summary").getText();
        assertTrue(summary.startsWith("Imported twice:"), summary);
        assertTrue(summary.contains("first import on "), summary);
        assertTrue(summary.contains("re-import on "), summary);
        assertTrue(summary.contains("requested by " + admin + ", confirmed by " + operator + "."), summary);
        assertTrue(summary.contains("Failed once"), summary);
        // Newest first: the confirmed re-import, the first import, the failed attempt before them.
        assertEquals(List.of("date-import-2", "date-import-1", "date-failure-1"),
                testIds("[data-testid='date-history-events'] > li"));
        WebElement reimport = find("date-import-2");
        assertEquals(admin, reimport.findElement(testId("requested-by")).getText());
        assertTrue(reimport.findElement(testId("confirmed-by")).getText().startsWith(operator), reimport.getText());
        assertTrue(find("date-import-1").findElements(testId("confirmed-by")).isEmpty(), "a first import needs no confirmation");
        assertTrue(find("date-failure-1").findElement(testId("error")).getText().contains("no data for " + yesterday()),
                find("date-failure-1").getText());
        showWholeDialog();
        screenshot("date-history");
        assertMeetsWcag21AA("the date history with a failed attempt");

        // From an import to its run: the overlap the operator confirmed.
        find("date-import-2").findElement(testId("open-run-" + runs.get(2))).click();
        find("run-details");
        assertTrue(find("run-overlap").getText().contains("Confirmed by " + operator), find("run-overlap").getText());
        assertTrue(find("run-confirmation").getText().startsWith("Confirmed by " + operator));
        assertEquals("IMPORTED", find("run-outcome-" + yesterday()).getAttribute("data-outcome"));
        click("history-back");
        find("date-history");

        // Escape closes it and gives the focus back to the day.
        new Actions(browser).sendKeys(Keys.ESCAPE).perform();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("history-dialog")));
        wait.until(d -> ("day-button-" + yesterday()).equals(d.switchTo().activeElement().getAttribute("data-testid")));
    }

    @Test
    void theRunHistoryShowsWhichRunsFailedOnWhichDatesAndPagesWithShowMore() throws Exception {
        List<String> runs = yesterdayFailedThenWasImportedThenReimported();

        WebElement toggle = find("runs-toggle-orders");
        toggle.click();
        wait.until(ExpectedConditions.attributeToBe(toggle, "aria-expanded", "true"));
        wait.until(d -> testIds("[data-testid='runs-table-orders'] tbody tr").size() == 3);
        browser.manage().window().setSize(new Dimension(1280, 1250));
        browser.executeScript("arguments[0].scrollIntoView({block: 'start'})", find("sync-orders"));
        assertEquals(List.of("run-" + runs.get(2), "run-" + runs.get(1), "run-" + runs.get(0)),
                testIds("[data-testid='runs-table-orders'] tbody tr"), "newest first");
        WebElement reimport = find("run-" + runs.get(2));
        assertTrue(reimport.getText().contains("Confirmed by " + operator), reimport.getText());
        assertEquals("PARTIALLY_FAILED", find("run-" + runs.get(0)).getAttribute("data-status"));
        screenshot("run-history");

        // Failed runs only: the server answers the filter.
        click("runs-failed-orders");
        wait.until(d -> testIds("[data-testid='runs-table-orders'] tbody tr").equals(List.of("run-" + runs.get(0))));
        click("run-open-" + runs.get(0));
        find("run-details");
        assertEquals("FAILED", find("run-outcome-" + yesterday()).getAttribute("data-outcome"), "on which date it failed");
        assertTrue(find("run-outcome-" + yesterday()).getText().contains("no data for"), find("run-outcome-" + yesterday()).getText());
        assertTrue(find("run-result").getText().contains("1 failed"), find("run-result").getText());
        screenshot("run-details");
        assertMeetsWcag21AA("a failed run's details");
        click("history-close");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("history-dialog")));
        wait.until(d -> ("run-open-" + runs.get(0)).equals(d.switchTo().activeElement().getAttribute("data-testid")));

        new Select(find("runs-trigger-orders")).selectByValue("SCHEDULE");
        wait.until(ExpectedConditions.textToBe(testId("runs-message-orders"), "No run matches these filters."));
        assertFalse(browser.findElement(testId("runs-more-orders")).isDisplayed());

        // Pages of 10: ten more runs (nothing left to import, they end at once), then Show more.
        for (int i = 0; i < 10; i++) {
            runAsAdmin("{\"mode\":\"DATE_RANGE\",\"from\":\"" + yesterday() + "\",\"to\":\"" + yesterday() + "\"}", "SUCCEEDED");
        }
        click("runs-failed-orders");
        new Select(find("runs-trigger-orders")).selectByValue("");
        wait.until(d -> testIds("[data-testid='runs-table-orders'] tbody tr").size() == 10);
        click("runs-more-orders");
        wait.until(d -> testIds("[data-testid='runs-table-orders'] tbody tr").size() == 13);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("runs-more-orders")));
        assertEquals("run-" + runs.get(0), testIds("[data-testid='runs-table-orders'] tbody tr").get(12));
    }
}
