package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.standins.TemplateResources;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** template.yaml as the contract tests read it (intrinsics in their long form: Ref, Fn::GetAtt, Fn::Sub). */
final class Template {
    static final Path ROOT = Path.of(System.getProperty("syncexec.root", ".."));
    private final JsonNode template;

    private Template(JsonNode template) {
        this.template = template;
    }

    static Template read() {
        return new Template(TemplateResources.read(ROOT.resolve("template.yaml")).template());
    }

    JsonNode resources() {
        return template.path("Resources");
    }

    /** A parameter's {@code Default}, or null. */
    String parameterDefault(String parameter) {
        return template.path("Parameters").path(parameter).path("Default").asText(null);
    }

    /** A parameter's {@code MaxValue}, or 0. */
    long parameterMax(String parameter) {
        return template.path("Parameters").path(parameter).path("MaxValue").asLong(0);
    }

    /** {@code Globals.Function}: what every function gets unless it says otherwise. */
    JsonNode functionGlobals() {
        return template.path("Globals").path("Function");
    }

    JsonNode resource(String id) {
        return resources().path(id);
    }

    List<String> ids(String type) {
        List<String> ids = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = resources().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (type.equals(e.getValue().path("Type").asText())) {
                ids.add(e.getKey());
            }
        }
        return ids;
    }

    /** A function's environment with every value made concrete enough to construct its handler. */
    Map<String, String> environment(String functionId) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode vars = resource(functionId).path("Properties").path("Environment").path("Variables");
        for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            env.put(e.getKey(), value(e.getValue()));
        }
        return env;
    }

    private String value(JsonNode node) {
        if (node.isTextual() || node.isNumber()) {
            return node.asText();
        }
        if (node.has("Ref")) {
            String ref = node.get("Ref").asText();
            JsonNode parameter = template.path("Parameters").path(ref);
            if (!parameter.isMissingNode()) {
                return parameter.path("Default").asText();
            }
            if (resource(ref).isMissingNode()) {
                throw new AssertionError("!Ref to nothing: " + ref);
            }
            return resource(ref).path("Type").asText().equals("AWS::SQS::Queue")
                    ? "http://127.0.0.1:1/123456789012/local-" + ref
                    : "local-" + ref;
        }
        if (node.has("Fn::GetAtt")) {
            return "arn:aws:local:::" + node.get("Fn::GetAtt").toString();
        }
        throw new AssertionError("unexpected environment value " + node);
    }

    String handlerClass(String functionId) {
        String handler = resource(functionId).path("Properties").path("Handler").asText();
        return handler.substring(0, handler.indexOf("::"));
    }

    /** The event types of a function's Events: HttpApi, SQS, Schedule, … */
    List<String> eventTypes(String functionId) {
        List<String> types = new ArrayList<>();
        resource(functionId).path("Properties").path("Events").forEach(e -> types.add(e.path("Type").asText()));
        return types;
    }
}
