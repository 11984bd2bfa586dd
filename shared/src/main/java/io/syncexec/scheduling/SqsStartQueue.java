package io.syncexec.scheduling;

import io.syncexec.json.Json;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(body(starts.get(i))).build());
        }
        List<DueStart> failed = new ArrayList<>();
        for (BatchResultErrorEntry error : sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries)).failed()) {
            failed.add(starts.get(Integer.parseInt(error.id())));
        }
        return failed;
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
