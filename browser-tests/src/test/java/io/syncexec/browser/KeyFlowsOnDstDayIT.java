package io.syncexec.browser;

import java.time.Instant;

/**
 * The key flows with the local mode on 28 March 2027 at noon in Paris, the day its clocks go
 * forward (a 23-hour day; the syncs' zone here).
 */
class KeyFlowsOnDstDayIT extends KeyFlows {

    @Override
    protected Instant startAt() {
        return Instant.parse("2027-03-28T10:00:00Z");
    }
}
