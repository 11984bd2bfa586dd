package io.syncexec.sqs;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** One {@code SendMessageBatch} of up to ten messages, each entry's id its index in the batch. */
public final class MessageBatch {
    private MessageBatch() {
    }

    /** Sends {@code messages} as {@code body} writes them; returns those SQS did not take. */
    public static <T> List<T> send(SqsClient sqs, String queueUrl, List<T> messages, Function<T, String> body) {
        return send(sqs, queueUrl, messages, body, message -> 0);
    }

    /** Sends {@code messages}, each delivered {@code delaySeconds} (0 to 900) after it is sent; returns those SQS did not take. */
    public static <T> List<T> send(SqsClient sqs, String queueUrl, List<T> messages, Function<T, String> body,
                                   java.util.function.ToIntFunction<T> delaySeconds) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            int delay = delaySeconds.applyAsInt(messages.get(i));
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(body.apply(messages.get(i)))
                    .delaySeconds(delay > 0 ? delay : null).build());
        }
        List<T> failed = new ArrayList<>();
        for (BatchResultErrorEntry error : sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).failed()) {
            failed.add(messages.get(Integer.parseInt(error.id())));
        }
        return failed;
    }
}
