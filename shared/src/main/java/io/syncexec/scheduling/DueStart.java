package io.syncexec.scheduling;

import java.time.Instant;

/**
 * The start queue's message: start the scheduled default run of a sync for its due instant
 * {@code dueAt}. {@code next} is the due instant the tick moved the sync to when it claimed it,
 * {@code tick} the time of that tick: a (sync, due instant) is claimed once, so the run's id
 * derived from (sync, tick) is the same for every delivery of this message, and time-ordered.
 */
public record DueStart(String clientId, String syncId, Instant dueAt, Instant next, Instant tick) {
}
