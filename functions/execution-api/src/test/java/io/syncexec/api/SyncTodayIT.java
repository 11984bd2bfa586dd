package io.syncexec.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.syncexec.api.ApiHarness.admin;
import static io.syncexec.standins.ApiClient.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * "Today" is the sync's date in its own time zone, told by the server: at 2026-12-31T20:00:00Z it is
 * already 1 January 2027 in Auckland and still 31 December in New York and Paris.
 */
class SyncTodayIT extends OwnClientIT {
    private static final Instant NEW_YEARS_EVE = Instant.parse("2026-12-31T20:00:00Z");

    @Override
    protected void beforeTheClient(ApiHarness harness) {
        harness.clock.advance(Duration.between(ApiHarness.NOW, NEW_YEARS_EVE));
    }

    @BeforeEach
    void threeZones() {
        for (String[] sync : new String[][]{{"auckland", "Pacific/Auckland"}, {"newyork", "America/New_York"}, {"paris", "Europe/Paris"}}) {
            expect(201, api.call("PUT", base + "/" + sync[0], """
                    {"name":"%s","timezone":"%s","firstDate":"2026-12-28","supportsPeriodExecution":true,
                     "connector":{"type":"demo"}}""".formatted(sync[0], sync[1]), admin()));
        }
    }

    private JsonNode get(String path) {
        return expect(200, api.call("GET", base + path, null, op)).json();
    }

    @Test
    void theSyncAndItsLedgerSayTheSyncsOwnToday() {
        assertEquals("2027-01-01", get("/auckland").path("today").asText());
        assertEquals("2026-12-31", get("/auckland").path("lastCompleteDate").asText());
        assertEquals("2026-12-31", get("/newyork").path("today").asText());
        assertEquals("2026-12-30", get("/newyork").path("lastCompleteDate").asText());
        assertEquals("2026-12-31", get("/paris").path("today").asText());

        assertEquals("2027-01-01", get("/auckland/ledger?from=2026-12-01&to=2026-12-31").path("today").asText());
        assertEquals("2026-12-31", get("/newyork/ledger").path("today").asText());
        assertEquals("2026-12-30", get("/newyork/ledger").path("to").asText(), "the default ledger ends on the last complete date");
    }

    @Test
    void aDefaultRunPlansUpToYesterdayInTheSyncsZone() {
        JsonNode auckland = expect(202, api.call("POST", base + "/auckland/executions", "{\"mode\":\"DEFAULT\"}", op)).json().path("plan");
        assertEquals(4, auckland.path("datesCount").asInt(), "28 to 31 December");
        assertEquals("2026-12-31", auckland.path("dates").get(3).asText());

        JsonNode paris = expect(202, api.call("POST", base + "/paris/executions", "{\"mode\":\"DEFAULT\"}", op)).json().path("plan");
        assertEquals(3, paris.path("datesCount").asInt(), "28 to 30 December");
        assertEquals("2026-12-30", paris.path("dates").get(2).asText());
    }
}
