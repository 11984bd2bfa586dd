package io.syncexec.scheduling;

import io.syncexec.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The start queue's message: start the scheduled default run of a sync for its due instant
 * {@code dueAt}. {@code next} is the due instant the tick moved the sync to when it claimed it,
 * {@code tick} the time of that tick: a (sync, due instant) is claimed once, so the run's id
 * derived from (sync, tick) is the same for every delivery of this message, and time-ordered.
 */
public record DueStart(String clientId, String syncId, Instant dueAt, Instant next, Instant tick) {
    /** The message's body. */
    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A message's body read back. */
    public static DueStart fromJson(String body) {
        try {
            return Json.MAPPER.readValue(body, DueStart.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
