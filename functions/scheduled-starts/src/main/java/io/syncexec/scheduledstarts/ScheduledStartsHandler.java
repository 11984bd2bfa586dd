package io.syncexec.scheduledstarts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.syncexec.aws.TransientFailures;
import io.syncexec.dynamodb.DynamoDbStores;
import io.syncexec.eventbridge.EventBridgeStatusEvents;
import io.syncexec.lambda.FunctionEnvironment;
import io.syncexec.lambda.Wiring;
import io.syncexec.scheduling.DueStart;
import io.syncexec.scheduling.ScheduledStarts;
import io.syncexec.sfn.StepFunctionsWorkflow;

import java.util.ArrayList;
import java.util.List;

/**
 * The start queue's consumer (SQS event source, batch ≤ 10, {@code ReportBatchItemFailures},
 * {@code MaximumConcurrency} in the template): starts the scheduled default run of each due sync
 * and reports only the messages to deliver again, so one sync's failure never holds up another.
 */
public final class ScheduledStartsHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final ScheduledStarts service;

    public ScheduledStartsHandler() {
        this(FunctionEnvironment.onLambda(System.getenv()));
    }

    /**
     * The function with this environment: on Lambda the process's ({@link #ScheduledStartsHandler()}); the local
     * runtime gives each function its own, as Lambda does.
     */
    public ScheduledStartsHandler(FunctionEnvironment environment) {
        Wiring wiring = Wiring.of(environment)
                .stores(DynamoDbStores::new).workflow(StepFunctionsWorkflow::new).statusEvents(EventBridgeStatusEvents::new)
                .transientFailures(TransientFailures::isTransient)
                .primeReads();
        this.service = wiring.scheduledStarts();
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<ScheduledStarts.Delivery> deliveries = new ArrayList<>();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            DueStart start;
            try {
                start = DueStart.fromJson(message.getBody());
            } catch (RuntimeException unreadable) {
                // Not a start this code wrote: after the queue's retries it rests in the DLQ.
                failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
                continue;
            }
            deliveries.add(new ScheduledStarts.Delivery(message.getMessageId(), start));
        }
        for (String id : service.start(deliveries).retry()) {
            failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build());
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
