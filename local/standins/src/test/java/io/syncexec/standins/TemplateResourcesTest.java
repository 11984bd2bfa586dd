package io.syncexec.standins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class TemplateResourcesTest {

    private static final String TEMPLATE = """
            Parameters:
              Visibility: {Type: Number, Default: 45}
            Resources:
              Api:
                Type: AWS::Serverless::Function
                Properties:
                  Environment:
                    Variables:
                      TABLE: !Ref Things
                      QUEUE_ARN: !GetAtt Work.Arn
                      URL: !Sub 'https://${AWS::Region}'
              Work:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub '${AWS::StackName}-work'
                  VisibilityTimeout: !Ref Visibility
                  MessageRetentionPeriod: 1209600
                  RedrivePolicy:
                    deadLetterTargetArn: !GetAtt WorkDlq.Arn
                    maxReceiveCount: 3
              WorkDlq:
                Type: AWS::SQS::Queue
                Properties:
                  MessageRetentionPeriod: 1209600
              Things:
                Type: AWS::DynamoDB::Table
                Properties:
                  BillingMode: PAY_PER_REQUEST
                  PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
                  TimeToLiveSpecification: {AttributeName: expiresAt, Enabled: true}
                  AttributeDefinitions:
                    - {AttributeName: pk, AttributeType: S}
                    - {AttributeName: sk, AttributeType: N}
                    - {AttributeName: owner, AttributeType: S}
                  KeySchema:
                    - {AttributeName: pk, KeyType: HASH}
                    - {AttributeName: sk, KeyType: RANGE}
                  GlobalSecondaryIndexes:
                    - IndexName: byOwner
                      KeySchema:
                        - {AttributeName: owner, KeyType: HASH}
                      Projection: {ProjectionType: INCLUDE, NonKeyAttributes: [name]}
            """;

    private final TemplateResources template = TemplateResources.parse(TEMPLATE);

    @Test
    void readsShortFormIntrinsicsAsTheirLongForm() {
        var variables = template.template().at("/Resources/Api/Properties/Environment/Variables");
        assertEquals("{\"Ref\":\"Things\"}", variables.get("TABLE").toString());
        assertEquals("{\"Fn::GetAtt\":[\"Work\",\"Arn\"]}", variables.get("QUEUE_ARN").toString());
        assertEquals("{\"Fn::Sub\":\"https://${AWS::Region}\"}", variables.get("URL").toString());
    }

    @Test
    void turnsATableIntoACreateTableRequest() {
        assertEquals(List.of("Things"), template.tableIds());
        CreateTableRequest request = template.createTableRequest("Things", "local-Things");

        assertEquals("local-Things", request.tableName());
        assertEquals(BillingMode.PAY_PER_REQUEST, request.billingMode());
        assertEquals(List.of("pk", "sk"), request.keySchema().stream().map(k -> k.attributeName()).toList());
        assertEquals(List.of(KeyType.HASH, KeyType.RANGE), request.keySchema().stream().map(k -> k.keyType()).toList());
        assertEquals(3, request.attributeDefinitions().size());
        assertEquals("byOwner", request.globalSecondaryIndexes().get(0).indexName());
        assertEquals(ProjectionType.INCLUDE, request.globalSecondaryIndexes().get(0).projection().projectionType());
        assertEquals(List.of("name"), request.globalSecondaryIndexes().get(0).projection().nonKeyAttributes());
    }

    @Test
    void turnsQueuesIntoCreateQueueRequestsDeadLetterQueuesFirst() {
        assertEquals(List.of("WorkDlq", "Work"), template.queueIds());

        CreateQueueRequest work = template.createQueueRequest("Work", "local-Work", id -> "arn:aws:sqs:us-east-1:123456789012:local-" + id);

        assertEquals("local-Work", work.queueName());
        assertEquals(Map.of(
                        QueueAttributeName.VISIBILITY_TIMEOUT, "45",
                        QueueAttributeName.MESSAGE_RETENTION_PERIOD, "1209600",
                        QueueAttributeName.REDRIVE_POLICY,
                        "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:local-WorkDlq\",\"maxReceiveCount\":3}"),
                work.attributes());
        assertNull(template.createQueueRequest("WorkDlq", "local-WorkDlq", id -> "unused")
                .attributes().get(QueueAttributeName.REDRIVE_POLICY));
    }

    @Test
    void readsTheRepositoryTemplate() {
        TemplateResources repository = TemplateResources.read(RepositoryRoot.find().resolve("template.yaml"));
        for (String id : repository.tableIds()) {
            assertEquals(BillingMode.PAY_PER_REQUEST, repository.createTableRequest(id, id).billingMode());
        }
    }
}
