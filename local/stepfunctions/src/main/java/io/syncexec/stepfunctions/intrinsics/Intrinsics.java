package io.syncexec.stepfunctions.intrinsics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.stepfunctions.jsonpath.JsonPaths;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Evaluates the intrinsic functions of the Amazon States Language (JSONPath flavour). */
public final class Intrinsics {

    public static final Set<String> FUNCTIONS = Set.of(
            "States.Format", "States.StringToJson", "States.JsonToString", "States.Array",
            "States.ArrayPartition", "States.ArrayContains", "States.ArrayRange", "States.ArrayGetItem",
            "States.ArrayLength", "States.ArrayUnique", "States.Base64Encode", "States.Base64Decode",
            "States.Hash", "States.JsonMerge", "States.MathRandom", "States.MathAdd", "States.StringSplit",
            "States.UUID");

    static final char LITERAL_OPEN = '\uE000';
    static final char LITERAL_CLOSE = '\uE001';

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<String, String> HASH_ALGORITHMS = Map.of(
            "MD5", "MD5", "SHA-1", "SHA-1", "SHA-256", "SHA-256", "SHA-384", "SHA-384", "SHA-512", "SHA-512");

    private Intrinsics() {
    }

    public static JsonNode evaluate(IntrinsicCall call, JsonNode input, JsonNode context)
            throws JsonPaths.NotFound, IntrinsicException {
        List<JsonNode> args = new ArrayList<>();
        for (IntrinsicCall.Argument argument : call.arguments()) {
            args.add(value(argument, input, context));
        }
        String name = call.function();
        switch (name) {
            case "States.Format":
                return format(call, args);
            case "States.StringToJson":
                return stringToJson(text(name, args, 0, 1));
            case "States.JsonToString":
                arity(name, args, 1);
                return NODES.textNode(args.get(0).toString());
            case "States.Array":
                return NODES.arrayNode().addAll(args);
            case "States.ArrayPartition":
                return partition(array(name, args, 0, 2), integer(name, args, 1));
            case "States.ArrayContains": {
                ArrayNode array = array(name, args, 0, 2);
                for (JsonNode item : array) {
                    if (item.equals(args.get(1))) {
                        return NODES.booleanNode(true);
                    }
                }
                return NODES.booleanNode(false);
            }
            case "States.ArrayRange":
                arity(name, args, 3);
                return range(integer(name, args, 0), integer(name, args, 1), integer(name, args, 2));
            case "States.ArrayGetItem": {
                ArrayNode array = array(name, args, 0, 2);
                int index = integer(name, args, 1);
                if (index < 0 || index >= array.size()) {
                    throw new IntrinsicException("The index " + index + " is out of bounds for the array of "
                            + array.size() + " items in " + name);
                }
                return array.get(index);
            }
            case "States.ArrayLength":
                return NODES.numberNode(array(name, args, 0, 1).size());
            case "States.ArrayUnique": {
                ArrayNode unique = NODES.arrayNode();
                for (JsonNode item : array(name, args, 0, 1)) {
                    if (!contains(unique, item)) {
                        unique.add(item);
                    }
                }
                return unique;
            }
            case "States.Base64Encode":
                return NODES.textNode(Base64.getEncoder().encodeToString(
                        text(name, args, 0, 1).getBytes(StandardCharsets.UTF_8)));
            case "States.Base64Decode":
                try {
                    return NODES.textNode(new String(Base64.getDecoder().decode(text(name, args, 0, 1)),
                            StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new IntrinsicException("The argument of " + name + " is not valid Base64");
                }
            case "States.Hash":
                return hash(name, args);
            case "States.JsonMerge":
                return merge(name, args);
            case "States.MathRandom": {
                if (args.size() != 2 && args.size() != 3) {
                    throw new IntrinsicException(name + " takes 2 or 3 arguments");
                }
                int start = integer(name, args, 0);
                int end = integer(name, args, 1);
                if (end <= start) {
                    throw new IntrinsicException(name + ": the end must be greater than the start");
                }
                return NODES.numberNode(ThreadLocalRandom.current().nextInt(start, end));
            }
            case "States.MathAdd":
                arity(name, args, 2);
                return NODES.numberNode(rounded(name, args.get(0)) + rounded(name, args.get(1)));
            case "States.StringSplit":
                return split(text(name, args, 0, 2), text(name, args, 1, 2));
            case "States.UUID":
                arity(name, args, 0);
                return NODES.textNode(UUID.randomUUID().toString());
            default:
                throw new IntrinsicException("Unknown intrinsic function " + name);
        }
    }

    private static JsonNode value(IntrinsicCall.Argument argument, JsonNode input, JsonNode context)
            throws JsonPaths.NotFound, IntrinsicException {
        if (argument instanceof IntrinsicCall.Literal literal) {
            return literal.value();
        }
        if (argument instanceof IntrinsicCall.Path path) {
            return JsonPaths.read(path.path(), input, context);
        }
        return evaluate(((IntrinsicCall.Call) argument).call(), input, context);
    }

    private static JsonNode format(IntrinsicCall call, List<JsonNode> args) throws IntrinsicException {
        if (args.isEmpty() || !args.get(0).isTextual()) {
            throw new IntrinsicException("The first argument of States.Format must be a string");
        }
        IntrinsicCall.Argument first = call.arguments().get(0);
        String template = first instanceof IntrinsicCall.Literal literal && literal.template() != null
                ? literal.template() : args.get(0).asText();
        StringBuilder out = new StringBuilder();
        int next = 1;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                if (next >= args.size()) {
                    throw new IntrinsicException("States.Format has more placeholders than arguments");
                }
                out.append(display(args.get(next++)));
                i++;
            } else if (c == LITERAL_OPEN) {
                out.append('{');
            } else if (c == LITERAL_CLOSE) {
                out.append('}');
            } else {
                out.append(c);
            }
        }
        if (next != args.size()) {
            throw new IntrinsicException("States.Format has more arguments than placeholders");
        }
        return NODES.textNode(out.toString());
    }

    /** How States.Format shows a value: strings bare, objects and arrays as Java maps and lists print. */
    private static String display(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isObject()) {
            StringBuilder out = new StringBuilder("{");
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.append(field.getKey()).append('=').append(display(field.getValue()));
                if (fields.hasNext()) {
                    out.append(", ");
                }
            }
            return out.append('}').toString();
        }
        if (value.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < value.size(); i++) {
                out.append(i > 0 ? ", " : "").append(display(value.get(i)));
            }
            return out.append(']').toString();
        }
        return value.toString();
    }

    private static JsonNode stringToJson(String text) throws IntrinsicException {
        if (text.isBlank()) {
            return NODES.nullNode();
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IntrinsicException("The argument of States.StringToJson is not valid JSON");
        }
    }

    private static JsonNode partition(ArrayNode array, int size) throws IntrinsicException {
        if (size <= 0) {
            throw new IntrinsicException("States.ArrayPartition: the chunk size must be positive");
        }
        ArrayNode out = NODES.arrayNode();
        ArrayNode chunk = null;
        for (JsonNode item : array) {
            if (chunk == null || chunk.size() == size) {
                chunk = out.addArray();
            }
            chunk.add(item);
        }
        return out;
    }

    private static JsonNode range(int start, int end, int step) throws IntrinsicException {
        if (step == 0) {
            throw new IntrinsicException("States.ArrayRange: the step must not be 0");
        }
        ArrayNode out = NODES.arrayNode();
        for (long i = start; step > 0 ? i <= end : i >= end; i += step) {
            if (out.size() == 1000) {
                throw new IntrinsicException("States.ArrayRange: at most 1000 items");
            }
            out.add(i);
        }
        return out;
    }

    private static JsonNode hash(String name, List<JsonNode> args) throws IntrinsicException {
        arity(name, args, 2);
        JsonNode data = args.get(0);
        String algorithm = HASH_ALGORITHMS.get(args.get(1).asText());
        if (algorithm == null) {
            throw new IntrinsicException(name + ": unsupported algorithm '" + args.get(1).asText() + "'");
        }
        String text = data.isTextual() ? data.asText() : data.toString();
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
            return NODES.textNode(HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IntrinsicException(name + ": unsupported algorithm '" + algorithm + "'");
        }
    }

    private static JsonNode merge(String name, List<JsonNode> args) throws IntrinsicException {
        arity(name, args, 3);
        if (!args.get(0).isObject() || !args.get(1).isObject()) {
            throw new IntrinsicException(name + ": both arguments to merge must be objects");
        }
        if (!args.get(2).isBoolean() || args.get(2).asBoolean()) {
            throw new IntrinsicException(name + ": only shallow merges (false) are supported");
        }
        ObjectNode merged = ((ObjectNode) args.get(0)).deepCopy();
        merged.setAll((ObjectNode) args.get(1));
        return merged;
    }

    private static JsonNode split(String text, String delimiters) {
        ArrayNode out = NODES.arrayNode();
        StringBuilder token = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (delimiters.indexOf(c) >= 0) {
                if (token.length() > 0) {
                    out.add(token.toString());
                }
                token.setLength(0);
            } else {
                token.append(c);
            }
        }
        if (token.length() > 0) {
            out.add(token.toString());
        }
        return out;
    }

    private static long rounded(String name, JsonNode value) throws IntrinsicException {
        if (!value.isNumber()) {
            throw new IntrinsicException(name + ": the arguments must be numbers");
        }
        return Math.round(value.asDouble());
    }

    private static boolean contains(ArrayNode array, JsonNode item) {
        for (JsonNode existing : array) {
            if (existing.equals(item)) {
                return true;
            }
        }
        return false;
    }

    private static void arity(String name, List<JsonNode> args, int count) throws IntrinsicException {
        if (args.size() != count) {
            throw new IntrinsicException(name + " takes " + count + " argument(s), got " + args.size());
        }
    }

    private static ArrayNode array(String name, List<JsonNode> args, int index, int count) throws IntrinsicException {
        arity(name, args, count);
        if (!args.get(index).isArray()) {
            throw new IntrinsicException(name + ": argument " + (index + 1) + " must be an array");
        }
        return (ArrayNode) args.get(index);
    }

    private static String text(String name, List<JsonNode> args, int index, int count) throws IntrinsicException {
        arity(name, args, count);
        if (!args.get(index).isTextual()) {
            throw new IntrinsicException(name + ": argument " + (index + 1) + " must be a string");
        }
        return args.get(index).asText();
    }

    private static int integer(String name, List<JsonNode> args, int index) throws IntrinsicException {
        JsonNode value = args.get(index);
        if (!value.isNumber() || value.asDouble() != Math.rint(value.asDouble())) {
            throw new IntrinsicException(name + ": argument " + (index + 1) + " must be an integer");
        }
        return value.asInt();
    }
}
