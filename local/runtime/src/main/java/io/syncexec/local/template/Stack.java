package io.syncexec.local.template;

import java.net.URI;
import java.util.Map;

/**
 * What a deployment of the template gives its references: the stack's name, region and account,
 * parameter values, the physical names of the tables and the URLs of the queues.
 *
 * @param parameters           parameter values that replace the template's defaults
 * @param environmentOverrides values that replace a function environment variable of that name
 *                             (in every function that has it; naming a variable no function has is an error)
 * @param tables               table logical id to physical name
 * @param queueUrls            queue logical id to queue URL
 */
public record Stack(String name, String region, String accountId, Map<String, String> parameters,
                    Map<String, String> environmentOverrides, Map<String, String> tables, Map<String, String> queueUrls) {

    public Stack {
        parameters = Map.copyOf(parameters);
        environmentOverrides = Map.copyOf(environmentOverrides);
        tables = Map.copyOf(tables);
        queueUrls = Map.copyOf(queueUrls);
    }

    /** {@code arn:aws:lambda:<region>:<account>:function:<name>}; functions are named by their logical id. */
    public String functionArn(String functionName) {
        return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + functionName;
    }

    public String stateMachineArn(String stateMachineName) {
        return "arn:aws:states:" + region + ":" + accountId + ":stateMachine:" + stateMachineName;
    }

    public String tableArn(String tableName) {
        return "arn:aws:dynamodb:" + region + ":" + accountId + ":table/" + tableName;
    }

    /** The queue's name: the last segment of its URL. */
    public static String queueName(String queueUrl) {
        String path = URI.create(queueUrl).getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public String queueArn(String queueUrl) {
        return "arn:aws:sqs:" + region + ":" + accountId + ":" + queueName(queueUrl);
    }
}
