package io.syncexec.sync;

import java.time.Instant;

/**
 * The version of a client or a sync definition and who made it, when: the version grows by one with
 * each change (a conditional write), so an edit based on an older version is refused instead of
 * overwriting a change its author never saw.
 *
 * @param version 0 for a definition that was never changed through the API (it does not exist, or predates versions)
 */
public record Revision(long version, String by, Instant at) {
    public static final Revision NONE = new Revision(0, null, null);
}
