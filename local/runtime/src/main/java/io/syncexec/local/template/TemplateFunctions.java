package io.syncexec.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.standins.TemplateResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The functions and state machines of template.yaml, resolved against a {@link Stack} as CloudFormation
 * would deploy them: handler classes, timeouts, environments, events, and state machine definitions
 * with their substitutions applied. The template is the one source: nothing here knows a function.
 */
public final class TemplateFunctions {

    public static final String FUNCTION_TYPE = "AWS::Serverless::Function";
    public static final String STATE_MACHINE_TYPE = "AWS::Serverless::StateMachine";

    /** Lambda's defaults when neither the function nor {@code Globals.Function} sets them. */
    private static final int DEFAULT_TIMEOUT_SECONDS = 3;
    private static final int DEFAULT_MEMORY_MB = 128;
    private static final Pattern HANDLER = Pattern.compile("([\\w.$]+)::(\\w+)");
    private static final Pattern DEFINITION_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final Map<String, FunctionDefinition> functions;
    private final Map<String, StateMachineDefinition> stateMachines;

    private TemplateFunctions(Map<String, FunctionDefinition> functions, Map<String, StateMachineDefinition> stateMachines) {
        this.functions = functions;
        this.stateMachines = stateMachines;
    }

    /** Reads {@code templateFile}; {@code DefinitionUri} paths are relative to its folder. */
    public static TemplateFunctions read(Path templateFile, Stack stack) {
        JsonNode template = TemplateResources.read(templateFile).template();
        References references = new References(template, stack);
        Map<String, FunctionDefinition> functions = new LinkedHashMap<>();
        Map<String, StateMachineDefinition> stateMachines = new LinkedHashMap<>();
        JsonNode globals = template.path("Globals").path("Function");
        template.path("Resources").fields().forEachRemaining(resource -> {
            String id = resource.getKey();
            String type = resource.getValue().path("Type").asText();
            JsonNode properties = resource.getValue().path("Properties");
            if (type.equals(FUNCTION_TYPE)) {
                functions.put(id, function(id, merge(globals, properties), references, stack));
            } else if (type.equals(STATE_MACHINE_TYPE)) {
                stateMachines.put(id, stateMachine(id, properties, references, stack, templateFile.toAbsolutePath().getParent()));
            }
        });
        checkOverridesExist(stack.environmentOverrides(), functions.values());
        return new TemplateFunctions(functions, stateMachines);
    }

    /** Every function, in template order. */
    public List<FunctionDefinition> functions() {
        return List.copyOf(functions.values());
    }

    /** The function named {@code logicalId}. */
    public FunctionDefinition function(String logicalId) {
        FunctionDefinition function = functions.get(logicalId);
        if (function == null) {
            throw new IllegalArgumentException("No function " + logicalId + " in the template; it has " + functions.keySet());
        }
        return function;
    }

    /** Every state machine, in template order. */
    public List<StateMachineDefinition> stateMachines() {
        return List.copyOf(stateMachines.values());
    }

    public StateMachineDefinition stateMachine(String logicalId) {
        StateMachineDefinition machine = stateMachines.get(logicalId);
        if (machine == null) {
            throw new IllegalArgumentException("No state machine " + logicalId + " in the template; it has " + stateMachines.keySet());
        }
        return machine;
    }

    private static FunctionDefinition function(String id, JsonNode properties, References references, Stack stack) {
        String handler = references.text(properties.path("Handler"), id + ".Handler");
        Matcher matcher = HANDLER.matcher(handler == null ? "" : handler);
        if (!matcher.matches()) {
            throw new TemplateException(id + ".Handler must be package.Class::method, got " + handler);
        }
        if (!matcher.group(2).equals("handleRequest")) {
            throw new TemplateException(id + ".Handler: only handleRequest (RequestHandler, RequestStreamHandler) runs locally, got " + handler);
        }
        Map<String, String> environment = new TreeMap<>();
        properties.path("Environment").path("Variables").fields().forEachRemaining(variable -> {
            String value = references.text(variable.getValue(), id + ".Environment." + variable.getKey());
            if (value != null) {
                environment.put(variable.getKey(), value);
            }
        });
        stack.environmentOverrides().forEach((name, value) -> environment.replace(name, value));
        List<FunctionEvent> events = new ArrayList<>();
        properties.path("Events").fields().forEachRemaining(event ->
                events.add(event(id, event.getKey(), event.getValue(), references, stack)));
        return new FunctionDefinition(id, stack.functionArn(id), matcher.group(1),
                Duration.ofSeconds(integer(properties.path("Timeout"), DEFAULT_TIMEOUT_SECONDS, id + ".Timeout", references)),
                integer(properties.path("MemorySize"), DEFAULT_MEMORY_MB, id + ".MemorySize", references),
                environment, events);
    }

    private static FunctionEvent event(String functionId, String name, JsonNode event, References references, Stack stack) {
        String where = functionId + ".Events." + name;
        JsonNode properties = event.path("Properties");
        String type = event.path("Type").asText();
        switch (type) {
            case "SQS": {
                String queueArn = references.text(properties.path("Queue"), where + ".Queue");
                String queueId = stack.queueUrls().entrySet().stream()
                        .filter(queue -> stack.queueArn(queue.getValue()).equals(queueArn))
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElseThrow(() -> new TemplateException(where + ".Queue: " + queueArn + " is not a queue of the template"));
                int batchSize = integer(properties.path("BatchSize"), 10, where + ".BatchSize", references);
                if (batchSize < 1 || batchSize > 10) {
                    throw new TemplateException(where + ".BatchSize " + batchSize + ": a standard queue's batch is 1 to 10 messages locally");
                }
                boolean report = references.texts(properties.path("FunctionResponseTypes"), where + ".FunctionResponseTypes")
                        .contains("ReportBatchItemFailures");
                return new FunctionEvent.QueueTrigger(name, queueId, stack.queueUrls().get(queueId), queueArn, batchSize, report,
                        bool(properties.path("Enabled"), true, where + ".Enabled", references));
            }
            case "Schedule": {
                String expression = references.text(properties.path("Schedule"), where + ".Schedule");
                boolean enabled = properties.has("State")
                        ? "ENABLED".equals(references.text(properties.path("State"), where + ".State"))
                        : bool(properties.path("Enabled"), true, where + ".Enabled", references);
                return new FunctionEvent.Schedule(name, stack.name() + "-" + functionId + name, expression, enabled);
            }
            case "HttpApi": {
                String method = references.text(properties.path("Method"), where + ".Method");
                String path = references.text(properties.path("Path"), where + ".Path");
                return new FunctionEvent.HttpRoute(name, method == null ? "ANY" : method.toUpperCase(), path == null ? "$default" : path);
            }
            default:
                throw new TemplateException(where + ": event type " + type + " is not supported locally");
        }
    }

    private static StateMachineDefinition stateMachine(String id, JsonNode properties, References references, Stack stack, Path folder) {
        String uri = references.text(properties.path("DefinitionUri"), id + ".DefinitionUri");
        if (uri == null) {
            throw new TemplateException(id + ": only DefinitionUri (a file of the repository) is supported locally");
        }
        Path file = folder.resolve(uri).normalize();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(id + ".DefinitionUri: cannot read " + file, e);
        }
        Map<String, String> substitutions = new LinkedHashMap<>();
        properties.path("DefinitionSubstitutions").fields().forEachRemaining(substitution -> substitutions.put(
                substitution.getKey(), references.text(substitution.getValue(), id + ".DefinitionSubstitutions." + substitution.getKey())));
        Matcher matcher = DEFINITION_VARIABLE.matcher(text);
        StringBuilder definition = new StringBuilder();
        while (matcher.find()) {
            String value = substitutions.get(matcher.group(1));
            if (value == null) {
                throw new TemplateException(file + " uses ${" + matcher.group(1) + "}, which " + id + ".DefinitionSubstitutions does not define");
            }
            matcher.appendReplacement(definition, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(definition);
        String name = references.stateMachineName(id);
        String type = properties.has("Type") ? references.text(properties.path("Type"), id + ".Type") : "STANDARD";
        return new StateMachineDefinition(id, name, stack.stateMachineArn(name), type, file, definition.toString());
    }

    /** The function's properties over {@code Globals.Function}; {@code Environment.Variables} are merged by name. */
    private static JsonNode merge(JsonNode globals, JsonNode properties) {
        ObjectNode merged = globals.isObject() ? ((ObjectNode) globals).deepCopy() : JsonNodeFactory.instance.objectNode();
        properties.fields().forEachRemaining(property -> merged.set(property.getKey(), property.getValue()));
        JsonNode globalVariables = globals.path("Environment").path("Variables");
        if (globalVariables.isObject()) {
            ObjectNode variables = ((ObjectNode) globalVariables).deepCopy();
            properties.path("Environment").path("Variables").fields()
                    .forEachRemaining(variable -> variables.set(variable.getKey(), variable.getValue()));
            merged.putObject("Environment").set("Variables", variables);
        }
        return merged;
    }

    private static void checkOverridesExist(Map<String, String> overrides, Iterable<FunctionDefinition> functions) {
        Set<String> names = new HashSet<>();
        functions.forEach(function -> names.addAll(function.environment().keySet()));
        for (String name : overrides.keySet()) {
            if (!names.contains(name)) {
                throw new TemplateException("Environment override " + name + ": no function of the template has that variable");
            }
        }
    }

    private static int integer(JsonNode value, int fallback, String where, References references) {
        String text = references.text(value, where);
        try {
            return text == null ? fallback : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new TemplateException(where + " must be a whole number, got " + text);
        }
    }

    private static boolean bool(JsonNode value, boolean fallback, String where, References references) {
        String text = references.text(value, where);
        return text == null ? fallback : Boolean.parseBoolean(text);
    }
}
