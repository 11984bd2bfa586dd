package io.syncexec.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves template values as CloudFormation does at deploy time: {@code Ref} (parameters, pseudo
 * parameters, resources), {@code Fn::GetAtt}, {@code Fn::Sub}, {@code Fn::Join}, {@code Fn::If} with
 * the template's {@code Conditions}. Anything else fails, naming what it met and where.
 */
final class References {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final JsonNode template;
    private final Stack stack;

    References(JsonNode template, Stack stack) {
        this.template = template;
        this.stack = stack;
    }

    /** A scalar value as text; null for {@code AWS::NoValue}. */
    String text(JsonNode value, String where) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isObject() && value.size() == 1) {
            String function = value.fieldNames().next();
            JsonNode argument = value.get(function);
            return switch (function) {
                case "Ref" -> ref(argument.asText(), where);
                case "Fn::GetAtt" -> getAtt(argument.path(0).asText(), argument.path(1).asText(), where);
                case "Fn::Sub" -> sub(argument, where);
                case "Fn::Join" -> join(argument, where);
                case "Fn::If" -> text(condition(argument.path(0).asText(), where) ? argument.path(1) : argument.path(2), where);
                default -> throw new TemplateException("Unsupported intrinsic function " + function + " in " + where);
            };
        }
        throw new TemplateException("Expected a single value in " + where + ", got " + value);
    }

    /** A list of scalars (a YAML list, or one scalar). */
    List<String> texts(JsonNode value, String where) {
        List<String> texts = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(element -> texts.add(text(element, where)));
        } else if (!value.isMissingNode() && !value.isNull()) {
            texts.add(text(value, where));
        }
        return texts;
    }

    String ref(String name, String where) {
        switch (name) {
            case "AWS::Region":
                return stack.region();
            case "AWS::AccountId":
                return stack.accountId();
            case "AWS::Partition":
                return "aws";
            case "AWS::StackName":
                return stack.name();
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::NoValue":
                return null;
            default:
                break;
        }
        JsonNode parameter = template.path("Parameters").path(name);
        if (parameter.isObject()) {
            String value = stack.parameters().get(name);
            if (value != null) {
                return value;
            }
            if (parameter.has("Default")) {
                return parameter.get("Default").asText();
            }
            throw new TemplateException("Parameter " + name + " (referenced in " + where
                    + ") has no Default and no value was given for it");
        }
        if (name.endsWith(".Alias")) {
            return aliasArn(name.substring(0, name.length() - ".Alias".length()), where);
        }
        String type = resourceType(name, "!Ref " + name, where);
        return switch (type) {
            case TemplateFunctions.FUNCTION_TYPE -> functionName(name);
            case TemplateFunctions.STATE_MACHINE_TYPE -> stack.stateMachineArn(stateMachineName(name));
            case "AWS::DynamoDB::Table" -> tableName(name, where);
            case "AWS::SQS::Queue" -> queueUrl(name, where);
            default -> throw new TemplateException("!Ref " + name + " in " + where + ": a " + type + " has no local value");
        };
    }

    /** {@code !Ref Function.Alias}: the ARN of the alias SAM publishes for {@code AutoPublishAlias}. */
    private String aliasArn(String function, String where) {
        if (!TemplateFunctions.FUNCTION_TYPE.equals(resourceType(function, "!Ref " + function + ".Alias", where))) {
            throw new TemplateException("!Ref " + function + ".Alias in " + where + ": " + function + " is not a function");
        }
        JsonNode alias = template.path("Resources").path(function).path("Properties").path("AutoPublishAlias");
        if (alias.isMissingNode()) {
            alias = template.path("Globals").path("Function").path("AutoPublishAlias");
        }
        if (!alias.isTextual()) {
            throw new TemplateException("!Ref " + function + ".Alias in " + where + ": the function has no AutoPublishAlias");
        }
        return stack.functionArn(functionName(function)) + ":" + alias.asText();
    }

    String getAtt(String resource, String attribute, String where) {
        String type = resourceType(resource, "!GetAtt " + resource + "." + attribute, where);
        String value = switch (type + "." + attribute) {
            case TemplateFunctions.FUNCTION_TYPE + ".Arn" -> stack.functionArn(functionName(resource));
            case TemplateFunctions.STATE_MACHINE_TYPE + ".Arn" -> stack.stateMachineArn(stateMachineName(resource));
            case TemplateFunctions.STATE_MACHINE_TYPE + ".Name" -> stateMachineName(resource);
            case "AWS::DynamoDB::Table.Arn" -> stack.tableArn(tableName(resource, where));
            case "AWS::SQS::Queue.Arn" -> stack.queueArn(queueUrl(resource, where));
            case "AWS::SQS::Queue.QueueName" -> Stack.queueName(queueUrl(resource, where));
            case "AWS::SQS::Queue.QueueUrl" -> queueUrl(resource, where);
            default -> null;
        };
        if (value == null) {
            throw new TemplateException("!GetAtt " + resource + "." + attribute + " in " + where
                    + ": attribute " + attribute + " of a " + type + " is not supported locally");
        }
        return value;
    }

    /** {@code Fn::Sub} in both forms: a string, or {@code [string, {variable: value}]}. */
    private String sub(JsonNode argument, String where) {
        String text = argument.isArray() ? argument.path(0).asText() : argument.asText();
        JsonNode variables = argument.isArray() ? argument.path(1) : null;
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String variable = matcher.group(1);
            String value;
            if (variable.startsWith("!")) {
                value = "${" + variable.substring(1) + "}";
            } else if (variables != null && variables.has(variable)) {
                value = text(variables.get(variable), where);
            } else if (variable.contains(".") && !variable.startsWith("AWS::")) {
                String[] parts = variable.split("\\.", 2);
                value = getAtt(parts[0], parts[1], where);
            } else {
                value = ref(variable, where);
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String join(JsonNode argument, String where) {
        List<String> parts = texts(argument.path(1), where);
        return String.join(argument.path(0).asText(), parts);
    }

    boolean condition(String name, String where) {
        JsonNode condition = template.path("Conditions").path(name);
        if (condition.isMissingNode()) {
            throw new TemplateException("Condition " + name + " (used in " + where + ") is not in Conditions");
        }
        return evaluate(condition, "condition " + name);
    }

    private boolean evaluate(JsonNode condition, String where) {
        String function = condition.isObject() && condition.size() == 1 ? condition.fieldNames().next() : "";
        JsonNode argument = condition.path(function);
        return switch (function) {
            case "Fn::Equals" -> String.valueOf(text(argument.path(0), where)).equals(String.valueOf(text(argument.path(1), where)));
            case "Fn::Not" -> !evaluate(argument.path(0), where);
            case "Fn::And" -> all(argument, where, true);
            case "Fn::Or" -> !all(argument, where, false);
            case "Condition" -> condition(argument.asText(), where);
            default -> throw new TemplateException("Unsupported condition " + condition + " in " + where);
        };
    }

    /** And: every one is true. Or (expected false): none is true. */
    private boolean all(JsonNode conditions, String where, boolean expected) {
        for (JsonNode condition : conditions) {
            if (evaluate(condition, where) != expected) {
                return false;
            }
        }
        return true;
    }

    private String resourceType(String logicalId, String reference, String where) {
        JsonNode resource = template.path("Resources").path(logicalId);
        if (!resource.isObject()) {
            throw new TemplateException(reference + " in " + where + ": no parameter or resource " + logicalId + " in the template");
        }
        return resource.path("Type").asText();
    }

    private String functionName(String logicalId) {
        return logicalId;
    }

    /** {@code Name} of the state machine; without one, {@code <stack>-<logicalId>}. */
    String stateMachineName(String logicalId) {
        JsonNode name = template.path("Resources").path(logicalId).path("Properties").path("Name");
        return name.isMissingNode() ? stack.name() + "-" + logicalId : text(name, logicalId + ".Name");
    }

    private String tableName(String logicalId, String where) {
        return lookUp(stack.tables(), logicalId, "table", where);
    }

    private String queueUrl(String logicalId, String where) {
        return lookUp(stack.queueUrls(), logicalId, "queue", where);
    }

    private static String lookUp(Map<String, String> physical, String logicalId, String kind, String where) {
        String value = physical.get(logicalId);
        if (value == null) {
            throw new TemplateException("The " + kind + " " + logicalId + " (referenced in " + where + ") was not created");
        }
        return value;
    }
}
