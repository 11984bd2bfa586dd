package io.syncexec.browser;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page's sign-in as a person goes through it: OpenID Connect's authorization code flow with PKCE
 * against the local provider (its chooser, as the identity provider's sign-in page on AWS), no token
 * handed in and none in the address bar; a confirmed re-import; sign-out; and a sign-in that has
 * ended, which goes through the provider again and comes back to the same client.
 */
class SignInIT extends ConsumerPageBase {

    @Test
    void anOperatorSignsInAtTheProviderRunsAConfirmedReimportAndSignsOut() throws Exception {
        importTheLastTwoDates();
        signOut();

        click("sign-in-button");
        wait.until(ExpectedConditions.urlContains("/local-issuer/authorize"));
        String authorize = browser.getCurrentUrl();
        assertTrue(authorize.contains("code_challenge_method=S256") && authorize.contains("nonce=") && authorize.contains("state="),
                authorize);
        screenshot("chooser");
        List<Axe.Violation> chooser = Axe.violations(browser);
        assertTrue(chooser.isEmpty(), "the local sign-in's chooser meets WCAG 2.1 AA:\n" + Axe.describe(chooser));
        browser.findElement(By.cssSelector("a[data-login-hint='" + clientId + "']")).click();
        find("sync-orders");
        assertEquals(local().url().toString(), browser.getCurrentUrl(), "code and state are gone from the address");
        assertEquals("Signed in as operator-" + clientId, find("signed-in-as").getText());
        String stored = (String) browser.executeScript("return Object.keys(localStorage).join(',')");
        assertEquals("", stored, "nothing of the sign-in outlives the tab");

        click("play-orders");
        chooseARangeReimportOverTheImportedDates();
        tickIConfirm();
        click("execute");
        assertEquals("SUCCEEDED", awaitFinalStatus());
        closeDialog();
        assertEquals("2", importCount(yesterday()), "re-imported once, after the confirmation");

        signOut();
        browser.navigate().refresh();
        find("sign-in-button");
        assertFalse(browser.findElements(testId("sync-orders")).stream().anyMatch(e -> e.isDisplayed()), "the syncs are gone");
    }

    @Test
    void anEndedSignInGoesThroughTheProviderAgainAndBackToTheSameClient() {
        signOut();
        browser.get(local().url() + "?login_hint=admin");
        new Select(find("client-picker")).selectByValue(clientId);
        find("sync-orders");

        // The next load finds the sign-in ended and signs in again at once.
        expireTheSignIn();
        browser.navigate().refresh();
        wait.until(ExpectedConditions.urlContains("/local-issuer/authorize"));
        browser.findElement(By.cssSelector("a[data-login-hint='admin']")).click();
        find("sync-orders");
        assertEquals(clientId, new Select(find("client-picker")).getFirstSelectedOption().getAttribute("value"), "the same client");
    }

    @Test
    void aSignInThatEndsDuringARunGoesThroughTheProviderBackToTheSameSync() {
        signOut();
        browser.get(local().url() + "?login_hint=admin");
        new Select(find("client-picker")).selectByValue(clientId);
        click("play-orders");
        click("tab-default");
        expireTheSignIn();
        click("execute"); // the page finds its sign-in ended before it calls the API

        wait.until(ExpectedConditions.urlContains("/local-issuer/authorize"));
        browser.findElement(By.cssSelector("a[data-login-hint='admin']")).click();
        find("sync-orders");
        assertEquals(clientId, new Select(find("client-picker")).getFirstSelectedOption().getAttribute("value"), "the same client");
        wait.until(d -> "play-orders".equals(d.switchTo().activeElement().getAttribute("data-testid")));
        assertEquals("MISSING", day("orders", yesterday()).getAttribute("data-status"), "nothing ran without a sign-in");
    }

    /** The token's time is up (as an hour after a Cognito sign-in). */
    private void expireTheSignIn() {
        browser.executeScript("""
                for (const key of Object.keys(sessionStorage).filter((k) => k.startsWith("syncexec.oidc.user:"))) {
                  const user = JSON.parse(sessionStorage.getItem(key));
                  user.expires_at = 1;
                  sessionStorage.setItem(key, JSON.stringify(user));
                }""");
    }

    private void signOut() {
        click("sign-out");
        find("sign-in-button");
        wait.until(ExpectedConditions.urlToBe(local().url().toString()));
        assertTrue(browser.findElements(By.cssSelector("[data-testid='signed-in-as']")).stream().noneMatch(e -> e.isDisplayed()));
    }
}
