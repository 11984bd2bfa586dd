package io.syncexec.stepfunctions.jsonpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A Reference Path (the subset of JSONPath that ResultPath accepts): {@code $}, {@code .name},
 * {@code ['name']} and {@code [index]} steps only, so it names exactly one place to write to.
 */
public final class ReferencePath {

    private final String text;
    private final List<Object> steps;

    private ReferencePath(String text, List<Object> steps) {
        this.text = text;
        this.steps = steps;
    }

    public static ReferencePath parse(String text) {
        if (!text.startsWith("$")) {
            throw new IllegalArgumentException("a reference path starts with $: " + text);
        }
        List<Object> steps = new ArrayList<>();
        int i = 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < text.length() && text.charAt(end) != '.' && text.charAt(end) != '[') {
                    end++;
                }
                String name = text.substring(i + 1, end);
                if (name.isEmpty() || name.equals("*")) {
                    throw new IllegalArgumentException("not a reference path: " + text);
                }
                steps.add(name);
                i = end;
            } else if (c == '[') {
                int close = text.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("not a reference path: " + text);
                }
                String inside = text.substring(i + 1, close).trim();
                if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'")
                        || inside.startsWith("\"") && inside.endsWith("\""))) {
                    steps.add(inside.substring(1, inside.length() - 1));
                } else if (inside.matches("\\d+")) {
                    steps.add(Integer.parseInt(inside));
                } else {
                    throw new IllegalArgumentException("not a reference path: " + text);
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("not a reference path: " + text);
            }
        }
        return new ReferencePath(text, List.copyOf(steps));
    }

    /**
     * Returns a copy of {@code target} with {@code value} written at this path, creating missing
     * objects on the way. Fails when the path crosses a value that is not an object or array.
     */
    public JsonNode write(JsonNode target, JsonNode value) {
        if (steps.isEmpty()) {
            return value;
        }
        JsonNode root = target == null || target.isMissingNode() ? null : target.deepCopy();
        if (root == null || !(root.isObject() || root.isArray())) {
            throw new IllegalStateException("Unable to apply ResultPath '" + text + "' to input " + target);
        }
        JsonNode current = root;
        for (int s = 0; s < steps.size(); s++) {
            Object step = steps.get(s);
            boolean last = s == steps.size() - 1;
            if (step instanceof String name) {
                if (!current.isObject()) {
                    throw new IllegalStateException("Unable to apply ResultPath '" + text + "' to input");
                }
                ObjectNode object = (ObjectNode) current;
                if (last) {
                    object.set(name, value);
                } else {
                    JsonNode next = object.get(name);
                    if (next == null || !(next.isObject() || next.isArray())) {
                        next = object.putObject(name);
                    }
                    current = next;
                }
            } else {
                int index = (Integer) step;
                if (!current.isArray() || index >= current.size()) {
                    throw new IllegalStateException("Unable to apply ResultPath '" + text + "' to input");
                }
                ArrayNode array = (ArrayNode) current;
                if (last) {
                    array.set(index, value);
                } else {
                    current = array.get(index);
                }
            }
        }
        return root;
    }

    @Override
    public String toString() {
        return text;
    }
}
