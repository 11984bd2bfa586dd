package io.syncexec.sync;

/**
 * One field of a client or sync definition that a change set: its path in the definition (e.g.
 * {@code schedule.settleMinutes}, {@code connector.config.sourceUrl}), the value before and after
 * (null: absent). A connector secret shows as "set" / "not set" before and "changed" / "not set"
 * after, never its value.
 */
public record FieldChange(String field, Object from, Object to) {
}
