package io.syncexec.stepfunctions.intrinsics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class IntrinsicsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode eval(String expression, String input) throws Exception {
        return Intrinsics.evaluate(IntrinsicParser.parse(expression), JSON.readTree(input), JSON.createObjectNode());
    }

    @Test
    void formatKeepsEscapedBracesLiteral() throws Exception {
        assertEquals("{x} = 5", eval("States.Format('\\{x\\} = {}', $.v)", "{\"v\":5}").asText());
    }

    @Test
    void nestedCallsAndLiterals() throws Exception {
        assertEquals(JSON.readTree("[[1,2],[3]]"), eval("States.ArrayPartition(States.Array(1, 2, 3), 2)", "{}"));
        assertEquals(3, eval("States.ArrayLength(States.Array(1, 'a', null))", "{}").asInt());
        assertEquals("\"x\"", eval("States.JsonToString($.s)", "{\"s\":\"x\"}").asText());
    }

    @Test
    void wrongArgumentTypesAreIntrinsicFailures() {
        assertThrows(IntrinsicException.class, () -> eval("States.ArrayLength($.s)", "{\"s\":\"x\"}"));
        assertThrows(IntrinsicException.class, () -> eval("States.Format('{} {}', 1)", "{}"));
    }

    @Test
    void unknownFunctionsAreRefusedWhenParsed() {
        assertThrows(IllegalArgumentException.class, () -> IntrinsicParser.parse("States.Nope(1)"));
    }
}
