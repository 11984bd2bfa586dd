package io.syncexec.stepfunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

/** The state machine and execution actions through the real SfnClient, with AWS's error codes. */
class StateMachineApiIT {

    private static final String WAIT_AN_HOUR = """
            {"StartAt":"Wait","States":{"Wait":{"Type":"Wait","Seconds":3600,"Next":"Done"},"Done":{"Type":"Succeed"}}}
            """;

    private TestBed bed;
    private String stateMachineArn;

    @BeforeEach
    void start() {
        bed = new TestBed();
        stateMachineArn = bed.sfn.createStateMachine(request -> request.name("waits").definition(WAIT_AN_HOUR)
                .roleArn("arn:aws:iam::123456789012:role/sfn")).stateMachineArn();
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void sameNameAndInputWhileRunningReturnsTheSameExecutionOtherwiseExecutionAlreadyExists() throws Exception {
        StartExecutionResponse first = bed.sfn.startExecution(request -> request.stateMachineArn(stateMachineArn)
                .name("sync-2026-01-01").input("{\"a\":1}"));
        StartExecutionResponse again = bed.sfn.startExecution(request -> request.stateMachineArn(stateMachineArn)
                .name("sync-2026-01-01").input("{ \"a\" : 1 }"));
        assertEquals(first.executionArn(), again.executionArn());
        assertEquals(first.startDate(), again.startDate());

        assertThrows(ExecutionAlreadyExistsException.class, () -> bed.sfn.startExecution(request -> request
                .stateMachineArn(stateMachineArn).name("sync-2026-01-01").input("{\"a\":2}")));

        bed.settle();
        bed.clock.advance(Duration.ofHours(1));
        assertEquals(ExecutionStatus.SUCCEEDED, bed.runToCompletion(first.executionArn()).status());
        assertThrows(ExecutionAlreadyExistsException.class, () -> bed.sfn.startExecution(request -> request
                .stateMachineArn(stateMachineArn).name("sync-2026-01-01").input("{\"a\":1}")));
    }

    @Test
    void listsAndDescribesStateMachinesAndExecutions() {
        DescribeStateMachineResponse machine = bed.sfn.describeStateMachine(request -> request.stateMachineArn(stateMachineArn));
        assertEquals("waits", machine.name());
        assertEquals(WAIT_AN_HOUR, machine.definition());
        assertTrue(bed.sfn.listStateMachines(request -> { }).stateMachines().stream()
                .anyMatch(item -> item.stateMachineArn().equals(stateMachineArn)));

        String executionArn = bed.sfn.startExecution(request -> request.stateMachineArn(stateMachineArn).name("one"))
                .executionArn();
        assertEquals(1, bed.sfn.listExecutions(request -> request.stateMachineArn(stateMachineArn)
                .statusFilter(ExecutionStatus.RUNNING)).executions().size());
        assertEquals(executionArn, bed.sfn.listExecutions(request -> request.stateMachineArn(stateMachineArn))
                .executions().get(0).executionArn());

        bed.sfn.updateStateMachine(request -> request.stateMachineArn(stateMachineArn)
                .definition("{\"StartAt\":\"Done\",\"States\":{\"Done\":{\"Type\":\"Succeed\"}}}"));
        assertTrue(bed.sfn.describeStateMachine(request -> request.stateMachineArn(stateMachineArn)).definition()
                .contains("\"Done\""));
        bed.sfn.deleteStateMachine(request -> request.stateMachineArn(stateMachineArn));
        assertThrows(StateMachineDoesNotExistException.class,
                () -> bed.sfn.describeStateMachine(request -> request.stateMachineArn(stateMachineArn)));
    }

    @Test
    void unknownAndMalformedArnsHaveAwsErrorCodes() {
        assertThrows(ExecutionDoesNotExistException.class, () -> bed.sfn.describeExecution(request -> request
                .executionArn("arn:aws:states:us-east-1:123456789012:execution:waits:nope")));
        assertThrows(InvalidArnException.class, () -> bed.sfn.describeExecution(request -> request.executionArn("nope")));
        assertThrows(StateMachineDoesNotExistException.class, () -> bed.sfn.startExecution(request -> request
                .stateMachineArn("arn:aws:states:us-east-1:123456789012:stateMachine:nope")));
    }

    @Test
    void definitionsUsingUnimplementedFeaturesAreRefusedNamingTheFeature() {
        InvalidDefinitionException jsonata = assertThrows(InvalidDefinitionException.class, () -> create("jsonata",
                "{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"));
        assertTrue(jsonata.getMessage().contains("QueryLanguage 'JSONata'"), jsonata.getMessage());

        InvalidDefinitionException distributed = assertThrows(InvalidDefinitionException.class, () -> create("distributed",
                "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"End\":true,\"ItemProcessor\":{\"ProcessorConfig\":"
                        + "{\"Mode\":\"DISTRIBUTED\",\"ExecutionType\":\"STANDARD\"},\"StartAt\":\"P\",\"States\":{\"P\":"
                        + "{\"Type\":\"Pass\",\"End\":true}}}}}}"));
        assertTrue(distributed.getMessage().contains("Distributed Map"), distributed.getMessage());

        InvalidDefinitionException dynamo = assertThrows(InvalidDefinitionException.class, () -> create("dynamo",
                "{\"StartAt\":\"T\",\"States\":{\"T\":{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::dynamodb:putItem\","
                        + "\"End\":true}}}"));
        assertTrue(dynamo.getMessage().contains("arn:aws:states:::dynamodb:putItem"), dynamo.getMessage());

        InvalidDefinitionException missingTarget = assertThrows(InvalidDefinitionException.class, () -> create("broken",
                "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Next\":\"Nowhere\"}}}"));
        assertTrue(missingTarget.getMessage().contains("MISSING_TRANSITION_TARGET"), missingTarget.getMessage());
    }

    private void create(String name, String definition) {
        bed.sfn.createStateMachine(request -> request.name(name).definition(definition)
                .roleArn("arn:aws:iam::123456789012:role/sfn"));
    }

    /** A state whose output passes Step Functions' 256 KB payload limit fails the execution, as on AWS. */
    @Test
    void aStateOutputOver256KbFailsTheExecutionWithDataLimitExceeded() throws Exception {
        String doubles = bed.sfn.createStateMachine(request -> request.name("doubles").roleArn("arn:aws:iam::123456789012:role/sfn")
                .definition("""
                        {"StartAt":"Double","States":{"Double":{"Type":"Pass","Parameters":{"a.$":"$.text","b.$":"$.text"},"End":true}}}
                        """)).stateMachineArn();
        String input = "{\"text\":\"" + "x".repeat(150 * 1024) + "\"}";
        String arn = bed.sfn.startExecution(request -> request.stateMachineArn(doubles).name("too-big").input(input)).executionArn();
        var ended = bed.runToCompletion(arn);
        assertEquals(ExecutionStatus.FAILED, ended.status());
        assertEquals("States.DataLimitExceeded", ended.error());
    }
}
