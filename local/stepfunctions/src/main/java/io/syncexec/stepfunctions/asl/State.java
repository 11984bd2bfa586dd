package io.syncexec.stepfunctions.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One validated state. The type-independent parts are parsed into fields; the rest is read from
 * the state's JSON through the small accessors, which the validator has already checked.
 */
public record State(String name, StateType type, JsonNode json, String next, boolean end,
                    String inputPath, String outputPath, String resultPath,
                    List<Retrier> retry, List<Catcher> catchers, List<StatesBlock> branches) {

    /** The value of an optional field, or null when the state does not have it. */
    public JsonNode field(String name) {
        JsonNode value = json.get(name);
        return value == null || value.isMissingNode() ? null : value;
    }

    public String text(String name) {
        JsonNode value = field(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    public boolean has(String name) {
        return json.has(name);
    }

    /** The Map state's item processor (ItemProcessor or the legacy Iterator). */
    public StatesBlock processor() {
        return branches.get(0);
    }
}
