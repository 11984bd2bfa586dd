package io.syncexec.sync;

import java.time.Instant;

/**
 * Why a sync is paused, by whom and since when: a paused sync starts no run, scheduled or manual
 * ({@code 409 SYNC_PAUSED}); a run already active goes on.
 */
public record SyncPause(String reason, String by, Instant at) {
    public static final int MAX_REASON_LENGTH = 500;
}
