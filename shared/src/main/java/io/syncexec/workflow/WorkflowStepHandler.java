package io.syncexec.workflow;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.syncexec.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A Lambda step of the state machine: reads the {@link WorkflowStep} the state machine sends and
 * writes the step's result as JSON. The JSON is read with the project's own mapper, so what a
 * step receives does not depend on the Lambda runtime's serializer.
 */
public abstract class WorkflowStepHandler implements RequestStreamHandler {

    /** Does the step; what it returns becomes the task's result in the state machine. */
    protected abstract Object handle(WorkflowStep step);

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        WorkflowStep step = Json.MAPPER.readValue(input, WorkflowStep.class);
        Object result = handle(step);
        Json.MAPPER.writeValue(output, result == null ? Json.MAPPER.createObjectNode() : result);
    }
}
