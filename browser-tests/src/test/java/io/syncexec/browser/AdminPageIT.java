package io.syncexec.browser;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Sync admins on the page (SPEC §11): a client and a period-capable sync created from nothing, a
 * refused save fixed in place, an edit, a pause the client's operator sees on the play button and in
 * the Changes list, a resume; a second admin's stale save and its conflict view; every admin view
 * with axe-core's WCAG 2.1 A and AA rules, and the whole round with the keyboard only.
 */
class AdminPageIT extends ConsumerPageBase {

    private void assertMeetsWcag21AA(String view) throws Exception {
        screenshot("axe-" + view);
        List<Axe.Violation> violations = Axe.violations(browser);
        assertTrue(violations.isEmpty(), view + ":\n" + Axe.describe(violations));
    }

    private void type(String testId, String text) {
        WebElement input = find(testId);
        input.clear();
        input.sendKeys(text);
    }

    private void waitForText(String testId, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(testId(testId), text));
    }

    /** A screenshot named for the README's pictures (copied from target/screenshots to docs/ by hand, like the others). */
    private void screenshotForDocs(String name) throws Exception {
        screenshot("docs-" + name);
    }

    @Test
    void anAdminSetsUpAClientAndASyncFromNothingEditsPausesAndResumesAndTheOperatorSeesThePause() throws Exception {
        String newClient = clientId + "-shop";
        signIn(token("alice"));
        click("admin-open");
        find("admin-clients");
        click("admin-new-client");
        type("new-client-id", newClient);
        type("new-client-name", "Corner shop");
        click("client-save");
        waitForText("admin-status", "Client " + newClient + " created.");
        assertTrue(find("admin-title").getText().contains("Corner shop"));
        type("client-name", "Corner shop & co");
        click("client-rename");
        waitForText("admin-status", "Client renamed to Corner shop & co.");
        assertTrue(adminGet("/clients").contains("\"name\":\"Corner shop & co\",\"version\":2"));

        click("admin-new-sync");
        find("sync-form");
        type("form-syncId", "orders");
        type("form-name", "Shop orders");
        type("form-timezone", "Europe/Paris");
        type("form-firstDate", "0202-01-01"); // a typo: the API refuses it
        click("form-check-supportsPeriodExecution");
        type("form-maxRangeDays", "31");
        click("form-check-schedule.enabled");
        type("form-settleMinutes", "30");
        type("form-config-recordsPerDate", "4");
        click("form-save");
        waitForText("error-firstDate", "First date must be from 2000-01-01");
        assertEquals("true", find("form-firstDate").getAttribute("aria-invalid"));
        assertEquals("Shop orders", find("form-name").getAttribute("value"), "nothing typed is lost on a refused save");
        assertEquals("4", find("form-config-recordsPerDate").getAttribute("value"));
        screenshotForDocs("admin-sync-form");

        type("form-firstDate", yesterday().minusDays(5).toString());
        click("form-save");
        waitForText("admin-status", "Shop orders saved (version 1).");
        String created = adminGet("/clients/" + newClient + "/syncs/orders");
        assertTrue(created.contains("\"supportsPeriodExecution\":true") && created.contains("\"settleMinutes\":30")
                && created.contains("\"maxRangeDays\":31") && created.contains("\"recordsPerDate\":4"), created);

        click("admin-edit-orders");
        type("form-name", "Shop orders (EU)");
        click("form-save");
        waitForText("admin-status", "Shop orders (EU) saved (version 2).");

        click("admin-pause-orders");
        type("admin-pause-reason-orders", "Source migrating until Monday");
        click("admin-pause-confirm-orders");
        waitForText("admin-paused-orders", "Paused by alice: Source migrating until Monday");
        screenshotForDocs("admin-client");

        // The client's operator: the play button is disabled and says why; the Changes list says who did it.
        signIn(token("olivia", newClient));
        WebElement play = find("play-orders");
        assertFalse(play.isEnabled(), "a paused sync cannot be run");
        assertEquals("Paused: Source migrating until Monday", find("paused-orders").getText());
        assertEquals("paused-orders", play.getAttribute("aria-describedby"));
        click("changes-orders");
        WebElement pause = find("change-3");
        assertTrue(pause.getText().contains("alice"), pause.getText());
        assertEquals("Corner shop & co", find("client-picker").findElement(org.openqa.selenium.By.cssSelector("option:checked")).getText());
        assertTrue(pause.getText().contains("Paused: (none) → Source migrating until Monday"), pause.getText());
        assertTrue(find("change-2").getText().contains("Name: Shop orders → Shop orders (EU)"));
        screenshotForDocs("admin-changes");
        click("changes-close");

        signIn(token("alice"));
        click("admin-open");
        click("admin-open-client-" + newClient);
        click("admin-resume-orders");
        waitForText("admin-status", "Shop orders (EU) resumed.");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("admin-paused-orders")));
        signIn(token("olivia", newClient));
        wait.until(ExpectedConditions.elementToBeClickable(testId("play-orders")));
    }

    @Test
    void aSecondAdminsStaleSaveShowsTheOtherChangeAndCanBeAppliedAgain() throws Exception {
        signIn(token("alice"));
        click("admin-open");
        click("admin-open-client-" + clientId);
        click("admin-edit-orders");
        type("form-name", "Orders by Alice");

        // Meanwhile Bob saves the version Alice is editing.
        String path = "/clients/" + clientId + "/syncs/orders";
        Matcher version = Pattern.compile("\"version\":(\\d+)").matcher(adminGet(path));
        assertTrue(version.find());
        as(token("bob"), "PUT", path, """
                {"name":"Orders by Bob","timezone":"Europe/Paris","firstDate":"%s","supportsPeriodExecution":true,
                 "connector":{"type":"demo","config":{"recordsPerDate":6}},"version":%s}""".formatted(yesterday().minusDays(5), version.group(1)));

        click("form-save");
        WebElement conflict = find("conflict");
        waitForText("conflict", "bob changed this sync");
        assertTrue(conflict.getText().contains("Name: Shop orders → Orders by Bob"), conflict.getText());
        assertEquals("Orders by Alice", find("form-name").getAttribute("value"), "Alice's edit is still in the form");
        assertMeetsWcag21AA("conflict");
        screenshotForDocs("admin-conflict");

        click("conflict-reapply");
        waitForText("admin-status", "Orders by Alice saved");
        assertTrue(adminGet(path).contains("\"name\":\"Orders by Alice\""));
    }

    private void press(CharSequence... keys) {
        new Actions(browser).sendKeys(keys).perform();
    }

    private String focusedTestId() {
        return browser.switchTo().activeElement().getAttribute("data-testid");
    }

    /** Tabs forward until the element with this test id has the focus: it can be reached with the keyboard. */
    private void tabTo(String testId) {
        for (int i = 0; i < 80; i++) {
            if (testId.equals(focusedTestId())) {
                return;
            }
            press(Keys.TAB);
        }
        fail(testId + " cannot be reached with Tab");
    }

    @Test
    void everyAdminViewMeetsWcag21AAAndWorksWithTheKeyboardOnly() throws Exception {
        String kbClient = clientId + "-kb";
        signIn(token("carol"));
        find("admin-open");
        tabTo("admin-open");
        press(Keys.ENTER);
        find("admin-clients");
        assertMeetsWcag21AA("clients");

        tabTo("admin-new-client");
        press(Keys.ENTER);
        assertEquals("new-client-id", focusedTestId());
        assertMeetsWcag21AA("new client");
        press(kbClient, Keys.TAB, "Keyboard client", Keys.ENTER);
        waitForText("admin-status", "created");
        assertMeetsWcag21AA("client");

        tabTo("admin-new-sync");
        press(Keys.ENTER);
        find("sync-form");
        assertMeetsWcag21AA("new sync");
        tabTo("form-syncId");
        press("kb", Keys.TAB, "Keyboard sync", Keys.TAB, "Asia/Tokyo", Keys.TAB, yesterday().minusDays(3).toString());
        tabTo("form-check-supportsPeriodExecution");
        press(Keys.SPACE);
        tabTo("form-maxRangeDays");
        press("5000", Keys.ENTER); // Tab selected the field's value: typing replaces it
        waitForText("error-maxRangeDays", "between 1 and 3660");
        assertEquals("form-maxRangeDays", focusedTestId(), "a refusal takes the focus to its field");
        assertMeetsWcag21AA("field error");
        press(Keys.BACK_SPACE, Keys.BACK_SPACE, Keys.BACK_SPACE, Keys.BACK_SPACE, "60", Keys.ENTER);
        waitForText("admin-status", "Keyboard sync saved (version 1).");

        tabTo("admin-pause-kb");
        press(Keys.ENTER);
        assertEquals("admin-pause-reason-kb", focusedTestId());
        press("Audit in progress", Keys.ENTER);
        waitForText("admin-paused-kb", "Audit in progress");
        assertMeetsWcag21AA("paused sync");

        tabTo("admin-changes-kb");
        press(Keys.ENTER);
        find("change-2");
        assertMeetsWcag21AA("changes");
        press(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("changes-dialog")));
        assertEquals("admin-changes-kb", focusedTestId(), "closing Changes gives the focus back to its button");

        tabTo("admin-edit-kb");
        press(Keys.ENTER);
        find("sync-form");
        assertMeetsWcag21AA("edit sync");
        tabTo("form-cancel");
        press(Keys.ENTER);
        find("admin-sync-kb");

        // The operator's view of the paused sync.
        signIn(token("oscar", kbClient));
        find("paused-kb");
        assertMeetsWcag21AA("operator, paused sync");
    }
}
