package io.syncexec.api;

import java.util.Map;

/** An HTTP request as the API needs it, independent of the event type that carried it. */
public record ApiRequest(String method, String path, Map<String, String> query, String body, Caller caller) {
    public ApiRequest {
        query = query == null ? Map.of() : query;
    }
}
