package io.syncexec.stepfunctions.intrinsics;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.syncexec.stepfunctions.jsonpath.JsonPaths;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses intrinsic function expressions. String literals are single-quoted; inside them
 * {@code \'}, {@code \{}, {@code \}} and {@code \\} are escapes, as the ASL specification says.
 */
public final class IntrinsicParser {

    private final String text;
    private int pos;

    private IntrinsicParser(String text) {
        this.text = text;
    }

    /** True when the string is meant as an intrinsic call rather than a path. */
    public static boolean looksLikeCall(String expression) {
        return expression.startsWith("States.");
    }

    public static IntrinsicCall parse(String expression) {
        IntrinsicParser parser = new IntrinsicParser(expression);
        IntrinsicCall call = parser.call();
        parser.skipSpaces();
        if (parser.pos != expression.length()) {
            throw parser.error("unexpected text after the call");
        }
        return call;
    }

    private IntrinsicCall call() {
        skipSpaces();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        String name = text.substring(start, pos);
        if (!Intrinsics.FUNCTIONS.contains(name)) {
            throw error("unknown intrinsic function '" + name + "'");
        }
        expect('(');
        List<IntrinsicCall.Argument> arguments = new ArrayList<>();
        skipSpaces();
        if (peek() == ')') {
            pos++;
            return new IntrinsicCall(name, arguments);
        }
        while (true) {
            arguments.add(argument());
            skipSpaces();
            char c = next();
            if (c == ')') {
                return new IntrinsicCall(name, arguments);
            }
            if (c != ',') {
                throw error("expected ',' or ')'");
            }
        }
    }

    private IntrinsicCall.Argument argument() {
        skipSpaces();
        char c = peek();
        if (c == '\'') {
            return string();
        }
        if (c == '$') {
            String path = path();
            if (!JsonPaths.isValid(path)) {
                throw error("invalid path '" + path + "'");
            }
            return new IntrinsicCall.Path(path);
        }
        if (text.startsWith("States.", pos)) {
            return new IntrinsicCall.Call(call());
        }
        String word = word();
        switch (word) {
            case "true":
                return new IntrinsicCall.Literal(JsonNodeFactory.instance.booleanNode(true));
            case "false":
                return new IntrinsicCall.Literal(JsonNodeFactory.instance.booleanNode(false));
            case "null":
                return new IntrinsicCall.Literal(JsonNodeFactory.instance.nullNode());
            default:
                try {
                    BigDecimal number = new BigDecimal(word);
                    if (number.scale() > 0) {
                        return new IntrinsicCall.Literal(JsonNodeFactory.instance.numberNode(number.doubleValue()));
                    }
                    long whole = number.longValueExact();
                    return new IntrinsicCall.Literal(whole == (int) whole
                            ? JsonNodeFactory.instance.numberNode((int) whole)
                            : JsonNodeFactory.instance.numberNode(whole));
                } catch (NumberFormatException | ArithmeticException e) {
                    throw error("unexpected argument '" + word + "'");
                }
        }
    }

    private IntrinsicCall.Literal string() {
        expect('\'');
        StringBuilder value = new StringBuilder();
        StringBuilder template = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string literal");
            }
            char c = text.charAt(pos++);
            if (c == '\'') {
                return new IntrinsicCall.Literal(JsonNodeFactory.instance.textNode(value.toString()), template.toString());
            }
            if (c == '\\' && pos < text.length() && "'{}\\".indexOf(text.charAt(pos)) >= 0) {
                char escaped = text.charAt(pos++);
                value.append(escaped);
                template.append(escaped == '{' ? Intrinsics.LITERAL_OPEN : escaped == '}' ? Intrinsics.LITERAL_CLOSE : escaped);
            } else {
                value.append(c);
                template.append(c);
            }
        }
    }

    private String path() {
        int start = pos;
        int depth = 0;
        char quote = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '(') {
                depth++;
            } else if (c == ']' || (c == ')' && depth > 0)) {
                depth--;
            } else if (depth == 0 && (c == ',' || c == ')')) {
                break;
            }
            pos++;
        }
        return text.substring(start, pos).trim();
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != ',' && text.charAt(pos) != ')') {
            pos++;
        }
        return text.substring(start, pos).trim();
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private char next() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos++);
    }

    private void expect(char c) {
        skipSpaces();
        if (next() != c) {
            throw error("expected '" + c + "'");
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException("The value for the field '" + text + "' is not a valid intrinsic function: "
                + message + " at position " + pos);
    }
}
