package io.syncexec.stepfunctions.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

/**
 * JSONPath as Step Functions evaluates it (Jayway's implementation, which AWS also uses, so the
 * error texts match): a definite path that finds nothing is an error, an indefinite path that finds
 * nothing is an empty array. Paths starting with {@code $$} read the context object.
 */
public final class JsonPaths {

    private static final Configuration CONFIGURATION = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider())
            .mappingProvider(new JacksonMappingProvider())
            .build();

    private JsonPaths() {
    }

    /** Thrown when a path matches nothing; {@link #getMessage()} is Jayway's text, as AWS quotes it. */
    public static final class NotFound extends Exception {
        public NotFound(String message) {
            super(message, null, false, false);
        }
    }

    /** Reads {@code path} from {@code input}, or from {@code context} when it starts with {@code $$}. */
    public static JsonNode read(String path, JsonNode input, JsonNode context) throws NotFound {
        if (path.startsWith("$$")) {
            return read(path.substring(1), context);
        }
        return read(path, input);
    }

    public static JsonNode read(String path, JsonNode document) throws NotFound {
        if (path.equals("$")) {
            return document;
        }
        JsonPath compiled = JsonPath.compile(literalBackslashes(path));
        try {
            Object result = compiled.read(document, CONFIGURATION);
            return result == null ? JsonNodeFactory.instance.nullNode() : (JsonNode) result;
        } catch (PathNotFoundException e) {
            if (!compiled.isDefinite()) {
                return JsonNodeFactory.instance.arrayNode();
            }
            throw new NotFound(e.getMessage());
        }
    }

    /**
     * In AWS, a backslash inside a quoted bracket name is a literal character, except before a
     * quote; Jayway treats it as an escape, so it is doubled before compiling.
     */
    private static String literalBackslashes(String path) {
        if (path.indexOf('\\') < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            out.append(c);
            if (c == '\\' && (i + 1 >= path.length() || path.charAt(i + 1) != '\'')) {
                out.append('\\');
            }
        }
        return out.toString();
    }

    /** True when {@code path} is a syntactically valid JSONPath (or context path). */
    public static boolean isValid(String path) {
        String plain = path.startsWith("$$") ? path.substring(1) : path;
        if (!plain.startsWith("$")) {
            return false;
        }
        try {
            JsonPath.compile(plain);
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
