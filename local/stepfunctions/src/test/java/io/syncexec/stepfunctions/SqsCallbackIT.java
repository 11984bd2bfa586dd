package io.syncexec.stepfunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.List;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code sqs:sendMessage.waitForTaskToken} against an embedded ElasticMQ: the execution sends the
 * token in a message and waits; a consumer reads the message and calls SendTaskSuccess.
 */
class SqsCallbackIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static SQSRestServer elasticMq;
    private static SqsClient sqs;
    private static TestBed bed;

    @BeforeAll
    static void start() {
        elasticMq = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort()
                .withAWSRegion("us-east-1").withAWSAccountId("123456789012").start();
        int port = elasticMq.waitUntilStarted().localAddress().getPort();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        sqs = SqsClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(TestBed.CREDENTIALS).httpClient(UrlConnectionHttpClient.create()).build();
        bed = new TestBed(endpoint);
    }

    @AfterAll
    static void stop() {
        bed.close();
        sqs.close();
        elasticMq.stopAndWait();
    }

    @Test
    void aConsumerCompletesTheTaskWithTheTokenFromTheMessage() throws Exception {
        String queueUrl = sqs.createQueue(request -> request.queueName("confirmations")).queueUrl();
        String definition = """
                {
                  "StartAt": "SendForConfirmation",
                  "States": {
                    "SendForConfirmation": {
                      "Type": "Task",
                      "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                      "Parameters": {
                        "QueueUrl": "%s",
                        "MessageBody": { "taskToken.$": "$$.Task.Token", "order.$": "$.order" }
                      },
                      "TimeoutSeconds": 86400,
                      "ResultPath": "$.confirmation",
                      "End": true
                    }
                  }
                }
                """.formatted(queueUrl);
        String stateMachineArn = bed.sfn.createStateMachine(request -> request.name("sqs-confirmation")
                .definition(definition).roleArn("arn:aws:iam::123456789012:role/sfn")).stateMachineArn();
        String executionArn = bed.sfn.startExecution(request -> request.stateMachineArn(stateMachineArn)
                .input("{\"order\":7}")).executionArn();

        Message message = receiveOne(queueUrl);
        JsonNode body = JSON.readTree(message.body());
        assertEquals(7, body.get("order").asInt());
        bed.settle();
        assertEquals(ExecutionStatus.RUNNING, bed.describe(executionArn).status());

        bed.sfn.sendTaskSuccess(request -> request.taskToken(body.get("taskToken").asText())
                .output("{\"confirmedBy\":\"consumer\"}"));
        sqs.deleteMessage(request -> request.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        DescribeExecutionResponse done = bed.runToCompletion(executionArn);

        assertEquals(ExecutionStatus.SUCCEEDED, done.status());
        assertEquals(JSON.readTree("{\"order\":7,\"confirmation\":{\"confirmedBy\":\"consumer\"}}"), JSON.readTree(done.output()));
    }

    /** Long-polls the queue, with a deadline, until one message arrives. */
    private static Message receiveOne(String queueUrl) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<Message> messages = sqs.receiveMessage(request -> request.queueUrl(queueUrl)
                    .maxNumberOfMessages(1).waitTimeSeconds(2)).messages();
            if (!messages.isEmpty()) {
                return messages.get(0);
            }
        }
        assertTrue(false, "no message on " + queueUrl + " within 30 s");
        return null;
    }
}
