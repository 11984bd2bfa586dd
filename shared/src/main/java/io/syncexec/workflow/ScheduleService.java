package io.syncexec.workflow;

import io.syncexec.error.ErrorCode;
import io.syncexec.error.SyncException;
import io.syncexec.execution.ExecutionService;
import io.syncexec.json.Json;
import io.syncexec.observability.Log;
import io.syncexec.sync.Client;
import io.syncexec.sync.ClientRepository;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncRepository;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One tick of the schedule: a DEFAULT execution for every sync whose schedule is enabled. A sync
 * with an active execution is skipped and counted; a tick delivered twice starts nothing twice.
 * Syncs are isolated: one that cannot start (a bad definition, a backing service failing for it)
 * is logged and reported in the tick's result, and every other sync still starts.
 */
public final class ScheduleService {
    private static final Log LOG = Log.of("schedule");

    /** What a tick did; {@code failed} names each sync that could not start and why. */
    public record Tick(int started, int skippedActive, int alreadyStarted, List<Failure> failed) {
        public Tick {
            failed = List.copyOf(failed);
        }
    }

    /** A sync the tick could not start: {@code code} is the API's error code for the failure. */
    public record Failure(String clientId, String syncId, String code) {
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
        List<Failure> failed = new ArrayList<>();
        for (Client client : clients.all()) {
            List<Sync> clientSyncs;
            try {
                clientSyncs = syncs.list(client.clientId());
            } catch (RuntimeException e) {
                failed.add(failure(tick, client.clientId(), null, e));
                continue;
            }
            for (Sync sync : clientSyncs) {
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
                        failed.add(failure(tick, sync.clientId(), sync.syncId(), e));
                    }
                } catch (RuntimeException e) {
                    failed.add(failure(tick, sync.clientId(), sync.syncId(), e));
                }
            }
        }
        return new Tick(started, active, duplicate, failed);
    }

    /** The API's code for a failure: a backing service throttled, failed or did not answer is worth retrying. */
    private static ErrorCode code(RuntimeException e) {
        if (e instanceof SyncException sync) {
            return sync.code();
        }
        if (e instanceof AwsServiceException service && (service.isThrottlingException() || service.statusCode() >= 500)
                || e instanceof SdkClientException) {
            return ErrorCode.SERVICE_UNAVAILABLE;
        }
        return ErrorCode.INTERNAL_ERROR;
    }

    /** One JSON log line per sync that failed (never a stack trace), and its entry in the tick's result. */
    private static Failure failure(Instant tick, String clientId, String syncId, RuntimeException e) {
        String code = code(e).name();
        String message = e.getClass().getSimpleName() + ": " + e.getMessage();
        LOG.error("schedule.sync-failed", "tick", tick.toString(), "clientId", clientId, "syncId", syncId, "code", code,
                "error", message.length() > 200 ? message.substring(0, 200) + "…" : message);
        return new Failure(clientId, syncId, code);
    }
}
