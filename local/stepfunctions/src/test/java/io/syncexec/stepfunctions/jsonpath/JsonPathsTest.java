package io.syncexec.stepfunctions.jsonpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonPathsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void definitePathThatFindsNothingIsNotFoundWithJaywaysMessage() throws Exception {
        JsonPaths.NotFound notFound = assertThrows(JsonPaths.NotFound.class,
                () -> JsonPaths.read("$.missing", JSON.readTree("{}")));
        assertEquals("No results for path: $['missing']", notFound.getMessage());
    }

    @Test
    void indefinitePathThatFindsNothingIsAnEmptyArray() throws Exception {
        assertEquals(JSON.createArrayNode(), JsonPaths.read("$.items[*].id", JSON.readTree("{}")));
    }

    @Test
    void contextPathsReadTheContextObject() throws Exception {
        JsonNode context = JSON.readTree("{\"Execution\":{\"Name\":\"e1\"}}");
        assertEquals("e1", JsonPaths.read("$$.Execution.Name", JSON.readTree("{}"), context).asText());
    }

    @Test
    void resultPathWritesIntoACopyCreatingObjects() throws Exception {
        JsonNode input = JSON.readTree("{\"a\":1}");
        JsonNode written = ReferencePath.parse("$.b.c").write(input, JSON.readTree("2"));
        assertEquals(JSON.readTree("{\"a\":1,\"b\":{\"c\":2}}"), written);
        assertEquals(JSON.readTree("{\"a\":1}"), input);
    }
}
