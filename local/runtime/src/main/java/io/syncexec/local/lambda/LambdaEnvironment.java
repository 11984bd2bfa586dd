package io.syncexec.local.lambda;

import io.syncexec.local.template.FunctionDefinition;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one function finds in its environment, as on Lambda: the variables Lambda sets itself (region,
 * credentials, the function's name, memory and version), that function's own template variables and
 * nothing of the others', and, here, the SDK's standard endpoint variables pointing at the stand-ins
 * ({@code AWS_ENDPOINT_URL_DYNAMODB} and friends).
 *
 * @param endpoints by the SDK's service id, e.g. {@code DYNAMODB}, {@code SQS}, {@code SFN}
 */
public record LambdaEnvironment(String region, String accessKeyId, String secretAccessKey, Map<String, URI> endpoints) {

    public LambdaEnvironment {
        endpoints = Map.copyOf(endpoints);
    }

    /** The environment {@code function}'s handler is constructed with. */
    public Map<String, String> of(FunctionDefinition function) {
        Map<String, String> environment = new TreeMap<>();
        endpoints.forEach((service, endpoint) -> environment.put("AWS_ENDPOINT_URL_" + service, endpoint.toString()));
        environment.putAll(function.environment());
        environment.put("AWS_REGION", region);
        environment.put("AWS_DEFAULT_REGION", region);
        environment.put("AWS_ACCESS_KEY_ID", accessKeyId);
        environment.put("AWS_SECRET_ACCESS_KEY", secretAccessKey);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        return Map.copyOf(environment);
    }
}
