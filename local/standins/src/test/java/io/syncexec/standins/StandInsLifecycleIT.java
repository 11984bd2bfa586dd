package io.syncexec.standins;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StandInsLifecycleIT {

    @Test
    void closeLeavesNoNodeProcessBehind() {
        long start = System.nanoTime();
        StandIns standIns = StandIns.start(RepositoryRoot.find());
        Duration startup = Duration.ofNanos(System.nanoTime() - start);
        ProcessHandle node = standIns.dynaliteProcess();
        assertTrue(node.isAlive());
        assertTrue(standIns.dynamo().listTables().tableNames().size() > 0);

        standIns.close();

        assertFalse(node.isAlive());
        assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.pid() == node.pid() && p.isAlive()));
        System.out.println("Stand-ins started (dynalite + ElasticMQ + template resources) in " + startup.toMillis() + " ms");
    }

    @Test
    void dynaliteStopsOnClose() {
        long start = System.nanoTime();
        Dynalite dynalite = Dynalite.start(RepositoryRoot.find());
        Duration startup = Duration.ofNanos(System.nanoTime() - start);
        ProcessHandle node = dynalite.process();
        assertTrue(node.isAlive());

        dynalite.close();

        assertFalse(node.isAlive());
        System.out.println("dynalite started in " + startup.toMillis() + " ms");
    }
}
