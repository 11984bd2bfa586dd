package io.syncexec.local.sqs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.syncexec.local.template.FunctionEvent.QueueTrigger;
import io.syncexec.standins.Await;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(StandInsExtension.class)
class SqsEventSourceIT {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    @Test
    void deletesTheHandledMessagesAndKeepsTheReportedFailure(StandIns aws) {
        QueueTrigger trigger = queue(aws);
        ConcurrentLinkedQueue<SQSEvent.SQSMessage> seen = new ConcurrentLinkedQueue<>();
        send(aws, trigger, "ok-1", "ok-2", "fail");

        try (SqsEventSource ignored = SqsEventSource.start(aws.sqs(), "TestFunction", trigger, event -> {
            seen.addAll(event.getRecords());
            return SQSBatchResponse.builder().withBatchItemFailures(event.getRecords().stream()
                    .filter(message -> message.getBody().equals("fail"))
                    .map(message -> new SQSBatchResponse.BatchItemFailure(message.getMessageId()))
                    .toList()).build();
        }, 2, Duration.ofSeconds(5), System.out)) {
            Await.until(WITHIN, "the failed message is delivered again", () -> seen.stream()
                    .anyMatch(message -> message.getBody().equals("fail") && "2".equals(message.getAttributes().get("ApproximateReceiveCount"))));
        }

        assertEquals(1, seen.stream().filter(message -> message.getBody().equals("ok-1")).count());
        assertEquals(1, seen.stream().filter(message -> message.getBody().equals("ok-2")).count());
        assertEquals(1, messagesLeft(aws, trigger), "only the failed message stays");
        SQSEvent.SQSMessage first = seen.peek();
        assertEquals("aws:sqs", first.getEventSource());
        assertEquals(trigger.queueArn(), first.getEventSourceArn());
        assertEquals("us-east-1", first.getAwsRegion());
        assertNotNull(first.getMd5OfBody());
        assertNotNull(first.getAttributes().get("SentTimestamp"));
    }

    @Test
    void aBatchWhoseHandlerThrowsIsNotDeleted(StandIns aws) {
        QueueTrigger trigger = queue(aws);
        ConcurrentLinkedQueue<SQSEvent.SQSMessage> seen = new ConcurrentLinkedQueue<>();
        send(aws, trigger, "a", "b");

        try (SqsEventSource ignored = SqsEventSource.start(aws.sqs(), "TestFunction", trigger, event -> {
            seen.addAll(event.getRecords());
            throw new IllegalStateException("the function failed (expected by the test)");
        }, 1, Duration.ofSeconds(5), System.out)) {
            Await.until(WITHIN, "both messages are delivered again", () -> seen.stream()
                    .filter(message -> "2".equals(message.getAttributes().get("ApproximateReceiveCount"))).count() >= 2);
        }

        assertEquals(2, messagesLeft(aws, trigger));
    }

    @Test
    void aResponseNamingAMessageNotInTheBatchFailsTheWholeBatch(StandIns aws) {
        QueueTrigger trigger = queue(aws);
        ConcurrentLinkedQueue<SQSEvent.SQSMessage> seen = new ConcurrentLinkedQueue<>();
        send(aws, trigger, "a");

        try (SqsEventSource ignored = SqsEventSource.start(aws.sqs(), "TestFunction", trigger, event -> {
            seen.addAll(event.getRecords());
            return SQSBatchResponse.builder().withBatchItemFailures(List.of(new SQSBatchResponse.BatchItemFailure("not-in-batch"))).build();
        }, 1, Duration.ofSeconds(5), System.out)) {
            Await.until(WITHIN, "the message is delivered again", () -> seen.size() >= 2);
        }

        assertEquals(1, messagesLeft(aws, trigger));
    }

    /** Hangs on its first invocation (past its 1 s Timeout), answers at once afterwards. */
    public static final class HangsOnce implements com.amazonaws.services.lambda.runtime.RequestHandler<SQSEvent, SQSBatchResponse> {
        static final java.util.concurrent.atomic.AtomicInteger CALLS = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public SQSBatchResponse handleRequest(SQSEvent event, com.amazonaws.services.lambda.runtime.Context context) {
            if (CALLS.incrementAndGet() == 1) {
                try {
                    new java.util.concurrent.CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
        }
    }

    @Test
    void aBatchWhoseFunctionTimesOutComesBackAfterTheVisibilityTimeout(StandIns aws) {
        QueueTrigger trigger = queue(aws);
        send(aws, trigger, "slow");
        io.syncexec.local.lambda.LambdaHost host = io.syncexec.local.lambda.LambdaHost.start(List.of(
                new io.syncexec.local.template.FunctionDefinition("HangsOnce", "arn:aws:lambda:us-east-1:123456789012:function:HangsOnce",
                        HangsOnce.class.getName(), Duration.ofSeconds(1), 128, Map.of(), List.of())),
                function -> io.syncexec.lambda.FunctionEnvironment.onLambda(function.environment()), 0, System.out);
        try (host; SqsEventSource ignored = SqsEventSource.start(aws.sqs(), "HangsOnce", trigger,
                event -> host.invoke("HangsOnce", event, SQSBatchResponse.class), 1, Duration.ofSeconds(5), System.out)) {
            Await.until(WITHIN, "the batch comes back after the timed-out invocation and is then handled",
                    () -> HangsOnce.CALLS.get() >= 2 && messagesLeft(aws, trigger) == 0);
        }
        assertEquals(2, HangsOnce.CALLS.get(), "handled once more, not lost and not duplicated");
    }

    /** A queue of its own, with a 1-second visibility timeout so that kept messages come back quickly. */
    private static QueueTrigger queue(StandIns aws) {
        String url = aws.sqs().createQueue(request -> request.queueName("runtime-it-" + UUID.randomUUID())
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"))).queueUrl();
        String arn = aws.sqs().getQueueAttributes(request -> request.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        return new QueueTrigger("TestQueue", "TestQueue", url, arn, 10, true, true);
    }

    private static void send(StandIns aws, QueueTrigger trigger, String... bodies) {
        for (String body : bodies) {
            aws.sqs().sendMessage(request -> request.queueUrl(trigger.queueUrl()).messageBody(body));
        }
    }

    private static int messagesLeft(StandIns aws, QueueTrigger trigger) {
        Map<QueueAttributeName, String> attributes = aws.sqs().getQueueAttributes(request -> request.queueUrl(trigger.queueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return attributes.values().stream().mapToInt(Integer::parseInt).sum();
    }
}
