package io.syncexec.importer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.syncexec.dynamodb.DynamoDbStores;
import io.syncexec.json.Json;
import io.syncexec.lambda.FunctionEnvironment;
import io.syncexec.lambda.Priming;
import io.syncexec.lambda.Wiring;
import io.syncexec.sqs.SqsImportQueue;
import io.syncexec.sfn.StepFunctionsWorkflow;
import io.syncexec.workflow.ImportService.Delivery;
import io.syncexec.workflow.ImportService;

import java.util.List;
import java.util.Map;

/**
 * SQS event source (batch ≤ 10, {@code ReportBatchItemFailures}): imports one date per message
 * and reports the messages to deliver again, so one bad message never fails its whole batch.
 */
public final class ImportWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final ImportService service;

    public ImportWorkerHandler() {
        this(FunctionEnvironment.onLambda(System.getenv()));
    }

    /**
     * The function with this environment: on Lambda the process's ({@link #ImportWorkerHandler()}); the local
     * runtime gives each function its own, as Lambda does.
     */
    public ImportWorkerHandler(FunctionEnvironment environment) {
        Wiring wiring = Wiring.of(environment)
                .stores(DynamoDbStores::new).workflow(StepFunctionsWorkflow::new).importQueue(SqsImportQueue::new);
        this.service = wiring.importService();
        // SnapStart: before the snapshot, one message for an execution that does not exist runs
        // the batch path once (parsing, a DynamoDB GetItem); it writes nothing and sends nothing.
        wiring.prime(() -> {
            SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
            message.setMessageId(Priming.NO_SUCH_ID);
            message.setReceiptHandle(Priming.NO_SUCH_ID);
            message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
            message.setBody(Json.MAPPER.createObjectNode().put("clientId", Priming.NO_SUCH_ID).put("syncId", Priming.NO_SUCH_ID)
                    .put("executionId", Priming.NO_SUCH_ID).put("date", "2000-01-01").toString());
            SQSEvent event = new SQSEvent();
            event.setRecords(List.of(message));
            handleRequest(event, null);
        });
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<Delivery> deliveries = event.getRecords().stream().map(ImportWorkerHandler::delivery).toList();
        // Lambda's own clock of this invocation: a date is taken only while one more fits before the function's timeout.
        ImportService.TimeLeft timeLeft = context == null ? ImportService.TimeLeft.UNLIMITED : context::getRemainingTimeInMillis;
        List<SQSBatchResponse.BatchItemFailure> failures = service.importBatch(deliveries, timeLeft).stream()
                .map(id -> SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(id).build())
                .toList();
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private static Delivery delivery(SQSEvent.SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        return new Delivery(message.getMessageId(), message.getReceiptHandle(), message.getBody(),
                count == null ? 1 : Integer.parseInt(count));
    }
}
