package io.syncexec.stepfunctions.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParsedDefinitionTest {

    private static String refusal(String definition) {
        return assertThrows(InvalidDefinitionException.class, () -> ParsedDefinition.parse(definition)).getMessage();
    }

    @Test
    void parsesRetryDefaults() throws Exception {
        ParsedDefinition definition = ParsedDefinition.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",
                 "Retry":[{"ErrorEquals":["States.ALL"]}],"End":true}}}""");
        TaskState task = (TaskState) definition.root().state("T");
        Retrier retrier = task.result().retriers().get(0);
        assertEquals(3, retrier.maxAttempts());
        assertEquals(1.0, retrier.intervalSeconds());
        assertEquals(2.0, retrier.backoffRate());
    }

    @Test
    void parsesEachStateIntoItsTypedRecord() throws Exception {
        ParsedDefinition definition = ParsedDefinition.parse("""
                {"StartAt":"C","States":{
                 "C":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.n","NumericLessThanPath":"$.min"},"Next":"T"}],
                      "Default":"F"},
                 "T":{"Type":"Task","Resource":"arn:aws-cn:states:::sqs:sendMessage.waitForTaskToken","TimeoutSecondsPath":"$.t",
                      "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token","n":1}},"ResultPath":null,"Next":"M"},
                 "M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"End":true,
                      "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3,"End":true}}}},
                 "F":{"Type":"Fail","Error":"E","CausePath":"States.Format('{}', $.c)"}}}""");
        StatesBlock root = definition.root();

        ChoiceState choice = (ChoiceState) root.state("C");
        ChoiceRule.Not not = (ChoiceRule.Not) choice.choices().get(0).rule();
        assertEquals(new ChoiceRule.Comparison("$.n", ComparisonOperator.NumericLessThan, null, "$.min"), not.rule());
        assertEquals("T", choice.choices().get(0).next());
        assertEquals("F", choice.defaultNext());

        TaskState task = (TaskState) root.state("T");
        assertEquals(new TaskResource("arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                TaskResource.Integration.SQS_SEND_MESSAGE, true), task.resource());
        assertEquals(new TaskState.SecondsPath("$.t"), task.timeout());
        assertNull(task.heartbeat());
        assertNull(task.result().resultPath());
        Template.Fields body = (Template.Fields) ((Template.Fields) task.parameters()).fields().get("MessageBody");
        assertEquals(new Template.Dynamic("token.$", new Expression.Path("$$.Task.Token")), body.fields().get("token"));

        MapState map = (MapState) root.state("M");
        assertEquals("$.items", map.itemsPath());
        assertEquals(2, map.maxConcurrency());
        assertEquals(new WaitState.Seconds(3), ((WaitState) map.processor().state("W")).until());

        FailState fail = (FailState) root.state("F");
        assertEquals("E", fail.error());
        assertTrue(fail.causePath() instanceof Expression.Intrinsic);
    }

    @Test
    void refusesUnimplementedFeaturesByName() {
        assertTrue(refusal("""
                {"StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"x":1},"End":true}}}""").contains("variables ('Assign')"));
        assertTrue(refusal("""
                {"StartAt":"M","States":{"M":{"Type":"Map","ItemReader":{},"End":true,
                 "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}""")
                .contains("Distributed Map 'ItemReader'"));
        assertTrue(refusal("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:getObject","End":true}}}""")
                .contains("UNSUPPORTED_FEATURE"));
    }

    @Test
    void refusesInvalidAsl() {
        assertTrue(refusal("""
                {"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":"1","Next":"C"}]}}}""")
                .contains("needs a number"));
        assertTrue(refusal("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",
                 "Retry":[{"ErrorEquals":["States.ALL","X"]}],"End":true}}}""").contains("States.ALL"));
        assertTrue(refusal("""
                {"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"a.$":"States.Nope()"},"End":true}}}""")
                .contains("unknown intrinsic function"));
    }
}
