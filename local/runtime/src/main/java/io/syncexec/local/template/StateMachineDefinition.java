package io.syncexec.local.template;

import java.nio.file.Path;

/**
 * One {@code AWS::Serverless::StateMachine} of the template.
 *
 * @param definitionFile the {@code DefinitionUri} file
 * @param definition     its text with the {@code DefinitionSubstitutions} applied, as CloudFormation deploys it
 * @param type           {@code STANDARD} or {@code EXPRESS}
 */
public record StateMachineDefinition(String logicalId, String name, String arn, String type, Path definitionFile,
                                     String definition) {
}
