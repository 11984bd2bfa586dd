package io.syncexec.sqs;

import io.syncexec.aws.AwsClients;
import io.syncexec.lambda.Config;
import io.syncexec.lambda.Priming;
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
        // Built on the first call (an invocation that never calls the service never loads it), and before a SnapStart snapshot.
        Supplier<SqsClient> sqs = AwsClients.onFirstUse(() -> AwsClients.build(SqsClient.builder(), "SQS", config));
        Priming.register(sqs::get);
        this(sqs, config.startQueueUrl());
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
