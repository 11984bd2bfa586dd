package io.syncexec.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSON object read strictly: unknown fields, {@code null} values and wrong types are refused
 * with {@code INVALID_REQUEST} naming the field, so a client learns exactly what to fix; content
 * after the object is {@code INVALID_JSON}. A {@code null} is never read as "absent": a client
 * that sends {@code "dryRun": null} meant something, and guessing what would start a real run.
 */
public final class StrictObject {
    private static final DateTimeFormatter ISO_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    /** Four-digit years only: "+999999999-12-31" and "-999999999-01-01" are not dates a person means. */
    private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final ObjectNode node;
    private final String prefix;

    private StrictObject(ObjectNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /** Parses a request body that must be one JSON object with only the allowed fields. */
    public static StrictObject parse(String body, Set<String> allowed) {
        if (body == null || body.isBlank()) {
            throw new Refusal(Reason.INVALID_JSON, "The request body is empty; a JSON object is expected.");
        }
        JsonNode node;
        try {
            node = READER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Refusal(Reason.INVALID_JSON, "The request body is not valid JSON.",
                    Map.of("line", e.getLocation() == null ? 0 : e.getLocation().getLineNr()));
        }
        if (!(node instanceof ObjectNode object)) {
            throw new Refusal(Reason.INVALID_REQUEST, "The request body must be a JSON object.");
        }
        return new StrictObject(object, "").only(allowed);
    }

    /** The nested object at {@code field}, or null when absent. */
    public StrictObject object(String field, Set<String> allowed) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!(value instanceof ObjectNode object)) {
            throw wrongType(field, "an object");
        }
        return new StrictObject(object, prefix + field + ".").only(allowed);
    }

    public boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    public String string(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string");
        }
        return value.textValue();
    }

    public String requiredString(String field) {
        String value = string(field);
        if (value == null) {
            throw missing(field);
        }
        return value;
    }

    public Boolean bool(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw wrongType(field, "true or false");
        }
        return value.booleanValue();
    }

    public Integer integer(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw wrongType(field, "a whole number");
        }
        return value.intValue();
    }

    /** A strict ISO date (2024-02-29 yes, 2023-02-29 no); a non-string is a wrong type. */
    public LocalDate date(String field) {
        String text = string(field);
        if (text == null) {
            return null;
        }
        LocalDate date = parseDate(text);
        if (date == null) {
            throw new Refusal(Reason.INVALID_DATE,
                    prefix + field + " must be a calendar date written YYYY-MM-DD; got \"" + abbreviate(text) + "\".",
                    Map.of("field", prefix + field));
        }
        return date;
    }

    /**
     * {@code text} as a calendar date written YYYY-MM-DD (a four-digit year, a real day), or null.
     * Query parameters are read with it too.
     */
    public static LocalDate parseDate(String text) {
        if (text == null || !DATE_SHAPE.matcher(text).matches()) {
            return null;
        }
        try {
            return LocalDate.parse(text, ISO_DATE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public LocalDate requiredDate(String field) {
        LocalDate date = date(field);
        if (date == null) {
            throw new Refusal(Reason.INVALID_DATE, prefix + field + " is required (YYYY-MM-DD).",
                    Map.of("field", prefix + field));
        }
        return date;
    }

    public JsonNode raw(String field) {
        return node.get(field);
    }

    /** Refuses any field present that {@code allowed} does not name, and any field set to {@code null}. */
    public StrictObject only(Set<String> allowed) {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                unknown.add(prefix + name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new Refusal(Reason.INVALID_REQUEST, "Unknown field" + (unknown.size() > 1 ? "s" : "")
                    + ": " + String.join(", ", unknown) + ".", Map.of("fields", unknown));
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNull()) {
                throw invalid(field.getKey(), "must not be null; leave the field out to use its default.");
            }
        }
        return this;
    }

    public Refusal missing(String field) {
        return new Refusal(Reason.INVALID_REQUEST, prefix + field + " is required.",
                Map.of("field", prefix + field));
    }

    public Refusal invalid(String field, String message) {
        return new Refusal(Reason.INVALID_REQUEST, prefix + field + " " + message,
                Map.of("field", prefix + field));
    }

    private Refusal wrongType(String field, String expected) {
        return invalid(field, "must be " + expected + ".");
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
