package io.syncexec.local.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./run-local}'s environment, read into the local mode's settings. */
class LocalModeSettingsTest {

    @Test
    void withoutScheduleVariablesTheTemplateDefaultsApply() {
        LocalMode.Settings settings = LocalMode.Settings.fromEnvironment(Map.of());
        assertEquals(Map.of(), settings.parameters());
        assertEquals(LocalMode.DEFAULT_PORT, settings.port());
        assertEquals(Map.of(), LocalMode.Settings.fromEnvironment(Map.of("SCHEDULE_ENABLED", " ", "SCHEDULE_EXPRESSION", "")).parameters());
    }

    @ParameterizedTest
    @CsvSource({"true, true", "false, false", "' TRUE ', true", "False, false"})
    void scheduleEnabledBecomesTheTemplateParameter(String value, String parameter) {
        assertEquals(Map.of("ScheduleEnabled", parameter),
                LocalMode.Settings.fromEnvironment(Map.of("SCHEDULE_ENABLED", value)).parameters());
    }

    @Test
    void scheduleExpressionBecomesTheTemplateParameter() {
        assertEquals(Map.of("ScheduleEnabled", "true", "ScheduleExpression", "rate(15 minutes)"), LocalMode.Settings.fromEnvironment(
                Map.of("SCHEDULE_ENABLED", "true", "SCHEDULE_EXPRESSION", " rate(15 minutes) ")).parameters());
    }

    @ParameterizedTest
    @CsvSource({"yes", "1", "on", "enabled"})
    void aScheduleEnabledOtherThanTrueOrFalseIsRefused(String value) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> LocalMode.Settings.fromEnvironment(Map.of("SCHEDULE_ENABLED", value)));
        assertEquals("SCHEDULE_ENABLED must be true or false, not \"" + value + "\"", refused.getMessage());
    }

    @Test
    void aScheduleExpressionEventBridgeWouldRefuseIsRefusedNamingTheVariable() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> LocalMode.Settings.fromEnvironment(Map.of("SCHEDULE_EXPRESSION", "rate(1 hours)")));
        assertEquals("SCHEDULE_EXPRESSION: Schedule expression \"rate(1 hours)\" is not valid: a value of 1 takes the singular "
                + "unit: rate(1 hour)", refused.getMessage());
    }

    @Test
    void aCronScheduleExpressionIsRefusedPointingAtRateOrTheManualTrigger() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> LocalMode.Settings.fromEnvironment(
                Map.of("SCHEDULE_ENABLED", "true", "SCHEDULE_EXPRESSION", "cron(0 12 * * ? *)")));
        assertTrue(refused.getMessage().startsWith("SCHEDULE_EXPRESSION: Schedule expression \"cron(0 12 * * ? *)\": cron() "),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("use a rate() expression locally"), refused.getMessage());
        assertTrue(refused.getMessage().contains("POST /local/schedule"), refused.getMessage());
    }

    @Test
    void localNowStartsTheClockAtThatInstantAndABadOneIsRefusedNamingTheVariable() {
        assertEquals(java.time.Clock.systemUTC(), LocalMode.Settings.fromEnvironment(Map.of()).clock());
        java.time.Instant now = LocalMode.Settings.fromEnvironment(Map.of("LOCAL_NOW", "2026-12-31T20:00:00Z")).clock().instant();
        assertTrue(!now.isBefore(java.time.Instant.parse("2026-12-31T20:00:00Z"))
                && now.isBefore(java.time.Instant.parse("2026-12-31T21:00:00Z")), now.toString());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> LocalMode.Settings.fromEnvironment(Map.of("LOCAL_NOW", "2026-12-31")));
        assertEquals("LOCAL_NOW must be an ISO instant such as 2026-12-31T20:00:00Z, not \"2026-12-31\"", refused.getMessage());
    }

    @Test
    void retryDelaySecondsReplacesTheWorkersVariableWithinItsRange() {
        assertEquals(Map.of(), LocalMode.Settings.fromEnvironment(Map.of()).environment(), "the template's 10 s");
        assertEquals(Map.of("RETRY_DELAY_SECONDS", "1"), LocalMode.Settings.fromEnvironment(Map.of("RETRY_DELAY_SECONDS", " 1")).environment());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> LocalMode.Settings.fromEnvironment(Map.of("RETRY_DELAY_SECONDS", "901")));
        assertEquals("RETRY_DELAY_SECONDS must be a whole number from 0 to 900, not \"901\"", refused.getMessage());
    }
}
