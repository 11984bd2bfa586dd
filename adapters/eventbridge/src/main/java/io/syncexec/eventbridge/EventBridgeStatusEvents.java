package io.syncexec.eventbridge;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncexec.aws.AwsClients;
import io.syncexec.execution.Execution;
import io.syncexec.execution.StatusEvents;
import io.syncexec.json.Json;
import io.syncexec.lambda.Config;
import io.syncexec.observability.Log;
import io.syncexec.sync.Change;
import io.syncexec.sync.Sync;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Status changes on the default event bus: {@code source: "sync-executions"},
 * {@code detail-type: "Sync Execution Status Change"}, one {@code PutEvents} entry per change. The
 * detail (docs/events.md) carries ids, mode, trigger, status, counts and who requested and
 * confirmed: no plan, no outcomes, nothing secret.
 */
public final class EventBridgeStatusEvents implements StatusEvents {
    private final Supplier<EventBridgeClient> client;
    private final String busName;
    private final Log log;

    /** @param log where a refused or failed event is told (the function's clock) */
    /**
     * On the default bus, with a client of its own ({@link AwsClients}), logging on the function's clock.
     */
    public EventBridgeStatusEvents(Config config, Clock clock) {
        this(AwsClients.onFirstUse(EventBridgeClient::builder, "EVENTBRIDGE", config), null,
                Log.of("status-events", Log.STANDARD_OUTPUT, clock));
    }

    public EventBridgeStatusEvents(Supplier<EventBridgeClient> client, String busName, Log log) {
        this.client = client;
        this.busName = busName;
        this.log = log;
    }

    @Override
    public void publish(Execution execution) {
        try {
            PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                    .eventBusName(busName)
                    .source(SOURCE)
                    .detailType(DETAIL_TYPE)
                    .resources(List.of())
                    .detail(Json.MAPPER.writeValueAsString(detail(execution)))
                    .build();
            PutEventsResponse response = client.get().putEvents(r -> r.entries(entry));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                log.warn("status-event.refused", "executionId", execution.executionId(), "status", execution.status(),
                        "error", response.entries().get(0).errorCode());
            }
        } catch (SdkException | JsonProcessingException e) {
            log.warn("status-event.failed", "executionId", execution.executionId(), "status", execution.status(),
                    "error", e.getClass().getSimpleName());
        }
    }

    /** The event's detail: see docs/events.md. */
    public static Map<String, Object> detail(Execution e) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("executionId", e.executionId());
        detail.put("clientId", e.clientId());
        detail.put("syncId", e.syncId());
        detail.put("status", e.status());
        detail.put("mode", e.mode());
        detail.put("reimport", e.reimport());
        detail.put("trigger", e.trigger());
        detail.put("requestedBy", e.requestedBy());
        detail.put("createdAt", e.createdAt());
        detail.put("finishedAt", e.finishedAt());
        detail.put("progress", e.progress());
        detail.put("confirmation", e.confirmation());
        detail.put("cancellation", e.cancellation());
        detail.put("error", e.error());
        return detail;
    }
}
