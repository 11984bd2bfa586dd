package io.syncexec.schedule;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.aws.Priming;
import io.syncexec.aws.Wiring;
import io.syncexec.json.Json;
import io.syncexec.sync.SyncRepository;
import io.syncexec.workflow.ScheduleService;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;

/**
 * EventBridge schedule, a heartbeat: finds the syncs whose scheduled run is due and enqueues their
 * starts (the ScheduledStartsFunction starts them). Reads the event's {@code time} itself (the
 * library's {@code ScheduledEvent} would bring Joda-Time into the jar for one field).
 */
public final class ScheduledRunsHandler implements RequestStreamHandler {
    private final ScheduleService service;

    public ScheduledRunsHandler() {
        this(productionService());
    }

    public ScheduledRunsHandler(ScheduleService service) {
        this.service = service;
    }

    private static ScheduleService productionService() {
        Wiring wiring = Wiring.production();
        // SnapStart: before the snapshot, read a sync that does not exist (Jackson, the DynamoDB client, signing).
        SyncRepository syncs = wiring.syncs();
        Priming.register(() -> syncs.get(Priming.NO_SUCH_ID, Priming.NO_SUCH_ID));
        return new ScheduleService(syncs, wiring.startQueue());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        // The tick's own time, not the invocation's: a tick delivered twice is the same tick.
        String time = event.path("time").asText(null);
        Instant tick = time == null ? Instant.now() : Instant.parse(time);
        // Stop reading the due index 20 s before the timeout: what is left stays due for the next heartbeat.
        Json.MAPPER.writeValue(output, service.tick(tick, () -> context == null || context.getRemainingTimeInMillis() > 20_000));
    }
}
