package io.syncexec.browser;

import io.syncexec.local.server.LocalMode;
import io.syncexec.local.server.LocalSettings;
import io.syncexec.standins.Await;
import io.syncexec.standins.RepositoryRoot;
import io.syncexec.standins.StandIns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the browser tests share: the local mode started in-process (the real gateway, the OpenID Connect
 * provider the page signs in with, the handlers, the state machine, the workers), headless Chromium from
 * Debian, and an own client per test with two syncs created through the admin API: {@code orders}
 * (period-capable, six dates, 6 records a date) and {@code invoices} (default-only, three dates), in
 * {@link #zone()}. Then the tests only click (or type).
 *
 * <p>The local mode runs on the real clock, or from {@link #startAt()} (as {@code LOCAL_NOW} does):
 * every date a test uses is counted from the server's today in the syncs' zone, never the machine's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConsumerPageBase {
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** How often a wait looks at the page again. */
    private static final Duration POLL = Duration.ofMillis(50);
    private static int clients;
    private LocalMode local;
    protected ChromeDriver browser;
    protected WebDriverWait wait;
    protected String clientId;
    /** The signed-in operator's subject: what the page records as who requested or confirmed. */
    protected String operator;
    private String testName;

    /** Where the local mode's clocks start; null: now (the real clock). */
    protected Instant startAt() {
        return null;
    }

    /** The time zone of the test's syncs. */
    protected String zone() {
        return "Europe/Paris";
    }

    @BeforeAll
    void startLocalMode() throws IOException {
        Path root = RepositoryRoot.find();
        Path tokens = Files.createTempDirectory("browser-tokens").resolve("tokens.json");
        // A failing date is retried after 1, 2, 4 and 8 s (not the template's 10 to 80 s) before it is recorded failed.
        LocalSettings settings = new LocalSettings(root, 0, 86_400, tokens, false,
                new PrintStream(OutputStream.nullOutputStream())).withRetryDelaySeconds(1);
        local = LocalMode.start(startAt() == null ? settings : settings.at(startAt()), StandIns.get());
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stopLocalMode() {
        if (local != null) {
            local.close();
        }
    }

    @BeforeEach
    void openBrowser(TestInfo info) throws Exception {
        testName = getClass().getSimpleName() + "-" + info.getTestMethod().orElseThrow().getName();
        clientId = "browser" + (++clients);
        admin("PUT", "/clients/" + clientId, "{\"name\":\"Browser client " + clients + "\"}");
        admin("PUT", "/clients/" + clientId + "/syncs/orders", """
                {"name":"Shop orders","timezone":"%s","firstDate":"%s","supportsPeriodExecution":true,
                 "connector":{"type":"demo","config":{"recordsPerDate":6}}}""".formatted(zone(), yesterday().minusDays(5)));
        admin("PUT", "/clients/" + clientId + "/syncs/invoices", """
                {"name":"Invoices","timezone":"%s","firstDate":"%s","supportsPeriodExecution":false,
                 "connector":{"type":"demo","config":{"recordsPerDate":2}}}""".formatted(zone(), yesterday().minusDays(2)));

        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,900", "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build(),
                options);
        wait = waitUpTo(Duration.ofSeconds(30));
        // Signed in as this client's operator through the page's real sign-in, the chooser skipped with login_hint.
        operator = "operator-" + clientId;
        openSignInSession();
        browser.get(local.url() + "?login_hint=" + clientId);
        wait.until(ExpectedConditions.visibilityOfElementLocated(testId("sync-orders")));
    }

    /**
     * What the person who started {@code ./run-local} does once per browser: opens the one-time sign-in
     * link (each test's fresh browser profile gets its own), which leads to the page asking for sign-in.
     */
    protected void openSignInSession() {
        browser.get(local.anotherSignInLink().toString());
        wait.until(ExpectedConditions.visibilityOfElementLocated(testId("sign-in-button")));
    }

    @AfterEach
    void closeBrowser() throws IOException {
        if (browser != null) {
            screenshot("end");
            browser.quit();
        }
    }

    protected LocalMode local() {
        return local;
    }

    /** Today in the syncs' zone, by the local mode's clock (what the server calls the sync's today). */
    protected LocalDate today() {
        return LocalDate.now(local.clock().withZone(ZoneId.of(zone())));
    }

    protected LocalDate yesterday() {
        return today().minusDays(1);
    }

    protected static By testId(String id) {
        return By.cssSelector("[data-testid='" + id + "']");
    }

    protected WebElement find(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(testId(id)));
    }

    protected void screenshot(String step) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(testName + "-" + step + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    protected String admin(String method, String path, String body) throws Exception {
        return as(local.tokens().admin(), method, path, body);
    }

    /** A token of the local sign-in: a sync admin's ({@code clientIds} empty) or an operator's of these clients. */
    protected String token(String subject, String... clientIds) {
        return clientIds.length == 0 ? local.issuer().adminToken(subject) : local.issuer().clientToken(subject, List.of(clientIds));
    }

    /**
     * Opens the page afresh signed in with {@code token}, for the tests that need identities the local
     * provider's chooser does not offer (a second admin, the operator of a client made during the test):
     * the token goes into the tab's store as the page's sign-in leaves it there (oidc-client-ts's user
     * record), never into the address. The sign-in flow itself is {@link SignInIT}'s.
     */
    protected void signIn(String token) {
        browser.get("about:blank");
        browser.get(local.url() + "config.json");
        browser.executeScript("""
                const config = JSON.parse(document.body.innerText);
                const claims = JSON.parse(atob(arguments[0].split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
                sessionStorage.setItem(`syncexec.oidc.user:${config.issuer}:${config.clientId}`, JSON.stringify({
                  id_token: arguments[0], access_token: arguments[0], token_type: "Bearer", scope: config.scopes,
                  profile: claims, expires_at: Math.floor(Date.now() / 1000) + 3600 }));""", token);
        browser.get(local.url().toString());
    }

    /** A request to the API with {@code token}; fails unless it succeeds. */
    protected String as(String token, String method, String path, String body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(local.url() + path.substring(1)))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() < 300, path + " → " + response.statusCode() + " " + response.body());
        return response.body();
    }

    protected String adminGet(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(local.url() + path.substring(1)))
                    .header("Authorization", "Bearer " + local.tokens().admin()).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A wait that tries again when the page has redrawn what it was reading (the calendar and the run
     * list are re-rendered as a run imports its dates): a stale element is looked up afresh, not a failure.
     * It looks again every {@link #POLL} (Selenium's default, 500 ms, made each wait that does not hold at
     * once last half a second at least).
     */
    protected WebDriverWait waitUpTo(Duration timeout) {
        return (WebDriverWait) new WebDriverWait(browser, timeout, POLL).ignoring(StaleElementReferenceException.class);
    }

    /** Waits for the progress view to show a final status, and returns it. */
    protected String awaitFinalStatus() {
        WebElement status = find("execution-status");
        waitUpTo(Duration.ofSeconds(60)).until(d -> {
            String s = status.getAttribute("data-status");
            return s != null && !s.equals("RUNNING") && !s.equals("AWAITING_CONFIRMATION");
        });
        return status.getAttribute("data-status");
    }

    /** Ticks "I confirm" once it can be ticked: the page enables it when the plan to confirm is shown. */
    protected void tickIConfirm() {
        // A tick given while the plan is being checked again is dropped (it would be for no plan), as the
        // page intends: like a person, tick again once the box can be ticked, until it stays ticked. A click
        // that lands while the plan's list is still being laid out (another element would receive it) is not
        // delivered: it is tried again too.
        waitUpTo(Duration.ofSeconds(30)).ignoring(ElementClickInterceptedException.class).until(d -> {
            WebElement box = d.findElement(testId("confirm-checkbox"));
            if (box.isSelected()) {
                return true;
            }
            if (box.isDisplayed() && box.isEnabled()) {
                box.click();
            }
            return false;
        });
    }

    /**
     * Clicks an element once it can be clicked. A click that lands while the page is still laying the
     * dialog out (another element would receive it: Chromium does not deliver it) is tried again, as a
     * person clicks again on a button that moved under the pointer.
     */
    protected void click(String id) {
        waitUpTo(Duration.ofSeconds(30)).ignoring(ElementClickInterceptedException.class).until(d -> {
            WebElement element = ExpectedConditions.elementToBeClickable(testId(id)).apply(d);
            if (element == null) {
                return false;
            }
            element.click();
            return true;
        });
    }

    protected void closeDialog() {
        click("dialog-close");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(testId("run-dialog")));
    }

    /** A day of a sync's ledger calendar, its month brought on screen first. */
    protected WebElement day(String syncId, LocalDate date) {
        showMonth(syncId, date);
        return find("calendar-" + syncId).findElement(testId("day-" + date));
    }

    /** The button of a date in a sync's calendar (a date that can be imported), its month brought on screen first. */
    protected WebElement dayButton(String syncId, LocalDate date) {
        showMonth(syncId, date);
        return find("calendar-" + syncId).findElement(testId("day-button-" + date));
    }

    /**
     * Brings the month of {@code date} on screen in a sync's calendar with its previous and next
     * buttons, as a person would, and waits until that month's dates are drawn.
     */
    protected void showMonth(String syncId, LocalDate date) {
        String month = date.toString().substring(0, 7);
        By cell = testId("day-" + date);
        for (int step = 0; step < 24; step++) {
            // The calendar is redrawn while runs go: each read looks it up afresh.
            String shown = waitUpTo(Duration.ofSeconds(30)).until(d -> {
                WebElement calendar = find("calendar-" + syncId);
                return calendar.getAttribute("aria-busy") == null ? calendar.getAttribute("data-month") : null;
            });
            if (month.equals(shown)) {
                wait.until(d -> !find("calendar-" + syncId).findElements(cell).isEmpty());
                return;
            }
            click("calendar-" + (month.compareTo(shown) < 0 ? "prev-" : "next-") + syncId);
            wait.until(d -> !shown.equals(find("calendar-" + syncId).getAttribute("data-month")));
        }
        throw new AssertionError("the calendar of " + syncId + " never showed " + month);
    }

    /**
     * Starts an execution of orders as the admin and polls it until it has ended, so that the sync
     * is free again: a date can show as imported while the run is still finalizing.
     */
    protected void runAsAdminToTheEnd(String request) throws Exception {
        String started = admin("POST", "/clients/" + clientId + "/syncs/orders/executions", request);
        Matcher id = Pattern.compile("\"executionId\":\"([^\"]+)\"").matcher(started);
        assertTrue(id.find(), started);
        String path = "/clients/" + clientId + "/syncs/orders/executions/" + id.group(1);
        Await.until(Duration.ofSeconds(60), "execution " + id.group(1) + " to end",
                () -> adminGet(path).contains("\"status\":\"SUCCEEDED\""));
    }

    /** Imports orders' last two dates (yesterday and the day before) as the admin. */
    protected void importTheLastTwoDates() throws Exception {
        runAsAdminToTheEnd("{\"mode\":\"DATE_RANGE\",\"from\":\"%s\",\"to\":\"%s\"}".formatted(yesterday().minusDays(1), yesterday()));
    }

    /**
     * In the open run dialog of orders: a re-import of the range of its last four dates, two of
     * them imported already ({@link #importTheLastTwoDates}), up to the overlap alert.
     */
    protected void chooseARangeReimportOverTheImportedDates() {
        click("tab-range");
        setDate("range-from", yesterday().minusDays(3));
        setDate("range-to", yesterday());
        click("reimport-all");
        find("overlap-alert");
    }

    /**
     * Imports yesterday as the admin, then starts its re-import as the admin, as another operator's
     * tab would: it waits for a confirmation. The page is reloaded and shows orders waiting.
     */
    protected void startAReimportElsewhere() throws Exception {
        String single = "{\"mode\":\"SINGLE_DATE\",\"date\":\"" + yesterday() + "\"}";
        runAsAdminToTheEnd(single);
        assertEquals("1", importCount(yesterday()));
        admin("POST", "/clients/" + clientId + "/syncs/orders/executions", single);
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(testId("running-orders"), "Waiting for confirmation"));
    }

    protected String importCount(LocalDate date) {
        String ledger = adminGet("/clients/" + clientId + "/syncs/orders/ledger?from=" + date + "&to=" + date);
        Matcher count = Pattern.compile("\"importCount\":(\\d+)").matcher(ledger);
        assertTrue(count.find(), ledger);
        return count.group(1);
    }

    /** Sets a date input as a person choosing in the date picker would, then lets the page react. */
    protected void setDate(String id, LocalDate date) {
        WebElement input = find(id);
        browser.executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                        + "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", input, date.toString());
    }
}
