package io.syncexec.connector;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code Retry-After} as RFC 9110 writes it: seconds, or an HTTP date. */
class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-12-31T23:59:50Z");

    @Test
    void secondsAreReadAsTheyAre() {
        assertEquals(Duration.ofSeconds(20), RetryAfter.parse("20", NOW));
        assertEquals(Duration.ZERO, RetryAfter.parse(" 0 ", NOW));
        assertEquals(Duration.ofSeconds(3600), RetryAfter.parse("3600", NOW));
    }

    @Test
    void anHttpDateIsTheWaitUntilThenAcrossTheYearsEnd() {
        assertEquals(Duration.ofSeconds(30), RetryAfter.parse("Fri, 01 Jan 2027 00:00:20 GMT", NOW));
        assertEquals(Duration.ZERO, RetryAfter.parse("Thu, 31 Dec 2026 23:00:00 GMT", NOW), "a date already past waits nothing");
    }

    @Test
    void anythingElseIsNoRetryAfter() {
        assertNull(RetryAfter.parse(null, NOW));
        assertNull(RetryAfter.parse("", NOW));
        assertNull(RetryAfter.parse("soon", NOW));
        assertNull(RetryAfter.parse("-5", NOW));
        assertNull(RetryAfter.parse("1.5", NOW));
        assertNull(RetryAfter.parse("99999999999999999999", NOW));
    }
}
