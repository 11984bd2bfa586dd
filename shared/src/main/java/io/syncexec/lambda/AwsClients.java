package io.syncexec.lambda;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;

/**
 * The one place SDK clients are built: once per execution environment, with one sync HTTP client
 * (URLConnection: no Netty, no Apache), region and credentials from the Lambda environment, and
 * endpoints from the SDK's standard settings ({@code AWS_ENDPOINT_URL_DYNAMODB} and friends), so
 * production code never branches on where it runs.
 */
public final class AwsClients {
    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(10))
            .build();
    // Lambda puts credentials in the environment, or with SnapStart behind the container
    // credentials endpoint; the local mode's in-process hosts use system properties. Skipping the
    // default chain's probing (profile files, web identity, instance metadata) keeps cold starts short.
    private static final AwsCredentialsProvider CREDENTIALS = AwsCredentialsProviderChain.of(
            EnvironmentVariableCredentialsProvider.create(), SystemPropertyCredentialsProvider.create(),
            ContainerCredentialsProvider.builder().build());
    private static final ClientOverrideConfiguration OVERRIDES = ClientOverrideConfiguration.builder()
            .retryStrategy(RetryMode.STANDARD)
            .build();

    private static volatile DynamoDbClient dynamo;
    private static volatile SfnClient sfn;
    private static volatile SqsClient sqs;
    private static volatile EventBridgeClient events;

    private AwsClients() {
    }

    public static DynamoDbClient dynamo() {
        DynamoDbClient client = dynamo;
        if (client == null) {
            synchronized (AwsClients.class) {
                if (dynamo == null) {
                    dynamo = DynamoDbClient.builder()
                            .httpClient(HTTP)
                            .credentialsProvider(CREDENTIALS)
                            .overrideConfiguration(OVERRIDES)
                            .build();
                }
                client = dynamo;
            }
        }
        return client;
    }

    public static SfnClient stepFunctions() {
        SfnClient client = sfn;
        if (client == null) {
            synchronized (AwsClients.class) {
                if (sfn == null) {
                    sfn = SfnClient.builder()
                            .httpClient(HTTP)
                            .credentialsProvider(CREDENTIALS)
                            .overrideConfiguration(OVERRIDES)
                            .build();
                }
                client = sfn;
            }
        }
        return client;
    }

    public static SqsClient sqs() {
        SqsClient client = sqs;
        if (client == null) {
            synchronized (AwsClients.class) {
                if (sqs == null) {
                    sqs = SqsClient.builder()
                            .httpClient(HTTP)
                            .credentialsProvider(CREDENTIALS)
                            .overrideConfiguration(OVERRIDES)
                            .build();
                }
                client = sqs;
            }
        }
        return client;
    }

    public static EventBridgeClient eventBridge() {
        EventBridgeClient client = events;
        if (client == null) {
            synchronized (AwsClients.class) {
                if (events == null) {
                    events = EventBridgeClient.builder()
                            .httpClient(HTTP)
                            .credentialsProvider(CREDENTIALS)
                            .overrideConfiguration(OVERRIDES)
                            .build();
                }
                client = events;
            }
        }
        return client;
    }
}
