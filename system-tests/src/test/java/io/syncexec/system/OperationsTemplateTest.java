package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What tells an operator that the deployed stack is failing, read from the template CloudFormation
 * deploys (the SAM translator's output): each alarm watches the right metric of the right resource
 * and notifies the alarm topic; every log group has a retention; the state machine logs and traces;
 * the API stage throttles and writes access logs.
 */
class OperationsTemplateTest {
    private final JsonNode cfn = DeployedTemplate.get();

    @Test
    void eachAlarmWatchesItsMetricOnItsResourceAndNotifiesTheTopic() {
        Set<String> expected = new TreeSet<>();
        expected.add("AWS/SQS ApproximateNumberOfMessagesVisible QueueName=" + getAtt("ImportDeadLetterQueue", "QueueName"));
        expected.add("AWS/SQS ApproximateNumberOfMessagesVisible QueueName=" + getAtt("StartDeadLetterQueue", "QueueName"));
        expected.add("AWS/SQS ApproximateAgeOfOldestMessage QueueName=" + getAtt("ImportQueue", "QueueName"));
        expected.add("AWS/Lambda Errors FunctionName=" + ref("ImportWorkerFunction"));
        expected.add("AWS/Lambda Throttles FunctionName=" + ref("ImportWorkerFunction"));
        expected.add("AWS/States ExecutionsFailed StateMachineArn=" + ref("SyncExecutionStateMachine"));
        expected.add("AWS/States ExecutionsTimedOut StateMachineArn=" + ref("SyncExecutionStateMachine"));
        expected.add("AWS/States ExecutionsAborted StateMachineArn=" + ref("SyncExecutionStateMachine"));
        expected.add("AWS/ApiGateway 5xx ApiId=" + ref("HttpApi") + ",Stage=\"$default\"");
        expected.add("SyncExecutions SweeperRepairs Stack=" + ref("AWS::StackName"));
        expected.add("SyncExecutions ScheduleTickFailures Stack=" + ref("AWS::StackName"));

        Set<String> actual = new TreeSet<>();
        for (Map.Entry<String, JsonNode> alarm : resources("AWS::CloudWatch::Alarm")) {
            JsonNode p = alarm.getValue().path("Properties");
            List<String> dimensions = new ArrayList<>();
            p.path("Dimensions").forEach(d -> dimensions.add(d.path("Name").asText() + "=" + d.path("Value")));
            actual.add(p.path("Namespace").asText() + " " + p.path("MetricName").asText() + " " + String.join(",", dimensions));
            assertEquals("{\"Fn::If\":[\"CreateAlarmTopic\",{\"Ref\":\"AlarmTopic\"},{\"Ref\":\"AlarmTopicArn\"}]}",
                    p.path("AlarmActions").get(0).toString(), alarm.getKey() + " notifies the alarm topic");
            assertEquals("notBreaching", p.path("TreatMissingData").asText(), alarm.getKey() + ": no data is no trouble");
            assertFalse(p.path("AlarmDescription").asText().isBlank(), alarm.getKey() + " says what it means");
        }
        assertEquals(expected, actual);
    }

    @Test
    void everyFunctionAndTheStateMachineLogToAGroupWithRetention() {
        for (Map.Entry<String, JsonNode> function : resources("AWS::Lambda::Function")) {
            JsonNode logging = function.getValue().path("Properties").path("LoggingConfig");
            assertEquals("JSON", logging.path("LogFormat").asText(), function.getKey());
            assertRetained(logging.path("LogGroup").path("Ref").asText(), function.getKey());
        }
        JsonNode machine = resource("SyncExecutionStateMachine").path("Properties");
        assertEquals("ERROR", machine.path("LoggingConfiguration").path("Level").asText());
        assertFalse(machine.path("LoggingConfiguration").path("IncludeExecutionData").asBoolean(true),
                "no execution data in the logs: a task token must never reach them");
        assertRetained(machine.path("LoggingConfiguration").path("Destinations").get(0).path("CloudWatchLogsLogGroup")
                .path("LogGroupArn").path("Fn::GetAtt").get(0).asText(), "the state machine");
        assertTrue(machine.path("TracingConfiguration").path("Enabled").asBoolean(), "the state machine is traced");
        String role = machine.path("RoleArn").path("Fn::GetAtt").get(0).asText();
        assertTrue(resource(role).toString().contains("logs:CreateLogDelivery"), "the state machine may deliver its logs");
        for (Map.Entry<String, JsonNode> function : resources("AWS::Lambda::Function")) {
            assertEquals("Active", function.getValue().path("Properties").path("TracingConfig").path("Mode").asText(), function.getKey());
        }
    }

    @Test
    void theApiStageThrottlesAndWritesJsonAccessLogsWithoutSecrets() {
        JsonNode stage = resources("AWS::ApiGatewayV2::Stage").get(0).getValue().path("Properties");
        assertEquals("ApiThrottlingBurstLimit", stage.path("DefaultRouteSettings").path("ThrottlingBurstLimit").path("Ref").asText());
        assertEquals("ApiThrottlingRateLimit", stage.path("DefaultRouteSettings").path("ThrottlingRateLimit").path("Ref").asText());
        assertRetained(stage.path("AccessLogSettings").path("DestinationArn").path("Fn::GetAtt").get(0).asText(), "the API's access log");
        String format = stage.path("AccessLogSettings").path("Format").asText();
        JsonNode line = assertJson(format);
        assertTrue(line.has("requestId") && line.has("status") && line.has("routeKey"), format);
        assertFalse(format.toLowerCase().contains("authorization") || format.contains("$context.requestOverride")
                || format.contains("querystring"), "no token or query in the access log: " + format);
    }

    @Test
    void theDashboardShowsRunsDatesFailuresTheQueueAndConfirmations() {
        String body = resources("AWS::CloudWatch::Dashboard").get(0).getValue().path("Properties").path("DashboardBody").toString();
        for (String metric : List.of("RunsEnded", "DatesImported", "DatesFailed", "ExecutionsFailed", "ApproximateAgeOfOldestMessage",
                "ApproximateNumberOfMessagesVisible", "ConfirmationsRequested", "RunDuration")) {
            assertTrue(body.contains(metric), "the dashboard shows " + metric);
        }
    }

    private void assertRetained(String logGroupId, String what) {
        JsonNode group = resource(logGroupId);
        assertEquals("AWS::Logs::LogGroup", group.path("Type").asText(), what);
        assertEquals("LogRetentionDays", group.path("Properties").path("RetentionInDays").path("Ref").asText(), what + " keeps logs for a time");
    }

    private static JsonNode assertJson(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private String ref(String id) {
        return "{\"Ref\":\"" + id + "\"}";
    }

    private String getAtt(String id, String attribute) {
        return "{\"Fn::GetAtt\":[\"" + id + "\",\"" + attribute + "\"]}";
    }

    private JsonNode resource(String id) {
        JsonNode r = cfn.path("Resources").path(id);
        assertFalse(r.isMissingNode(), "no " + id);
        return r;
    }

    private List<Map.Entry<String, JsonNode>> resources(String type) {
        return DeployedTemplate.resources(cfn, type);
    }
}
