package io.syncexec.sqs;

import io.syncexec.aws.AwsClients;
import io.syncexec.lambda.Config;
import io.syncexec.scheduling.DueStart;
import io.syncexec.scheduling.StartQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/** The start queue on SQS: one {@code SendMessageBatch} per 10 starts. */
public final class SqsStartQueue implements StartQueue {
    private final Supplier<SqsClient> sqs;
    private final String queueUrl;

    /** The queue {@code START_QUEUE_URL}, with a client of its own ({@link AwsClients}). */
    public SqsStartQueue(Config config, Clock clock) {
        this(AwsClients.onFirstUse(SqsClient::builder, "SQS", config), config.startQueueUrl());
    }

    public SqsStartQueue(SqsClient sqs, String queueUrl) {
        this(() -> sqs, queueUrl);
    }

    private SqsStartQueue(Supplier<SqsClient> sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public List<DueStart> send(List<DueStart> starts) {
        if (starts.isEmpty()) {
            return List.of();
        }
        return MessageBatch.send(sqs.get(), queueUrl, starts, DueStart::toJson);
    }
}
