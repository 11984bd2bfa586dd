package io.syncexec.stepfunctions.asl;

import java.util.regex.Pattern;

/** The Task resources this interpreter runs. */
public final class Resources {

    public static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
    public static final String SQS_SEND_MESSAGE = "arn:aws:states:::sqs:sendMessage";
    public static final String WAIT_FOR_TASK_TOKEN = ".waitForTaskToken";

    private static final Pattern LAMBDA_FUNCTION_ARN =
            Pattern.compile("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?");

    private Resources() {
    }

    public static boolean isLambdaFunctionArn(String resource) {
        return LAMBDA_FUNCTION_ARN.matcher(resource).matches();
    }

    public static boolean waitsForTaskToken(String resource) {
        return resource.endsWith(WAIT_FOR_TASK_TOKEN);
    }

    /** The service integration without its pattern suffix, e.g. {@code arn:aws:states:::lambda:invoke}. */
    public static String integration(String resource) {
        return waitsForTaskToken(resource)
                ? resource.substring(0, resource.length() - WAIT_FOR_TASK_TOKEN.length()) : resource;
    }

    public static boolean isSupported(String resource) {
        if (isLambdaFunctionArn(resource)) {
            return true;
        }
        String integration = integration(resource).replaceFirst("^arn:aws[a-z-]*:", "arn:aws:");
        return integration.equals(LAMBDA_INVOKE) || integration.equals(SQS_SEND_MESSAGE);
    }

    /** Normalises the partition so {@code arn:aws-cn:states:::...} is treated like {@code arn:aws:states:::...}. */
    public static String normalised(String resource) {
        return resource.replaceFirst("^arn:aws[a-z-]*:states:", "arn:aws:states:");
    }
}
