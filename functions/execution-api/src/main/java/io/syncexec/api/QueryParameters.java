package io.syncexec.api;

import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import io.syncexec.execution.ExecutionIds;
import io.syncexec.json.StrictObject;
import io.syncexec.sync.Sync;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How the API reads a query string: unknown names refused, dates, enum lists and page tokens checked, each refusal naming its field. */
final class QueryParameters {
    /** The ledger's query dates: from the earliest first date a sync may have to the end of the century after it. */
    static final LocalDate FIRST_DATE = Sync.EARLIEST_FIRST_DATE;
    static final LocalDate LAST_DATE = LocalDate.of(2099, 12, 31);

    private QueryParameters() {
    }

    /** Refuses query parameters the route does not read, naming them, as bodies refuse unknown fields. */
    static void onlyQuery(ApiRequest request, Set<String> allowed) {
        List<String> unknown = request.query().keySet().stream().filter(name -> !allowed.contains(name)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new Refusal(Reason.INVALID_REQUEST, "Unknown query parameter" + (unknown.size() > 1 ? "s" : "")
                    + ": " + String.join(", ", unknown.stream().map(QueryParameters::abbreviate).toList()) + ".",
                    Map.of("field", abbreviate(unknown.get(0))));
        }
    }

    /** The {@code limit} query parameter: a page size from 1 to {@code max}, {@code otherwise} when absent. */
    static int limit(ApiRequest request, int otherwise, int max) {
        String limitText = request.query().get("limit");
        if (limitText == null) {
            return otherwise;
        }
        // ASCII digits only: Integer.parseInt would also read other scripts' digits.
        int limit = limitText.matches("[0-9]{1,3}") ? Integer.parseInt(limitText) : -1;
        if (limit < 1 || limit > max) {
            throw new Refusal(Reason.INVALID_REQUEST, "limit must be a whole number from 1 to " + max + ".",
                    Map.of("field", "limit"));
        }
        return limit;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    /**
     * A query date: YYYY-MM-DD with a four-digit year, a real day ({@code -999999999-01-01} and
     * {@code +999999999-12-31} are refused here, before any date arithmetic could overflow).
     */
    static LocalDate queryDate(ApiRequest request, String name) {
        String text = request.query().get(name);
        if (text == null || text.isEmpty()) {
            return null;
        }
        LocalDate date = StrictObject.parseDate(text);
        if (date == null || date.isBefore(FIRST_DATE) || date.isAfter(LAST_DATE)) {
            throw new Refusal(Reason.INVALID_DATE, name + " must be a calendar date written YYYY-MM-DD, from "
                    + FIRST_DATE + " to " + LAST_DATE + ".", Map.of("field", name));
        }
        return date;
    }

    /** A query parameter holding one or more (comma-separated) names of an enum; absent or empty: none. */
    static <E extends Enum<E>> Set<E> enumValues(ApiRequest request, String name, Class<E> type) {
        String text = request.query().get(name);
        if (text == null || text.isEmpty()) {
            return Set.of();
        }
        Set<E> values = new LinkedHashSet<>();
        for (String value : text.split(",", -1)) {
            E found = Arrays.stream(type.getEnumConstants()).filter(c -> c.name().equals(value)).findFirst()
                    .orElseThrow(() -> new Refusal(Reason.INVALID_REQUEST, name + " must be one or more of "
                            + Arrays.toString(type.getEnumConstants()) + ", comma-separated.", Map.of("field", name)));
            values.add(found);
        }
        return values;
    }

    static <E> E single(Set<E> values, String name) {
        if (values.size() > 1) {
            throw new Refusal(Reason.INVALID_REQUEST, name + " takes one value.", Map.of("field", name));
        }
        return values.isEmpty() ? null : values.iterator().next();
    }

    static String decodeToken(String token) {
        if (token == null || token.isEmpty()) {
            return null;
        }
        try {
            String id = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (ExecutionIds.valid(id)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the refusal below
        }
        throw new Refusal(Reason.INVALID_REQUEST, "nextToken is not one this API gave out.", Map.of("field", "nextToken"));
    }
}
