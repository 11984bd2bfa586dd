package io.syncexec.workflow;

import io.syncexec.error.ErrorCode;
import io.syncexec.error.SyncException;
import io.syncexec.execution.ExecutionService;
import io.syncexec.sync.Client;
import io.syncexec.sync.ClientRepository;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncRepository;

import java.time.Instant;

/**
 * One tick of the schedule: a DEFAULT execution for every sync whose schedule is enabled. A sync
 * with an active execution is skipped and counted; a tick delivered twice starts nothing twice.
 */
public final class ScheduleService {
    /** What a tick did. */
    public record Tick(int started, int skippedActive, int alreadyStarted, int failed) {
    }

    private final ClientRepository clients;
    private final SyncRepository syncs;
    private final ExecutionService executions;

    public ScheduleService(ClientRepository clients, SyncRepository syncs, ExecutionService executions) {
        this.clients = clients;
        this.syncs = syncs;
        this.executions = executions;
    }

    public Tick tick(Instant tick) {
        int started = 0;
        int active = 0;
        int duplicate = 0;
        int failed = 0;
        for (Client client : clients.all()) {
            for (Sync sync : syncs.list(client.clientId())) {
                if (!sync.scheduleEnabled()) {
                    continue;
                }
                try {
                    if (executions.createScheduled(sync, tick).isPresent()) {
                        started++;
                    } else {
                        duplicate++;
                    }
                } catch (SyncException e) {
                    if (e.code() == ErrorCode.EXECUTION_IN_PROGRESS) {
                        active++;
                    } else {
                        failed++;
                    }
                }
            }
        }
        return new Tick(started, active, duplicate, failed);
    }
}
