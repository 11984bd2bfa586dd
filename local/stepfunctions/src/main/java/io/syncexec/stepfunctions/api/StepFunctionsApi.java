package io.syncexec.stepfunctions.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.syncexec.stepfunctions.engine.Engine;
import io.syncexec.stepfunctions.engine.ExecutionRun;
import io.syncexec.stepfunctions.engine.RunStatus;
import io.syncexec.stepfunctions.engine.HistoryEvent;
import io.syncexec.stepfunctions.engine.ServiceException;
import io.syncexec.stepfunctions.engine.StateMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Step Functions JSON 1.0 protocol: {@code POST /} with {@code X-Amz-Target:
 * AWSStepFunctions.<Action>}, JSON in and out, errors as HTTP 400 with {@code __type}. Any
 * credentials are accepted (the signature is not checked).
 */
public final class StepFunctionsApi implements HttpHandler {

    private static final Logger LOG = Logger.getLogger(StepFunctionsApi.class.getName());
    private static final String TARGET_PREFIX = "AWSStepFunctions.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Engine engine;

    public StepFunctionsApi(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            byte[] request = body.readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            int status = 200;
            JsonNode response;
            try {
                if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
                    throw new ServiceException("UnknownOperationException", "Expected POST with X-Amz-Target: AWSStepFunctions.<Action>");
                }
                JsonNode input = request.length == 0 ? JSON.createObjectNode() : JSON.readTree(request);
                response = dispatch(target.substring(TARGET_PREFIX.length()), input);
            } catch (ServiceException e) {
                status = 400;
                response = error(e.type(), e.getMessage());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                status = 400;
                response = error("SerializationException", "The request body is not valid JSON");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Step Functions stand-in failed on " + target, e);
                status = 500;
                response = error("InternalFailure", e.toString());
            }
            byte[] bytes = JSON.writeValueAsBytes(response);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private JsonNode dispatch(String action, JsonNode in) {
        return switch (action) {
            case "CreateStateMachine" -> createStateMachine(in);
            case "UpdateStateMachine" -> {
                StateMachine machine = engine.updateStateMachine(text(in, "stateMachineArn"), text(in, "definition"),
                        text(in, "roleArn"));
                yield object().put("updateDate", epoch(machine.updateDate()));
            }
            case "DescribeStateMachine" -> describeStateMachine(engine.stateMachine(text(in, "stateMachineArn")));
            case "DeleteStateMachine" -> {
                engine.deleteStateMachine(text(in, "stateMachineArn"));
                yield object();
            }
            case "ListStateMachines" -> listStateMachines(in);
            case "StartExecution" -> {
                ExecutionRun execution = engine.startExecution(text(in, "stateMachineArn"), text(in, "name"), text(in, "input"));
                yield object().put("executionArn", execution.arn()).put("startDate", epoch(execution.startDate()));
            }
            case "DescribeExecution" -> describeExecution(engine.execution(text(in, "executionArn")));
            case "ListExecutions" -> listExecutions(in);
            case "StopExecution" -> {
                ExecutionRun execution = engine.stopExecution(text(in, "executionArn"), text(in, "error"), text(in, "cause"));
                yield object().put("stopDate", epoch(execution.stopDate()));
            }
            case "GetExecutionHistory" -> history(in);
            case "SendTaskSuccess" -> {
                engine.sendTaskSuccess(required(in, "taskToken"), required(in, "output"));
                yield object();
            }
            case "SendTaskFailure" -> {
                engine.sendTaskFailure(required(in, "taskToken"), text(in, "error"), text(in, "cause"));
                yield object();
            }
            case "SendTaskHeartbeat" -> {
                engine.sendTaskHeartbeat(required(in, "taskToken"));
                yield object();
            }
            default -> throw new ServiceException("UnknownOperationException",
                    "The action " + action + " is not implemented by this Step Functions stand-in");
        };
    }

    private JsonNode createStateMachine(JsonNode in) {
        StateMachine machine = engine.createStateMachine(required(in, "name"), required(in, "definition"),
                text(in, "roleArn"), text(in, "type"));
        return object().put("stateMachineArn", machine.arn()).put("creationDate", epoch(machine.creationDate()));
    }

    private static JsonNode describeStateMachine(StateMachine machine) {
        ObjectNode out = object()
                .put("stateMachineArn", machine.arn())
                .put("name", machine.name())
                .put("status", "ACTIVE")
                .put("definition", machine.definitionText())
                .put("roleArn", machine.roleArn())
                .put("type", "STANDARD")
                .put("creationDate", epoch(machine.creationDate()));
        out.putObject("loggingConfiguration").put("level", "OFF").put("includeExecutionData", false);
        out.putObject("tracingConfiguration").put("enabled", false);
        return out;
    }

    private JsonNode listStateMachines(JsonNode in) {
        return page(in, engine.stateMachines(), "stateMachines", machine -> object()
                .put("stateMachineArn", machine.arn())
                .put("name", machine.name())
                .put("type", "STANDARD")
                .put("creationDate", epoch(machine.creationDate())));
    }

    private static JsonNode describeExecution(ExecutionRun execution) {
        ObjectNode out = object()
                .put("executionArn", execution.arn())
                .put("stateMachineArn", execution.stateMachine().arn())
                .put("name", execution.name())
                .put("status", execution.status().name())
                .put("startDate", epoch(execution.startDate()))
                .put("input", execution.inputText());
        out.putObject("inputDetails").put("included", true);
        if (execution.stopDate() != null) {
            out.put("stopDate", epoch(execution.stopDate()));
        }
        if (execution.output() != null) {
            out.put("output", execution.output());
            out.putObject("outputDetails").put("included", true);
        }
        if (execution.error() != null) {
            out.put("error", execution.error());
        }
        if (execution.cause() != null) {
            out.put("cause", execution.cause());
        }
        out.put("redriveCount", 0);
        return out;
    }

    private JsonNode listExecutions(JsonNode in) {
        String filter = text(in, "statusFilter");
        RunStatus status;
        try {
            status = filter == null ? null : RunStatus.valueOf(filter);
        } catch (IllegalArgumentException e) {
            throw new ServiceException("ValidationException", "Invalid statusFilter: " + filter);
        }
        List<ExecutionRun> executions = engine.executions(text(in, "stateMachineArn"), status);
        return page(in, executions, "executions", execution -> {
            ObjectNode item = object()
                    .put("executionArn", execution.arn())
                    .put("stateMachineArn", execution.stateMachine().arn())
                    .put("name", execution.name())
                    .put("status", execution.status().name())
                    .put("startDate", epoch(execution.startDate()));
            if (execution.stopDate() != null) {
                item.put("stopDate", epoch(execution.stopDate()));
            }
            return item;
        });
    }

    private JsonNode history(JsonNode in) {
        ExecutionRun execution = engine.execution(text(in, "executionArn"));
        List<HistoryEvent> events = new ArrayList<>(execution.history().events());
        if (in.path("reverseOrder").asBoolean(false)) {
            Collections.reverse(events);
        }
        boolean includeData = in.path("includeExecutionData").asBoolean(true);
        return page(in, events, "events", event -> {
            ObjectNode item = object()
                    .put("timestamp", epoch(event.timestamp()))
                    .put("type", event.type())
                    .put("id", event.id())
                    .put("previousEventId", event.previousEventId());
            if (event.detailsKey() != null && event.details() != null) {
                ObjectNode details = event.details().deepCopy();
                if (!includeData) {
                    details.remove(List.of("input", "output", "parameters"));
                }
                item.set(event.detailsKey(), details);
            }
            return item;
        });
    }

    /** One page of {@code items}; {@code nextToken} is the offset of the next page. */
    private static <T> JsonNode page(JsonNode in, List<T> items, String field, Function<T, ObjectNode> render) {
        int max = in.path("maxResults").asInt(0);
        int pageSize = max <= 0 ? 1000 : Math.min(max, 1000);
        int start = 0;
        String token = text(in, "nextToken");
        if (token != null) {
            try {
                start = Integer.parseInt(token);
            } catch (NumberFormatException e) {
                throw new ServiceException("InvalidToken", "Invalid Token: 'the nextToken is not valid'");
            }
        }
        ObjectNode out = object();
        ArrayNode array = out.putArray(field);
        int end = Math.min(items.size(), start + pageSize);
        for (int i = start; i < end; i++) {
            array.add(render.apply(items.get(i)));
        }
        if (end < items.size()) {
            out.put("nextToken", String.valueOf(end));
        }
        return out;
    }

    private static String text(JsonNode in, String field) {
        JsonNode value = in.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String required(JsonNode in, String field) {
        String value = text(in, field);
        if (value == null) {
            throw new ServiceException("ValidationException", "1 validation error detected: Value null at '" + field
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    private static double epoch(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    private static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private static JsonNode error(String type, String message) {
        return object().put("__type", type).put("message", message);
    }
}
