package io.syncexec.stepfunctions.engine;

import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The Lambda and SQS clients that Task states call, built once and only when first needed.
 * {@link #fromEnvironment(String)} uses the SDK's standard settings, so endpoints come from
 * {@code AWS_ENDPOINT_URL_LAMBDA}, {@code AWS_ENDPOINT_URL_SQS}, {@code AWS_ENDPOINT_URL} or the
 * matching {@code aws.endpointUrl*} system properties.
 */
public final class IntegrationClients {

    private final Supplier<LambdaClient> lambda;
    private final Supplier<SqsClient> sqs;

    private IntegrationClients(Supplier<LambdaClient> lambda, Supplier<SqsClient> sqs) {
        this.lambda = memoize(lambda);
        this.sqs = memoize(sqs);
    }

    /** Given clients (tests, or an embedding program that built its own). */
    public static IntegrationClients of(LambdaClient lambda, SqsClient sqs) {
        return new IntegrationClients(() -> lambda, () -> sqs);
    }

    /**
     * Clients from the environment. The region falls back to {@code fallbackRegion} and the
     * credentials to dummy ones when the environment has none, since local endpoints accept any.
     */
    public static IntegrationClients fromEnvironment(String fallbackRegion) {
        return new IntegrationClients(
                () -> LambdaClient.builder()
                        .httpClient(UrlConnectionHttpClient.create())
                        .region(region(fallbackRegion))
                        .credentialsProvider(credentials())
                        .build(),
                () -> SqsClient.builder()
                        .httpClient(UrlConnectionHttpClient.create())
                        .region(region(fallbackRegion))
                        .credentialsProvider(credentials())
                        .build());
    }

    LambdaClient lambda() {
        return lambda.get();
    }

    SqsClient sqs() {
        return sqs.get();
    }

    private static Region region(String fallback) {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException e) {
            return Region.of(fallback);
        }
    }

    private static AwsCredentialsProviderChain credentials() {
        return AwsCredentialsProviderChain.of(DefaultCredentialsProvider.builder().build(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
