package io.syncexec.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.json.Json;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** The body of one import queue message: one date of one execution. */
public record ImportMessage(String clientId, String syncId, String executionId, LocalDate date) {

    public String toJson() {
        return Json.MAPPER.createObjectNode()
                .put("clientId", clientId).put("syncId", syncId).put("executionId", executionId).put("date", date.toString())
                .toString();
    }

    /** The message in {@code body}, or null when it is not one of ours (it then goes to the DLQ). */
    public static ImportMessage parse(String body) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            String clientId = json.path("clientId").asText(null);
            String syncId = json.path("syncId").asText(null);
            String executionId = json.path("executionId").asText(null);
            String date = json.path("date").asText(null);
            if (clientId == null || syncId == null || executionId == null || date == null) {
                return null;
            }
            return new ImportMessage(clientId, syncId, executionId, LocalDate.parse(date));
        } catch (java.io.IOException | DateTimeParseException | NullPointerException e) {
            return null;
        }
    }
}
