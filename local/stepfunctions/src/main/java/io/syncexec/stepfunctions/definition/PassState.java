package io.syncexec.stepfunctions.definition;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.stepfunctions.jsonpath.ReferencePath;

/** A Pass state; {@code result} and {@code parameters} are null when absent (Result wins over Parameters). */
public record PassState(String name, IoPaths io, String next, JsonNode result, Template parameters,
                        ReferencePath resultPath) implements State {
}
