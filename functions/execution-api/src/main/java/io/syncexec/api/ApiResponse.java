package io.syncexec.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncexec.error.Refusal;
import io.syncexec.json.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/** A status and a JSON body. Errors take the one shape of SPEC §4: {@code {"error": {code, message, details}}}. */
public record ApiResponse(int status, String body) {

    public static ApiResponse json(int status, Object value) {
        try {
            return new ApiResponse(status, Json.MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serialisable", e);
        }
    }

    public static ApiResponse error(Refusal e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.reason().name());
        error.put("message", e.getMessage());
        error.put("details", e.details());
        return json(HttpStatuses.of(e.reason()), Map.of("error", error));
    }
}
