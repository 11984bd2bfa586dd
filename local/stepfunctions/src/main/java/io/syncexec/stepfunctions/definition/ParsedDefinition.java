package io.syncexec.stepfunctions.definition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A state machine definition parsed into typed states (and so validated): the top-level block and TimeoutSeconds. */
public record ParsedDefinition(StatesBlock root, Integer timeoutSeconds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Parses and validates ASL text, refusing anything this interpreter would not run exactly as
     * AWS does.
     */
    public static ParsedDefinition parse(String text) throws InvalidDefinitionException {
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidDefinitionException(
                    "Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: " + e.getOriginalMessage() + "'");
        }
        return new DefinitionParser().parse(json);
    }
}
