package io.syncexec.stepfunctions.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {

    @Test
    void runsDueActionsInTimeOrderAndOnlyWhenAdvanced() {
        VirtualScheduler clock = new VirtualScheduler(Instant.EPOCH);
        List<String> ran = new ArrayList<>();
        clock.schedule(Duration.ofHours(24), () -> ran.add("day"));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("second"));
        Scheduler.Cancellable cancelled = clock.schedule(Duration.ofSeconds(2), () -> ran.add("cancelled"));
        cancelled.cancel();

        clock.advance(Duration.ofHours(23));
        assertEquals(List.of("second"), ran);
        assertEquals(Instant.EPOCH.plus(Duration.ofHours(23)), clock.now());

        clock.advanceToNext();
        assertEquals(List.of("second", "day"), ran);
        assertEquals(Instant.EPOCH.plus(Duration.ofHours(24)), clock.now());
        assertEquals(0, clock.pending());
    }
}
