package io.syncexec.standins;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SqsException;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * SQS's 256 KB message limit, which ElasticMQ does not enforce (checked: 1.7.1 accepts larger
 * messages even with its strict limits). Registered for every SDK client of a JVM that has the
 * stand-ins on its class path (the local mode and the tests, never a function's jar), it refuses
 * what SQS would refuse, with SQS's error, before the request leaves: a message or a batch over
 * 262,144 bytes (body and attributes).
 */
public final class SqsMessageSizeLimit implements ExecutionInterceptor {
    public static final int MAX_BYTES = 256 * 1024;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof SendMessageRequest send) {
            long size = size(send.messageBody(), send.messageAttributes());
            if (size > MAX_BYTES) {
                throw refused("InvalidParameterValue", "One or more parameters are invalid. Reason: Message must be shorter than "
                        + MAX_BYTES + " bytes.");
            }
        } else if (request instanceof SendMessageBatchRequest batch) {
            long total = 0;
            for (SendMessageBatchRequestEntry entry : batch.entries()) {
                total += size(entry.messageBody(), entry.messageAttributes());
            }
            if (total > MAX_BYTES) {
                throw refused("AWS.SimpleQueueService.BatchRequestTooLong", "Batch requests cannot be longer than "
                        + MAX_BYTES + " bytes. You have sent " + total + " bytes.");
            }
        }
    }

    private static long size(String body, Map<String, MessageAttributeValue> messageAttributes) {
        long size = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, MessageAttributeValue> attribute : messageAttributes.entrySet()) {
            MessageAttributeValue value = attribute.getValue();
            size += attribute.getKey().getBytes(StandardCharsets.UTF_8).length
                    + (value.dataType() == null ? 0 : value.dataType().getBytes(StandardCharsets.UTF_8).length)
                    + (value.stringValue() == null ? 0 : value.stringValue().getBytes(StandardCharsets.UTF_8).length)
                    + (value.binaryValue() == null ? 0 : value.binaryValue().asByteArray().length);
        }
        return size;
    }

    private static SqsException refused(String code, String message) {
        return (SqsException) SqsException.builder().statusCode(400).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Sqs").build())
                .build();
    }
}
