package io.syncexec.stepfunctions.definition;

import java.util.regex.Pattern;

/**
 * A Task's Resource, parsed: a Lambda function ARN, or a service integration this interpreter runs
 * ({@code lambda:invoke} or {@code sqs:sendMessage}, optionally {@code .waitForTaskToken}). The ARN
 * of an integration has its partition normalised ({@code arn:aws-cn:states:::} reads as
 * {@code arn:aws:states:::}).
 */
public record TaskResource(String arn, Integration integration, boolean waitsForTaskToken) {

    public enum Integration { LAMBDA_FUNCTION, LAMBDA_INVOKE, SQS_SEND_MESSAGE }

    static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    static final String SQS_SEND_MESSAGE = "arn:aws:states:::sqs:sendMessage";
    private static final String WAIT_FOR_TASK_TOKEN = ".waitForTaskToken";
    private static final Pattern LAMBDA_FUNCTION_ARN =
            Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?");

    /** The resource, or null when this interpreter does not implement it. */
    static TaskResource parse(String resource) {
        if (isLambdaFunctionArn(resource)) {
            return new TaskResource(resource, Integration.LAMBDA_FUNCTION, false);
        }
        String arn = resource.replaceFirst("^arn:aws[a-z-]*:states:", "arn:aws:states:");
        boolean callback = waitsForTaskToken(arn);
        return switch (integration(arn)) {
            case LAMBDA_INVOKE -> new TaskResource(arn, Integration.LAMBDA_INVOKE, callback);
            case SQS_SEND_MESSAGE -> new TaskResource(arn, Integration.SQS_SEND_MESSAGE, callback);
            default -> null;
        };
    }

    static boolean isLambdaFunctionArn(String resource) {
        return LAMBDA_FUNCTION_ARN.matcher(resource).matches();
    }

    static boolean waitsForTaskToken(String resource) {
        return resource.endsWith(WAIT_FOR_TASK_TOKEN);
    }

    /** The service integration without its pattern suffix, e.g. {@code arn:aws:states:::lambda:invoke}. */
    static String integration(String resource) {
        return waitsForTaskToken(resource)
                ? resource.substring(0, resource.length() - WAIT_FOR_TASK_TOKEN.length()) : resource;
    }
}
