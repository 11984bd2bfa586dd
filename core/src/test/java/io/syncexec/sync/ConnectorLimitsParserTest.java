package io.syncexec.sync;

import io.syncexec.connector.ConnectorLimits;
import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The sync definition's {@code connector.limits}: defaults, ranges, refusals naming the field. */
class ConnectorLimitsParserTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 30);
    private static final String BODY = """
            {"name":"Orders","timezone":"Europe/Paris","firstDate":"2026-11-01","supportsPeriodExecution":true,
             "connector":{"type":"demo"%s}}""";

    private static Sync parse(String limits) {
        return SyncDefinitionParser.parse("acme", "orders", BODY.formatted(limits), TODAY);
    }

    @Test
    void withoutLimitsASyncImportsFourDatesAtOnceUnpaced() {
        assertEquals(ConnectorLimits.DEFAULT, parse("").limits());
        assertEquals(4, parse(",\"limits\":{}").limits().maxConcurrentDates());
        assertNull(parse(",\"limits\":{\"maxConcurrentDates\":2}").limits().requestsPerMinute());
    }

    @Test
    void limitsAreReadAtTheEdgesOfTheirRanges() {
        assertEquals(new ConnectorLimits(1, 1), parse(",\"limits\":{\"maxConcurrentDates\":1,\"requestsPerMinute\":1}").limits());
        assertEquals(new ConnectorLimits(100, 6000),
                parse(",\"limits\":{\"maxConcurrentDates\":100,\"requestsPerMinute\":6000}").limits());
    }

    @Test
    void limitsOutOfRangeOrOfTheWrongTypeAreRefusedNamingTheField() {
        String[][] cases = {
                {"{\"maxConcurrentDates\":0}", "connector.limits.maxConcurrentDates"},
                {"{\"maxConcurrentDates\":101}", "connector.limits.maxConcurrentDates"},
                {"{\"maxConcurrentDates\":null}", "connector.limits.maxConcurrentDates"},
                {"{\"maxConcurrentDates\":\"4\"}", "connector.limits.maxConcurrentDates"},
                {"{\"maxConcurrentDates\":2.5}", "connector.limits.maxConcurrentDates"},
                {"{\"requestsPerMinute\":0}", "connector.limits.requestsPerMinute"},
                {"{\"requestsPerMinute\":6001}", "connector.limits.requestsPerMinute"},
                {"[4]", "connector.limits"},
                {"null", "connector.limits"},
        };
        for (String[] c : cases) {
            Refusal refused = assertThrows(Refusal.class, () -> parse(",\"limits\":" + c[0]), c[0]);
            assertEquals(Reason.INVALID_REQUEST, refused.reason(), c[0]);
            assertEquals(c[1], refused.details().get("field"), c[0]);
        }
        Refusal unknown = assertThrows(Refusal.class, () -> parse(",\"limits\":{\"burst\":3}"));
        assertEquals(java.util.List.of("connector.limits.burst"), unknown.details().get("fields"));
    }
}
