package io.syncexec.sync;

import java.util.List;

/**
 * The audit trail of admins' saves: one {@link Change} per version of a client or a sync, its
 * {@code subject} ({@link #ofClient}, {@link #ofSync}).
 */
public interface ChangeLog {
    /** The subject of a sync's changes. */
    static String ofSync(String clientId, String syncId) {
        return "#changes#" + clientId + "#" + syncId;
    }

    /** The subject of a client's changes. */
    static String ofClient(String clientId) {
        return "#changes#" + clientId;
    }

    /** A page of changes, newest first, and the version the next page starts below (null after the last). */
    record Page(List<Change> changes, Long nextBelow) {
    }

    /** Records the change that made {@code change.version()} of {@code subject}. */
    void record(String subject, Change change);

    /** Up to {@code limit} changes of {@code subject} below version {@code below} (null: from the newest), newest first. */
    Page page(String subject, int limit, Long below);
}
