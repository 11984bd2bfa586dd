package io.syncexec.scheduledruns;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.aws.TransientFailures;
import io.syncexec.dynamodb.DynamoDbStores;
import io.syncexec.eventbridge.EventBridgeStatusEvents;
import io.syncexec.execution.RunTelemetry;
import io.syncexec.execution.Sweeper;
import io.syncexec.json.Json;
import io.syncexec.lambda.FunctionEnvironment;
import io.syncexec.lambda.Priming;
import io.syncexec.lambda.Wiring;
import io.syncexec.observability.Correlation;
import io.syncexec.scheduling.ScheduleService;
import io.syncexec.sqs.SqsStartQueue;
import io.syncexec.sfn.StepFunctionsWorkflow;
import io.syncexec.sync.SyncRepository;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * EventBridge schedule, a heartbeat: finds the syncs whose scheduled run is due and enqueues their
 * starts (the ScheduledStartsFunction starts them). Reads the event's {@code time} itself (the
 * library's {@code ScheduledEvent} would bring Joda-Time into the jar for one field).
 */
public final class ScheduledRunsHandler implements RequestStreamHandler {
    private final ScheduleService service;
    private final Sweeper sweeper;
    private final RunTelemetry telemetry;
    private final Clock clock;

    public ScheduledRunsHandler() {
        this(FunctionEnvironment.onLambda(System.getenv()));
    }

    /**
     * The function with this environment: on Lambda the process's ({@link #ScheduledRunsHandler()}); the local
     * runtime gives each function its own, as Lambda does.
     */
    public ScheduledRunsHandler(FunctionEnvironment environment) {
        Wiring wiring = Wiring.of(environment)
                .stores(DynamoDbStores::new).workflow(StepFunctionsWorkflow::new).startQueue(SqsStartQueue::new)
                .statusEvents(EventBridgeStatusEvents::new).transientFailures(TransientFailures::isTransient);
        this.service = wiring.scheduleService();
        this.sweeper = wiring.sweeper().withTelemetry(wiring.telemetry("sweeper"));
        this.telemetry = wiring.telemetry("schedule");
        this.clock = wiring.clock();
        // SnapStart: before the snapshot, read a sync that does not exist (Jackson, the DynamoDB client, signing).
        SyncRepository syncs = wiring.syncs();
        wiring.prime(() -> syncs.get(Priming.NO_SUCH_ID, Priming.NO_SUCH_ID));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Json.MAPPER.readTree(input);
        // The tick's own time, not the invocation's: a tick delivered twice is the same tick.
        String time = event.path("time").asText(null);
        Instant tick = time == null ? clock.instant() : Instant.parse(time);
        // The tick's correlation id; the start queue's consumer binds the same one ("schedule-<tick>") for the runs it starts.
        String correlationId = "schedule-" + tick;
        // Stop reading the due index 20 s before the timeout: what is left stays due for the next heartbeat.
        ScheduleService.Tick done = Correlation.supply(correlationId,
                () -> service.tick(tick, () -> context == null || context.getRemainingTimeInMillis() > 20_000));
        Correlation.run(correlationId, () -> telemetry.tick(done.enqueued(), done.failed().size(),
                Map.of("tick", tick.toString(), "due", done.due(), "complete", done.complete())));
        ObjectNode result = Json.MAPPER.valueToTree(done);
        // After the tick, each tick ends the runs that can no longer end by themselves (SPEC invariant 9).
        // A sweep that fails does not fail the tick (its starts are done); the next tick sweeps again.
        try {
            result.set("sweep", Json.MAPPER.valueToTree(sweeper.sweep()));
        } catch (RuntimeException e) {
            result.putObject("sweep").put("error", e.getClass().getSimpleName());
        }
        Json.MAPPER.writeValue(output, result);
    }
}
