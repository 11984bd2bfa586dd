package io.syncexec.stepfunctions.engine;

import io.syncexec.stepfunctions.definition.ParsedDefinition;
import java.time.Instant;

/** A created state machine; UpdateStateMachine replaces the record, running executions keep theirs. */
public record StateMachine(String arn, String name, String definitionText, ParsedDefinition definition,
                           String roleArn, Instant creationDate, Instant updateDate) {
}
