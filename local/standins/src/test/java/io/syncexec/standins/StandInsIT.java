package io.syncexec.standins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(StandInsExtension.class)
class StandInsIT {

    private final StandIns aws;

    StandInsIT(StandIns aws) {
        this.aws = aws;
    }

    @Test
    void createsEveryTableOfTheTemplateWithItsKeySchema() {
        TemplateResources template = TemplateResources.read(RepositoryRoot.find().resolve("template.yaml"));
        assertFalse(template.tableIds().isEmpty());
        for (String id : template.tableIds()) {
            CreateTableRequest expected = template.createTableRequest(id, aws.table(id));
            TableDescription table = aws.dynamo().describeTable(r -> r.tableName(aws.table(id))).table();
            assertEquals("local-" + id, table.tableName());
            assertEquals(expected.keySchema(), table.keySchema());
            assertEquals(expected.attributeDefinitions().size(), table.attributeDefinitions().size());
        }
        assertEquals(template.tableIds().size(), aws.dynamo().listTables().tableNames().size());
    }

    @Test
    void createsEveryQueueOfTheTemplateWithItsDeadLetterQueue() {
        TemplateResources template = TemplateResources.read(RepositoryRoot.find().resolve("template.yaml"));
        for (String id : template.queueIds()) {
            var attributes = aws.sqs().getQueueAttributes(r -> r.queueUrl(aws.queueUrl(id))
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            assertTrue(attributes.get(QueueAttributeName.QUEUE_ARN).endsWith(":local-" + id));
            var deadLetterQueue = template.template().at("/Resources/" + id + "/Properties/RedrivePolicy/deadLetterTargetArn/Fn::GetAtt/0");
            if (!deadLetterQueue.isMissingNode()) {
                assertTrue(attributes.get(QueueAttributeName.REDRIVE_POLICY).contains(":local-" + deadLetterQueue.asText() + "\""));
            }
        }
    }

    @Test
    void conditionalPutItemWritesOnlyOnce() {
        String table = aws.table("ClientsTable");
        Map<String, AttributeValue> item = Map.of(
                "clientId", AttributeValue.fromS("conditional-put"),
                "name", AttributeValue.fromS("First"));
        aws.dynamo().putItem(r -> r.tableName(table).item(item).conditionExpression("attribute_not_exists(clientId)"));
        var before = aws.snapshot();

        assertThrows(ConditionalCheckFailedException.class, () -> aws.dynamo().putItem(r -> r
                .tableName(table)
                .item(Map.of("clientId", AttributeValue.fromS("conditional-put"), "name", AttributeValue.fromS("Second")))
                .conditionExpression("attribute_not_exists(clientId)")));

        assertEquals(before, aws.snapshot());
        assertTrue(before.get("ClientsTable").contains(item));
    }

    /** dynalite drops ReturnValuesOnConditionCheckFailure; DynalitePatches makes it answer as DynamoDB does. */
    @Test
    void aFailedConditionReturnsTheItemAsItWasWhenAskedForAllOld() {
        String table = aws.table("ClientsTable");
        Map<String, AttributeValue> key = Map.of("clientId", AttributeValue.fromS("all-old"));
        Map<String, AttributeValue> item = Map.of("clientId", AttributeValue.fromS("all-old"), "name", AttributeValue.fromS("First"));
        aws.dynamo().putItem(r -> r.tableName(table).item(item));

        var put = assertThrows(ConditionalCheckFailedException.class, () -> aws.dynamo().putItem(r -> r.tableName(table)
                .item(Map.of("clientId", AttributeValue.fromS("all-old"), "name", AttributeValue.fromS("Second")))
                .conditionExpression("attribute_not_exists(clientId)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        var update = assertThrows(ConditionalCheckFailedException.class, () -> aws.dynamo().updateItem(r -> r.tableName(table)
                .key(key).updateExpression("SET #n = :n").conditionExpression("#n = :other")
                .expressionAttributeNames(Map.of("#n", "name"))
                .expressionAttributeValues(Map.of(":n", AttributeValue.fromS("Third"), ":other", AttributeValue.fromS("Other")))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        var delete = assertThrows(ConditionalCheckFailedException.class, () -> aws.dynamo().deleteItem(r -> r.tableName(table)
                .key(key).conditionExpression("attribute_not_exists(clientId)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        var none = assertThrows(ConditionalCheckFailedException.class, () -> aws.dynamo().deleteItem(r -> r.tableName(table)
                .key(key).conditionExpression("attribute_not_exists(clientId)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.NONE)));
        var missing = assertThrows(ConditionalCheckFailedException.class, () -> aws.dynamo().updateItem(r -> r.tableName(table)
                .key(Map.of("clientId", AttributeValue.fromS("all-old-missing"))).updateExpression("SET #n = :n")
                .conditionExpression("attribute_exists(clientId)").expressionAttributeNames(Map.of("#n", "name"))
                .expressionAttributeValues(Map.of(":n", AttributeValue.fromS("Third")))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));

        assertEquals(item, put.item());
        assertEquals(item, update.item());
        assertEquals(item, delete.item());
        assertFalse(none.hasItem());
        assertFalse(missing.hasItem());
        assertEquals(item, aws.dynamo().getItem(r -> r.tableName(table).key(key)).item());
    }

    @Test
    void snapshotListsItemsInKeyOrderAndSeesChanges() {
        String table = aws.table("LedgerTable");
        for (String date : List.of("2026-11-03", "2026-11-01", "2026-11-02")) {
            aws.dynamo().putItem(r -> r.tableName(table).item(Map.of(
                    "syncKey", AttributeValue.fromS("snapshot#orders"), "date", AttributeValue.fromS(date))));
        }
        var before = aws.snapshot();
        List<String> dates = before.get("LedgerTable").stream()
                .filter(item -> item.get("syncKey").s().equals("snapshot#orders"))
                .map(item -> item.get("date").s())
                .toList();
        assertEquals(List.of("2026-11-01", "2026-11-02", "2026-11-03"), dates);
        assertEquals(before.keySet(), aws.tables().keySet());

        aws.dynamo().deleteItem(r -> r.tableName(table).key(Map.of(
                "syncKey", AttributeValue.fromS("snapshot#orders"), "date", AttributeValue.fromS("2026-11-02"))));
        assertNotEquals(before, aws.snapshot());
    }

    @Test
    void messageRoundTripsThroughElasticMq() {
        String url = aws.sqs().createQueue(r -> r.queueName("round-trip")).queueUrl();
        aws.sqs().sendMessage(r -> r.queueUrl(url).messageBody("{\"date\":\"2026-11-20\"}"));

        List<Message> messages = aws.sqs().receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(5)).messages();

        assertEquals(1, messages.size());
        assertEquals("{\"date\":\"2026-11-20\"}", messages.get(0).body());
        aws.sqs().deleteMessage(r -> r.queueUrl(url).receiptHandle(messages.get(0).receiptHandle()));
    }

    @Test
    void templateQueuesGetTheirRedrivePolicy() {
        TemplateResources template = TemplateResources.parse("""
                Resources:
                  Work:
                    Type: AWS::SQS::Queue
                    Properties:
                      VisibilityTimeout: 30
                      RedrivePolicy: {deadLetterTargetArn: !GetAtt WorkDlq.Arn, maxReceiveCount: 1}
                  WorkDlq:
                    Type: AWS::SQS::Queue
                """);
        Map<String, String> urls = new java.util.HashMap<>();
        for (String id : template.queueIds()) {
            urls.put(id, aws.sqs().createQueue(template.createQueueRequest(id, "redrive-" + id, dlq -> aws.sqs()
                    .getQueueAttributes(r -> r.queueUrl(urls.get(dlq)).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN))).queueUrl());
        }
        var attributes = aws.sqs().getQueueAttributes(r -> r.queueUrl(urls.get("Work"))
                .attributeNames(QueueAttributeName.ALL)).attributes();
        assertEquals("30", attributes.get(QueueAttributeName.VISIBILITY_TIMEOUT));
        assertTrue(attributes.get(QueueAttributeName.REDRIVE_POLICY).contains("redrive-WorkDlq"));

        aws.sqs().sendMessage(r -> r.queueUrl(urls.get("Work")).messageBody("poison"));
        Message first = aws.sqs().receiveMessage(r -> r.queueUrl(urls.get("Work")).waitTimeSeconds(5)).messages().get(0);
        aws.sqs().changeMessageVisibility(r -> r.queueUrl(urls.get("Work")).receiptHandle(first.receiptHandle()).visibilityTimeout(0));
        // the second receive exceeds maxReceiveCount 1: ElasticMQ moves the message to the DLQ
        aws.sqs().receiveMessage(r -> r.queueUrl(urls.get("Work")).waitTimeSeconds(0));
        List<Message> dead = aws.sqs().receiveMessage(r -> r.queueUrl(urls.get("WorkDlq")).waitTimeSeconds(5)).messages();
        assertEquals("poison", dead.get(0).body());
    }

    @Test
    void environmentPointsAtTheStandIns() {
        Map<String, String> environment = aws.environment();
        assertEquals("us-east-1", environment.get("AWS_REGION"));
        assertEquals(aws.dynamoEndpoint().toString(), environment.get("AWS_ENDPOINT_URL_DYNAMODB"));
        assertEquals(aws.sqsEndpoint().toString(), environment.get("AWS_ENDPOINT_URL_SQS"));
        assertTrue(environment.containsKey("AWS_ACCESS_KEY_ID"));
        assertTrue(environment.containsKey("AWS_SECRET_ACCESS_KEY"));
        assertEquals("local-ClientsTable", aws.ref("ClientsTable"));
    }

    @Test
    void oneInstancePerJvm() {
        assertSame(StandIns.get(), StandIns.get());
        assertSame(aws, StandIns.get());
    }

    /** DynamoDB refuses an item over 400 KB, and so does dynalite: a run that grew one would fail here as on AWS. */
    @Test
    void anItemOver400KbIsRefusedAsOnAws() {
        String table = aws.table("ExecutionsTable");
        Map<String, AttributeValue> key = Map.of("syncKey", AttributeValue.fromS("limits#item"), "executionId", AttributeValue.fromS("e1"));
        java.util.HashMap<String, AttributeValue> item = new java.util.HashMap<>(key);
        item.put("blob", AttributeValue.fromS("x".repeat(300 * 1024)));
        aws.dynamo().putItem(r -> r.tableName(table).item(item));

        var grow = assertThrows(software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class,
                () -> aws.dynamo().updateItem(r -> r.tableName(table).key(key).updateExpression("SET more = :m")
                        .expressionAttributeValues(Map.of(":m", AttributeValue.fromS("y".repeat(120 * 1024))))));
        assertEquals("ValidationException", grow.awsErrorDetails().errorCode());
        assertTrue(grow.getMessage().contains("Item size to update has exceeded the maximum allowed size"), grow.getMessage());

        item.put("blob", AttributeValue.fromS("x".repeat(401 * 1024)));
        var put = assertThrows(software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class,
                () -> aws.dynamo().putItem(r -> r.tableName(table).item(item)));
        assertEquals("ValidationException", put.awsErrorDetails().errorCode());
        assertTrue(put.getMessage().contains("Item size has exceeded the maximum allowed size"), put.getMessage());
    }

    /**
     * SQS refuses a message (or a batch) over 256 KB; ElasticMQ does not, so every SDK client next to the
     * stand-ins refuses it as SQS would ({@link SqsMessageSizeLimit}).
     */
    @Test
    void aMessageOver256KbIsRefusedAsOnAws() {
        String queue = aws.queueUrl("ImportDeadLetterQueue");
        aws.sqs().sendMessage(r -> r.queueUrl(queue).messageBody("x".repeat(256 * 1024)));
        var refused = assertThrows(software.amazon.awssdk.services.sqs.model.SqsException.class,
                () -> aws.sqs().sendMessage(r -> r.queueUrl(queue).messageBody("x".repeat(256 * 1024 + 1))));
        assertEquals(400, refused.statusCode(), refused.getMessage());
        assertEquals("InvalidParameterValue", refused.awsErrorDetails().errorCode());
        var batch = assertThrows(software.amazon.awssdk.services.sqs.model.SqsException.class,
                () -> aws.sqs().sendMessageBatch(r -> r.queueUrl(queue).entries(
                        e -> e.id("a").messageBody("x".repeat(200 * 1024)), e -> e.id("b").messageBody("y".repeat(100 * 1024)))));
        assertEquals("AWS.SimpleQueueService.BatchRequestTooLong", batch.awsErrorDetails().errorCode());
        aws.sqs().purgeQueue(r -> r.queueUrl(queue));
    }
}
