package io.syncexec.connector;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** HTTP's {@code Retry-After} (RFC 9110 §10.2.3): delay-seconds or an HTTP date. */
public final class RetryAfter {
    private RetryAfter() {
    }

    /**
     * How long {@code value} asks to wait from {@code now}: zero for a date already past, null for
     * no header or one that is neither a number of seconds nor an HTTP date (then the caller backs off).
     */
    public static Duration parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.chars().allMatch(Character::isDigit)) {
            // Up to ten digits: anything longer is a typo of a date; a day is more than any pause anyway.
            return text.length() > 10 ? null : Duration.ofSeconds(Long.parseLong(text));
        }
        try {
            Instant until = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return until.isAfter(now) ? Duration.between(now, until) : Duration.ZERO;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
