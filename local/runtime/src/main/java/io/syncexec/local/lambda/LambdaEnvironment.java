package io.syncexec.local.lambda;

import io.syncexec.local.template.FunctionDefinition;
import io.syncexec.standins.StandIns;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one function finds in its environment, as on Lambda: the variables Lambda sets itself (region,
 * credentials, the function's name, memory and version), that function's own template variables and
 * nothing of the others', and, here, the SDK's standard endpoint variables pointing at the stand-ins
 * ({@code AWS_ENDPOINT_URL_DYNAMODB} and friends).
 *
 * <p>Each function signs with credentials of its own role, as on AWS, where a request's credentials
 * name the role that made it: the access key id is {@link #accessKeyIdOf} its logical id. The same
 * goes for what acts with a resource's role besides the function's code (an SQS event source polls
 * with its function's role, the state machine invokes with its own), so whoever counts or checks
 * requests tells their callers apart by the signature alone, whatever thread sent them.
 *
 * @param endpoints by the SDK's service id, e.g. {@code DYNAMODB}, {@code SQS}, {@code SFN}
 */
public record LambdaEnvironment(String region, Map<String, URI> endpoints) {
    private static final String ROLE_KEY_PREFIX = "role-";

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
        environment.put("AWS_ACCESS_KEY_ID", accessKeyIdOf(function.logicalId()));
        environment.put("AWS_SECRET_ACCESS_KEY", StandIns.SECRET_ACCESS_KEY);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        return Map.copyOf(environment);
    }

    /** The credentials of the role of the template's resource {@code logicalId} (a function, the state machine). */
    public static StaticCredentialsProvider credentialsOf(String logicalId) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyIdOf(logicalId), StandIns.SECRET_ACCESS_KEY));
    }

    /** The access key id the role of {@code logicalId} signs with. */
    public static String accessKeyIdOf(String logicalId) {
        return ROLE_KEY_PREFIX + logicalId;
    }

    /** The logical id whose role signs with {@code accessKeyId}, if it is one of theirs. */
    public static Optional<String> roleOf(String accessKeyId) {
        return accessKeyId != null && accessKeyId.startsWith(ROLE_KEY_PREFIX) && accessKeyId.length() > ROLE_KEY_PREFIX.length()
                ? Optional.of(accessKeyId.substring(ROLE_KEY_PREFIX.length())) : Optional.empty();
    }
}
