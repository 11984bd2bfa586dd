package io.syncexec.stepfunctions.engine;

import io.syncexec.stepfunctions.asl.StateMachineDefinition;
import java.time.Instant;

/** A created state machine; UpdateStateMachine replaces the record, running executions keep theirs. */
public record StateMachine(String arn, String name, String definitionText, StateMachineDefinition definition,
                           String roleArn, Instant creationDate, Instant updateDate) {
}
