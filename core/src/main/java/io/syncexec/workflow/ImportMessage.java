package io.syncexec.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.json.Json;
import io.syncexec.observability.Correlation;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The body of one import queue message: one date of one execution, and the run's correlation id
 * (so the worker's log lines join the API's and the state machine's). A message sent again because
 * its date had to wait for its source (a deferral) carries the attempts its earlier deliveries
 * spent ({@code failures}) and how often it was deferred: SQS counts receipts per message, so a new
 * message starts at one receipt and only real failures count towards the last attempt. With a
 * {@code window} (windowed dispatch, docs/fairness.md), the date's outcome sends the date
 * {@code window} places later in the plan; 0 for a run whose dates were all sent at once.
 */
public record ImportMessage(String clientId, String syncId, String executionId, LocalDate date, String correlationId,
                            int failures, int deferrals, int window) {

    public ImportMessage(String clientId, String syncId, String executionId, LocalDate date, String correlationId) {
        this(clientId, syncId, executionId, date, correlationId, 0, 0, 0);
    }

    /** This message to send again later: {@code spent} more attempts spent, one more deferral. */
    public ImportMessage deferred(int spent) {
        return new ImportMessage(clientId, syncId, executionId, date, correlationId, failures + spent, deferrals + 1, window);
    }

    /** The message of the date after this one in its window: {@code next}, with no attempt spent. */
    public ImportMessage successor(LocalDate next) {
        return new ImportMessage(clientId, syncId, executionId, next, correlationId, 0, 0, window);
    }

    /** This message in a run dispatched by windows of {@code size} dates. */
    public ImportMessage inWindow(int size) {
        return new ImportMessage(clientId, syncId, executionId, date, correlationId, failures, deferrals, size);
    }

    /** A message of the run in hand: its correlation id is the one bound now, if any. */
    public ImportMessage(String clientId, String syncId, String executionId, LocalDate date) {
        this(clientId, syncId, executionId, date, Correlation.id());
    }

    public String toJson() {
        var json = Json.MAPPER.createObjectNode()
                .put("clientId", clientId).put("syncId", syncId).put("executionId", executionId).put("date", date.toString());
        if (correlationId != null) {
            json.put("correlationId", correlationId);
        }
        if (failures > 0) {
            json.put("failures", failures);
        }
        if (deferrals > 0) {
            json.put("deferrals", deferrals);
        }
        if (window > 0) {
            json.put("window", window);
        }
        return json.toString();
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
            return new ImportMessage(clientId, syncId, executionId, LocalDate.parse(date), json.path("correlationId").asText(null),
                    Math.max(0, json.path("failures").asInt(0)), Math.max(0, json.path("deferrals").asInt(0)),
                    Math.max(0, json.path("window").asInt(0)));
        } catch (java.io.IOException | DateTimeParseException | NullPointerException e) {
            return null;
        }
    }
}
