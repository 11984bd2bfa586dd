package io.syncexec.local.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleExpressionTest {

    @ParameterizedTest
    @CsvSource({
            "rate(1 minute), PT1M",
            "rate(5 minutes), PT5M",
            "rate(1 hour), PT1H",
            "rate(12 hours), PT12H",
            "rate(1 day), PT24H",
            "rate(7 days), PT168H",
            "rate(1440 minutes), PT24H",
    })
    void rateExpressionsAreAcceptedAsEventBridgeAcceptsThem(String expression, Duration period) {
        ScheduleExpression parsed = ScheduleExpression.parse(expression);
        assertEquals(period, parsed.period());
        assertEquals(expression, parsed.text());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "rate(1 hours)   | a value of 1 takes the singular unit: rate(1 hour)",
            "rate(1 minutes) | a value of 1 takes the singular unit: rate(1 minute)",
            "rate(5 hour)    | a value over 1 takes the plural unit: rate(5 hours)",
            "rate(2 day)     | a value over 1 takes the plural unit: rate(2 days)",
            "rate(0 minutes) | the value must be a positive whole number without leading zeros, not \"0\"",
            "rate(-1 hours)  | the value must be a positive whole number without leading zeros, not \"-1\"",
            "rate(1.5 hours) | the value must be a positive whole number without leading zeros, not \"1.5\"",
            "rate(05 hours)  | the value must be a positive whole number without leading zeros, not \"05\"",
            "rate(1 week)    | the unit must be one of minute, minutes, hour, hours, day, days, not \"week\"",
            "rate(2 seconds) | the unit must be one of minute, minutes, hour, hours, day, days, not \"seconds\"",
            "rate(1 Hour)    | the unit must be one of minute, minutes, hour, hours, day, days, not \"Hour\"",
            "rate(1  hour)   | expected a value and a unit separated by one space",
            "rate(hour)      | expected a value and a unit separated by one space",
            "rate(1 hour     | expected rate(value unit)",
            "every hour      | expected rate(value unit)",
            "RATE(1 hour)    | expected rate(value unit)",
            "rate(99999999999999999999 days) | the value 99999999999999999999 is too large",
    })
    void anythingElseIsRefusedNamingTheExpressionAndWhy(String expression, String why) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse(expression));
        assertTrue(refused.getMessage().startsWith("Schedule expression \"" + expression + "\" is not valid: "), refused.getMessage());
        assertTrue(refused.getMessage().contains(why), refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cron(0 12 * * ? *)", "cron(0/15 * * * ? *)"})
    void cronExpressionsAreRefusedPointingAtRateOrTheManualTrigger(String expression) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse(expression));
        assertTrue(refused.getMessage().contains("\"" + expression + "\""), refused.getMessage());
        assertTrue(refused.getMessage().contains("use a rate() expression locally"), refused.getMessage());
        assertTrue(refused.getMessage().contains("POST /local/schedule"), refused.getMessage());
    }

    @Test
    void anEmptyExpressionIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse(" ")).getMessage()
                .contains("empty"));
        assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse(null));
    }
}
