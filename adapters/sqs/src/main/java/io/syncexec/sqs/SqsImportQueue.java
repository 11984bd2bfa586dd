package io.syncexec.sqs;

import io.syncexec.aws.AwsClients;
import io.syncexec.lambda.Config;
import io.syncexec.workflow.ImportMessage;
import io.syncexec.workflow.ImportQueue;
import io.syncexec.workflow.ImportService.Delivery;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The import queue on SQS: one {@code SendMessageBatch} per {@link #BATCH} messages, and a
 * delivery retried later than the queue's visibility timeout would bring it back.
 */
public final class SqsImportQueue implements ImportQueue {
    /** The longest visibility timeout SQS accepts: 12 hours. */
    private static final int MAX_VISIBILITY_SECONDS = 43_200;

    private final Supplier<SqsClient> sqs;
    private final String queueUrl;

    /** The queue {@code IMPORT_QUEUE_URL}, with a client of its own ({@link AwsClients}). */
    public SqsImportQueue(Config config, Clock clock) {
        this(AwsClients.onFirstUse(SqsClient::builder, "SQS", config), config.importQueueUrl());
    }

    public SqsImportQueue(SqsClient sqs, String queueUrl) {
        this(() -> sqs, queueUrl);
    }

    private SqsImportQueue(Supplier<SqsClient> sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public List<ImportMessage> send(List<ImportMessage> messages) {
        return MessageBatch.send(sqs.get(), queueUrl, messages, ImportMessage::toJson);
    }

    @Override
    public List<Later> sendLater(List<Later> messages) {
        // Rounded up to whole seconds: a date is never tried before the wait it was given.
        return MessageBatch.send(sqs.get(), queueUrl, messages, later -> later.message().toJson(),
                later -> (int) Math.min(MAX_DELAY.toSeconds(), (later.delay().toMillis() + 999) / 1000));
    }

    @Override
    public void retry(Delivery delivery, Duration delay) {
        sqs.get().changeMessageVisibility(r -> r.queueUrl(queueUrl).receiptHandle(delivery.receiptHandle())
                .visibilityTimeout((int) Math.min(MAX_VISIBILITY_SECONDS, delay.toSeconds())));
    }
}
