package io.syncexec.aws;

import io.syncexec.lambda.Config;
import io.syncexec.lambda.OnFirstUse;
import io.syncexec.lambda.Priming;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The one place SDK clients are built (each adapter builds its own once, on first use), with one
 * sync HTTP client (URLConnection: no Netty, no Apache). Region, credentials and endpoints come from
 * the function's environment under the SDK's standard names, read from {@link Config} rather than
 * the process: {@code AWS_REGION}; {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY},
 * {@code AWS_SESSION_TOKEN} (Lambda's; with SnapStart, the container credentials endpoint instead);
 * {@code AWS_ENDPOINT_URL_<SERVICE>} and {@code AWS_ENDPOINT_URL} when set (never on Lambda). So
 * production code never branches on where it runs, and skipping the SDK's default chains
 * (profile files, web identity, instance metadata) keeps cold starts short.
 */
public final class AwsClients {
    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(10))
            .build();
    private static final ClientOverrideConfiguration OVERRIDES = ClientOverrideConfiguration.builder()
            .retryStrategy(RetryMode.STANDARD)
            .build();

    private AwsClients() {
    }

    /**
     * A client of one service built on its first use (an invocation that never calls the service never
     * loads it), and before a SnapStart snapshot ({@link Priming}), so a restored function has it.
     */
    public static <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> Supplier<C> onFirstUse(
            Supplier<B> builder, String serviceId, Config config) {
        Supplier<C> client = OnFirstUse.of(() -> build(builder.get(), serviceId, config));
        Priming.register(client::get);
        return client;
    }

    /**
     * A client of one service for the function with this configuration.
     *
     * @param serviceId the service's part of {@code AWS_ENDPOINT_URL_<SERVICE>}, e.g. {@code DYNAMODB}
     */
    public static <B extends AwsSyncClientBuilder<B, C> & AwsClientBuilder<B, C>, C> C build(B builder, String serviceId, Config config) {
        builder.httpClient(HTTP).credentialsProvider(credentials(config)).overrideConfiguration(OVERRIDES);
        String region = config.get("AWS_REGION");
        if (region != null) {
            builder.region(Region.of(region));
        }
        String endpoint = config.get("AWS_ENDPOINT_URL_" + serviceId);
        endpoint = endpoint != null ? endpoint : config.get("AWS_ENDPOINT_URL");
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    /**
     * Lambda puts the function's credentials in its environment; with SnapStart they come from the
     * container credentials endpoint, whose address is in the process environment after a restore.
     */
    private static AwsCredentialsProvider credentials(Config config) {
        AwsCredentialsProvider container = ContainerCredentialsProvider.builder().build();
        return () -> {
            String keyId = config.get("AWS_ACCESS_KEY_ID");
            String secret = config.get("AWS_SECRET_ACCESS_KEY");
            if (keyId == null || secret == null) {
                return container.resolveCredentials();
            }
            String session = config.get("AWS_SESSION_TOKEN");
            return session == null ? AwsBasicCredentials.create(keyId, secret) : AwsSessionCredentials.create(keyId, secret, session);
        };
    }
}
