package io.syncexec.browser;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer page for an operator who uses a keyboard or a screen reader: axe-core's WCAG 2.1 A
 * and AA rules on every view of the page (the sync list with its calendars, the run dialog on
 * each tab, the overlap alert, the progress view, the confirmation step), and a run made with
 * the keyboard only.
 */
class AccessibilityIT extends ConsumerPageBase {
    /** The orders sync with a source that takes 1.5 s a date, so that its runs are seen running. */
    private static final String SLOW_ORDERS = """
            {"name":"Shop orders","timezone":"Europe/Paris","firstDate":"%s","supportsPeriodExecution":true,
             "connector":{"type":"demo","config":{"recordsPerDate":6,"latencyMillis":1500}}}""";
    /**
     * The focused element's outline and its contrast with the background around it (WCAG 2.1
     * 1.4.11: a focus indicator needs 3:1), or why there is none.
     */
    private static final String FOCUS_INDICATOR = """
            const el = document.activeElement;
            const style = getComputedStyle(el);
            if (style.outlineStyle === "none" || parseFloat(style.outlineWidth) < 2) {
              return "no outline (" + style.outlineStyle + " " + style.outlineWidth + ")";
            }
            const rgba = (color) => (color.match(/[\\d.]+/g) || []).map(Number);
            let background = [255, 255, 255];
            for (let node = el.parentElement; node; node = node.parentElement) {
              const c = rgba(getComputedStyle(node).backgroundColor);
              if (c.length === 3 || (c.length === 4 && c[3] === 1)) { background = c; break; }
            }
            const luminance = (c) => {
              const [r, g, b] = c.slice(0, 3).map((v) => v / 255).map((v) => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
              return 0.2126 * r + 0.7152 * g + 0.0722 * b;
            };
            const [a, b] = [luminance(rgba(style.outlineColor)), luminance(background)];
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            """;
    /** The views this test checked (one test instance serves the whole class: emptied before each test). */
    private final Map<String, List<Axe.Violation>> violations = new LinkedHashMap<>();

    @BeforeEach
    void forgetTheViolationsOfTheTestBefore() {
        violations.clear();
    }

    /** Runs axe on the page as it is now, under the name of the view it shows. */
    private void check(String view) throws IOException {
        screenshot("axe-" + view);
        violations.put(view, Axe.violations(browser));
    }

    /** Fails listing every violation of every view checked (rule, impact, target selectors). */
    private void assertNoViolations() {
        assertFalse(violations.isEmpty(), "no view was checked");
        String report = violations.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + ":\n" + Axe.describe(e.getValue())).collect(Collectors.joining("\n"));
        assertTrue(report.isEmpty(), "WCAG 2.1 A/AA violations found by axe-core:\n" + report);
    }

    /** Waits until the dry run of the current choice has answered. */
    private void awaitPreview() {
        wait.until(d -> {
            String text = d.findElement(testId("preview-status")).getText();
            return !text.isEmpty() && !text.startsWith("Checking");
        });
    }

    /** The focused element shows where the focus is, clearly enough to be seen. */
    private void assertFocusVisible() {
        Object indicator = browser.executeScript(FOCUS_INDICATOR);
        assertTrue(indicator instanceof Number ratio && ratio.doubleValue() >= 3,
                focused() + ": focus indicator contrast " + indicator + ", needs 3:1");
    }

    private String focused() {
        return browser.switchTo().activeElement().getAttribute("data-testid");
    }

    /** Waits until the focus is on the element with that test id (the page moves it after an answer). */
    private void awaitFocusOn(String id) {
        waitUpTo(Duration.ofSeconds(30))
                .withMessage(() -> "the focus on " + id + ", not on " + browser.switchTo().activeElement().getTagName()
                        + " " + focused())
                .until(d -> id.equals(focused()));
    }

    private void press(CharSequence key) {
        new Actions(browser).sendKeys(key).perform();
    }

    /** Presses Tab until the element is focused: it must be reachable with the keyboard, in a few presses. */
    private void tabTo(String id) {
        for (int presses = 0; presses < 12 && !id.equals(focused()); presses++) {
            press(Keys.TAB);
        }
        assertEquals(id, focused(), "Tab reaches " + id);
        assertFocusVisible();
    }

    private void assertSelectedTab(String tab) {
        awaitFocusOn("tab-" + tab); // the selected tab has the focus
        assertEquals("true", find("tab-" + tab).getAttribute("aria-selected"));
        assertTrue(browser.findElement(By.id("panel-" + tab)).isDisplayed(), tab + " panel shown");
        assertFocusVisible();
    }

    @Test
    void theSyncListWithItsCalendarsMeetsWcag21AA() throws Exception {
        importTheLastTwoDates();
        browser.navigate().refresh();
        wait.until(d -> d.findElements(By.cssSelector(".calendar[aria-busy]")).isEmpty()
                && "IMPORTED".equals(day("orders", yesterday()).getAttribute("data-status"))
                && "MISSING".equals(day("invoices", yesterday()).getAttribute("data-status")));
        check("sync-list");

        browser.executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        find("sign-in");
        assertTrue(find("local-sign-in-hint").getText().startsWith("Running locally?"), "the local server adds the local sign-in");
        check("sign-in");
        assertNoViolations();
    }

    @Test
    void theRunDialogMeetsWcag21AAOnEveryTab() throws IOException {
        click("play-invoices");
        find("execute");
        check("dialog-default-only");
        closeDialog();

        click("play-orders");
        wait.until(ExpectedConditions.attributeToBe(testId("tab-default"), "aria-selected", "true"));
        check("dialog-default");
        click("tab-single");
        find("confirm-checkbox");
        awaitPreview();
        check("dialog-single-date");
        click("tab-range");
        find("range-from");
        check("dialog-date-range");
        assertNoViolations();
    }

    @Test
    void theOverlapAlertAndTheProgressViewMeetWcag21AA() throws Exception {
        // Two dates imported already, and a slow source so that the run is seen running.
        importTheLastTwoDates();
        admin("PUT", "/clients/" + clientId + "/syncs/orders", SLOW_ORDERS.formatted(yesterday().minusDays(5)));
        browser.navigate().refresh();

        click("play-orders");
        chooseARangeReimportOverTheImportedDates();
        find("confirm-checkbox");
        check("overlap-alert");

        tickIConfirm();
        click("execute");
        wait.until(ExpectedConditions.attributeToBe(testId("execution-status"), "data-status", "RUNNING"));
        check("progress-running");
        assertEquals("SUCCEEDED", awaitFinalStatus());
        check("progress-finished");
        assertNoViolations();
    }

    @Test
    void theConfirmationStepMeetsWcag21AA() throws Exception {
        startAReimportElsewhere();
        check("sync-list-waiting-for-confirmation");
        click("running-orders");
        find("confirmation-step");
        check("confirmation-step");
        assertNoViolations();
    }

    @Test
    void theDateHistoryAndTheRunHistoryMeetWcag21AAAndWorkWithTheKeyboardOnly() throws Exception {
        // Yesterday imported, then re-imported after the operator's confirmation on this page.
        startAReimportElsewhere();
        click("running-orders");
        find("confirmation-step");
        click("confirm");
        assertEquals("SUCCEEDED", awaitFinalStatus());
        press(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("run-dialog")));
        wait.until(d -> "2".equals(day("orders", yesterday()).getAttribute("data-import-count")));
        awaitFocusOn("play-orders");

        // The calendar's dates are one tab stop; Enter opens the date's history, Escape comes back to the date.
        String yesterdayButton = "day-button-" + yesterday();
        showMonth("orders", yesterday());
        tabTo(yesterdayButton);
        press(Keys.ENTER);
        find("date-history");
        awaitFocusOn("history-title");
        check("date-history");
        press(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("history-dialog")));
        awaitFocusOn(yesterdayButton);
        press(Keys.ARROW_LEFT);
        awaitFocusOn("day-button-" + yesterday().minusDays(1));
        assertFocusVisible();

        // The run history: a disclosure button, filters, a Details button per run.
        tabTo("runs-toggle-orders");
        press(Keys.ENTER);
        wait.until(ExpectedConditions.attributeToBe(testId("runs-toggle-orders"), "aria-expanded", "true"));
        wait.until(d -> d.findElements(By.cssSelector("[data-testid='runs-table-orders'] tbody tr")).size() == 2);
        wait.until(d -> d.findElements(By.cssSelector("[data-testid='runs-orders'][aria-busy]")).isEmpty());
        check("run-history");
        tabTo("runs-failed-orders");
        press(Keys.SPACE);
        wait.until(ExpectedConditions.textToBe(testId("runs-message-orders"), "No run matches these filters."));
        check("run-history-filtered-to-nothing");
        press(Keys.SPACE);
        wait.until(d -> d.findElements(By.cssSelector("[data-testid='runs-table-orders'] tbody tr")).size() == 2);
        String newest = find("runs-table-orders").findElement(By.cssSelector("tbody tr")).getAttribute("data-testid");
        String details = newest.replace("run-", "run-open-");
        tabTo(details);
        press(Keys.ENTER);
        find("run-overlap");
        awaitFocusOn("history-title");
        check("run-details-with-overlap");
        press(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("history-dialog")));
        awaitFocusOn(details);
        assertNoViolations();
    }

    @Test
    void theFocusStaysOnACalendarDateWhileTheCalendarFollowsARun() throws Exception {
        admin("PUT", "/clients/" + clientId + "/syncs/orders", SLOW_ORDERS.formatted(yesterday().minusDays(5)));
        click("play-orders");
        click("execute");
        wait.until(ExpectedConditions.attributeToBe(testId("execution-status"), "data-status", "RUNNING"));
        press(Keys.ESCAPE);
        awaitFocusOn("play-orders");
        String yesterdayButton = "day-button-" + yesterday();
        showMonth("orders", yesterday());
        tabTo(yesterdayButton);
        // The calendar is redrawn as the run imports its dates, and once more at its end.
        waitUpTo(Duration.ofSeconds(60))
                .until(d -> "1".equals(day("orders", yesterday()).getAttribute("data-import-count")));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("running-orders")));
        assertEquals(yesterdayButton, focused(), "the focus is still on the date");
        assertFocusVisible();
    }

    @Test
    void axeFindsAViolationWhenThePageHasOne() throws IOException {
        // The check itself can fail: an icon button without a name is reported with its selector.
        browser.executeScript("const b = document.createElement('button'); b.id = 'nameless'; b.textContent = '';"
                + "document.getElementById('main').append(b);");
        check("with-a-nameless-button");
        List<Axe.Violation> found = violations.get("with-a-nameless-button");
        assertTrue(found.stream().anyMatch(v -> v.rule().equals("button-name") && v.targets().contains("#nameless")),
                "axe reports the nameless button: " + found);
    }

    @Test
    void anOperatorRunsASyncWithTheKeyboardOnly() {
        tabTo("play-orders");
        press(Keys.ENTER);
        find("run-dialog");
        assertSelectedTab("default");

        // The tabs follow the ARIA tabs pattern: arrows move and select, wrapping; Home and End.
        press(Keys.ARROW_RIGHT);
        assertSelectedTab("single");
        press(Keys.ARROW_RIGHT);
        assertSelectedTab("range");
        press(Keys.ARROW_RIGHT);
        assertSelectedTab("default");
        press(Keys.ARROW_LEFT);
        assertSelectedTab("range");
        press(Keys.HOME);
        assertSelectedTab("default");
        press(Keys.END);
        assertSelectedTab("range");
        press(Keys.ARROW_LEFT);
        assertSelectedTab("single");

        // Single date (yesterday): tick "I confirm" with Space, then Execute with Enter.
        wait.until(ExpectedConditions.elementToBeClickable(testId("confirm-checkbox"))); // enabled once the plan is shown
        tabTo("confirm-checkbox");
        press(Keys.SPACE);
        assertTrue(find("confirm-checkbox").isSelected(), "Space ticks I confirm");
        wait.until(ExpectedConditions.elementToBeClickable(testId("execute")));
        tabTo("execute");
        press(Keys.ENTER);
        assertEquals("SUCCEEDED", awaitFinalStatus());

        // Escape closes the dialog and gives the focus back to the play button.
        press(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("run-dialog")));
        awaitFocusOn("play-orders");
        wait.until(d -> "1".equals(day("orders", yesterday()).getAttribute("data-import-count")));
    }

    @Test
    void anOperatorConfirmsARunStartedElsewhereWithTheKeyboardOnly() throws Exception {
        startAReimportElsewhere();
        tabTo("running-orders");
        press(Keys.ENTER);
        find("confirmation-step");
        tabTo("confirm");
        press(Keys.ENTER);
        assertEquals("SUCCEEDED", awaitFinalStatus());
        // The confirmation step is gone with the button that had the focus: the focus stays in the view.
        awaitFocusOn("progress-heading");

        // The badge that opened the dialog is gone too: the focus goes back to the sync's play button.
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("running-orders")));
        press(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("run-dialog")));
        awaitFocusOn("play-orders");
        assertEquals("2", importCount(yesterday()));
    }

    @Test
    void whenAnotherRunIsInProgressExecuteHandsTheFocusToShowIt() throws Exception {
        // Another operator starts a slow run after this page was loaded: the page does not know yet.
        admin("PUT", "/clients/" + clientId + "/syncs/orders", SLOW_ORDERS.formatted(yesterday().minusDays(5)));
        admin("POST", "/clients/" + clientId + "/syncs/orders/executions", "{\"mode\":\"DEFAULT\"}");

        tabTo("play-orders");
        press(Keys.ENTER);
        assertSelectedTab("default");
        tabTo("execute");
        press(Keys.ENTER);
        awaitFocusOn("show-active-execution");
        assertFocusVisible();
        press(Keys.ENTER);
        assertEquals("SUCCEEDED", awaitFinalStatus());
        press(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("run-dialog")));
        awaitFocusOn("play-orders");
    }
}
