package io.syncexec.stepfunctions.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One event of an execution's history, as GetExecutionHistory returns it: {@code detailsKey} is
 * the API's field name for the details (e.g. {@code stateEnteredEventDetails}).
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, String type, String detailsKey,
                           ObjectNode details) {
}
