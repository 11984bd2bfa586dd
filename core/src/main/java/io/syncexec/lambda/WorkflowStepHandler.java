package io.syncexec.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.json.Json;
import io.syncexec.observability.Correlation;
import io.syncexec.workflow.WorkflowStep;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A Lambda step of the state machine: reads the {@link WorkflowStep} the state machine sends and
 * writes the step's result as JSON, with the run's correlation id (in the payload) bound. The JSON is read with the project's own mapper, so what a
 * step receives does not depend on the Lambda runtime's serializer.
 */
public abstract class WorkflowStepHandler implements RequestStreamHandler {

    /** Does the step; what it returns becomes the task's result in the state machine. */
    protected abstract Object handle(WorkflowStep step);

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        ObjectNode payload = (ObjectNode) Json.MAPPER.readTree(input);
        JsonNode correlationId = payload.remove("correlationId");
        WorkflowStep step = Json.MAPPER.treeToValue(payload, WorkflowStep.class);
        Object result = Correlation.supply(correlationId == null || correlationId.isNull() ? null : correlationId.asText(),
                () -> handle(step));
        Json.MAPPER.writeValue(output, result == null ? Json.MAPPER.createObjectNode() : result);
    }
}
