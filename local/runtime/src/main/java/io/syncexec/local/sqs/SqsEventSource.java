package io.syncexec.local.sqs;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.syncexec.local.template.FunctionEvent.QueueTrigger;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

/**
 * An SQS event source mapping, as Lambda runs one: pollers long-poll the queue, hand each batch to
 * the function as an {@link SQSEvent}, then delete the messages that succeeded. With
 * {@code ReportBatchItemFailures}, the messages named in {@code batchItemFailures} stay (they come back
 * after their visibility timeout); a response naming a message not in the batch fails the whole batch.
 * A handler that throws fails the whole batch: nothing is deleted. Redrive to the DLQ after
 * maxReceiveCount is the queue's own business.
 */
public final class SqsEventSource implements AutoCloseable {

    /** The function behind the mapping; its response may be null when it does not report item failures. */
    @FunctionalInterface
    public interface BatchHandler {
        SQSBatchResponse handle(SQSEvent event);
    }

    private static final int WAIT_TIME_SECONDS = 1;
    private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(1);

    private final SqsClient sqs;
    private final String functionName;
    private final QueueTrigger trigger;
    private final String region;
    private final BatchHandler handler;
    private final PrintStream log;
    private final ExecutorService pollers;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Duration closeTimeout;

    private SqsEventSource(SqsClient sqs, String functionName, QueueTrigger trigger, BatchHandler handler, int pollerCount,
                           Duration closeTimeout, PrintStream log) {
        this.sqs = sqs;
        this.functionName = functionName;
        this.trigger = trigger;
        this.region = trigger.queueArn().split(":")[3];
        this.handler = handler;
        this.closeTimeout = closeTimeout;
        this.log = log;
        AtomicInteger count = new AtomicInteger();
        this.pollers = Executors.newFixedThreadPool(pollerCount, runnable -> {
            Thread thread = new Thread(runnable, "sqs-" + functionName + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts {@code pollers} pollers on {@code trigger}'s queue for function {@code functionName}.
     * {@link #close()} waits up to {@code closeTimeout} (the function's timeout, say) for batches in flight.
     * Failures of the handler or of SQS are logged to {@code log}, one line each.
     */
    public static SqsEventSource start(SqsClient sqs, String functionName, QueueTrigger trigger, BatchHandler handler,
                                       int pollers, Duration closeTimeout, PrintStream log) {
        if (pollers < 1) {
            throw new IllegalArgumentException("pollers must be at least 1, got " + pollers);
        }
        SqsEventSource source = new SqsEventSource(sqs, functionName, trigger, handler, pollers, closeTimeout, log);
        for (int i = 0; i < pollers; i++) {
            source.pollers.execute(source::poll);
        }
        return source;
    }

    public QueueTrigger trigger() {
        return trigger;
    }

    /** Stops polling and waits for the batches in flight to be handled and deleted. */
    @Override
    public void close() {
        stopping.countDown();
        pollers.shutdown();
        try {
            if (!pollers.awaitTermination(closeTimeout.toMillis() + WAIT_TIME_SECONDS * 1000L, TimeUnit.MILLISECONDS)) {
                log.println("[" + functionName + "] event source " + trigger.name() + ": a batch was still running at close");
                pollers.shutdownNow();
            }
        } catch (InterruptedException e) {
            pollers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private boolean running() {
        return stopping.getCount() > 0;
    }

    private void poll() {
        while (running()) {
            try {
                List<Message> messages = sqs.receiveMessage(ReceiveMessageRequest.builder()
                        .queueUrl(trigger.queueUrl())
                        .maxNumberOfMessages(trigger.batchSize())
                        .waitTimeSeconds(WAIT_TIME_SECONDS)
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")
                        .build()).messages();
                if (!messages.isEmpty()) {
                    handleBatch(messages);
                }
            } catch (SdkException e) {
                if (running()) {
                    log.println("[" + functionName + "] event source " + trigger.name() + ": " + e.getMessage());
                    pauseAfterError();
                }
            }
        }
    }

    private void handleBatch(List<Message> messages) {
        SQSBatchResponse response;
        try {
            response = handler.handle(event(messages));
        } catch (RuntimeException | Error e) { // the function failed: the whole batch comes back
            log.println("[" + functionName + "] batch of " + messages.size() + " failed: " + e);
            return;
        }
        Set<String> failed = failedMessageIds(response, messages);
        if (failed == null) {
            log.println("[" + functionName + "] batch of " + messages.size()
                    + " failed: batchItemFailures names a message that is not in the batch");
            return;
        }
        List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            if (!failed.contains(message.messageId())) {
                deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i)).receiptHandle(message.receiptHandle()).build());
            }
        }
        if (!deletes.isEmpty()) {
            DeleteMessageBatchResponse deleted = sqs.deleteMessageBatch(request -> request.queueUrl(trigger.queueUrl()).entries(deletes));
            deleted.failed().forEach(failure -> log.println("[" + functionName + "] could not delete message "
                    + messages.get(Integer.parseInt(failure.id())).messageId() + ": " + failure.message()));
        }
    }

    /** The ids to keep; null when the response is invalid (an id not in the batch), which fails the whole batch. */
    private Set<String> failedMessageIds(SQSBatchResponse response, List<Message> messages) {
        Set<String> failed = new HashSet<>();
        if (!trigger.reportBatchItemFailures() || response == null || response.getBatchItemFailures() == null) {
            return failed;
        }
        Set<String> inBatch = new HashSet<>();
        messages.forEach(message -> inBatch.add(message.messageId()));
        for (SQSBatchResponse.BatchItemFailure failure : response.getBatchItemFailures()) {
            if (failure == null || !inBatch.contains(failure.getItemIdentifier())) {
                return null;
            }
            failed.add(failure.getItemIdentifier());
        }
        return failed;
    }

    private SQSEvent event(List<Message> messages) {
        List<SQSEvent.SQSMessage> records = new ArrayList<>();
        for (Message message : messages) {
            SQSEvent.SQSMessage record = new SQSEvent.SQSMessage();
            record.setMessageId(message.messageId());
            record.setReceiptHandle(message.receiptHandle());
            record.setBody(message.body());
            record.setAttributes(new HashMap<>(message.attributesAsStrings()));
            record.setMessageAttributes(messageAttributes(message.messageAttributes()));
            record.setMd5OfBody(message.md5OfBody());
            record.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
            record.setEventSource("aws:sqs");
            record.setEventSourceArn(trigger.queueArn());
            record.setAwsRegion(region);
            records.add(record);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(records);
        return event;
    }

    private static Map<String, SQSEvent.MessageAttribute> messageAttributes(Map<String, MessageAttributeValue> attributes) {
        Map<String, SQSEvent.MessageAttribute> converted = new HashMap<>();
        attributes.forEach((name, value) -> {
            SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
            attribute.setDataType(value.dataType());
            attribute.setStringValue(value.stringValue());
            if (value.binaryValue() != null) {
                attribute.setBinaryValue(value.binaryValue().asByteBuffer());
            }
            attribute.setStringListValues(value.stringListValues());
            attribute.setBinaryListValues(value.binaryListValues().stream().map(bytes -> bytes.asByteBuffer()).toList());
            converted.put(name, attribute);
        });
        return converted;
    }

    /** After SQS failed (e.g. while the stand-ins stop), wait a little, or until closed. */
    private void pauseAfterError() {
        try {
            stopping.await(RETRY_AFTER_ERROR.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.countDown();
        }
    }
}
