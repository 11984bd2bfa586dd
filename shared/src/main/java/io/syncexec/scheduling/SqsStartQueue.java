package io.syncexec.scheduling;

import io.syncexec.json.Json;
import io.syncexec.sqs.MessageBatch;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The start queue on SQS: one {@code SendMessageBatch} per 10 starts. */
public final class SqsStartQueue implements StartQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsStartQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public List<DueStart> send(List<DueStart> starts) {
        if (starts.isEmpty()) {
            return List.of();
        }
        return MessageBatch.send(sqs, queueUrl, starts, SqsStartQueue::body);
    }

    public static String body(DueStart start) {
        try {
            return Json.MAPPER.writeValueAsString(start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DueStart read(String body) {
        try {
            return Json.MAPPER.readValue(body, DueStart.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
