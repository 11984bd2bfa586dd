package io.syncexec.stepfunctions.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
