package io.syncexec.stepfunctions.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A parsed and validated state machine definition. */
public record StateMachineDefinition(StatesBlock root, Integer timeoutSeconds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses and validates ASL text, refusing anything this interpreter would not run exactly as
     * AWS does.
     */
    public static StateMachineDefinition parse(String text) throws InvalidDefinitionException {
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidDefinitionException(
                    "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: " + e.getOriginalMessage() + "'");
        }
        return new DefinitionValidator().validate(json);
    }
}
