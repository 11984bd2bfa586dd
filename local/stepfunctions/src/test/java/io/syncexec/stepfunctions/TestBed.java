package io.syncexec.stepfunctions;

import io.syncexec.stepfunctions.engine.IntegrationClients;
import io.syncexec.stepfunctions.engine.VirtualScheduler;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A Step Functions stand-in on virtual time, a fake Lambda behind it, and an SfnClient pointed at
 * it: what every integration test here starts from.
 */
final class TestBed implements AutoCloseable {

    static {
        // Read once by the JDK's HTTP server, on the first server created (the fake Lambda's here).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("any", "thing"));

    final VirtualScheduler clock = new VirtualScheduler(Instant.parse("2026-01-01T00:00:00Z"));
    final FakeLambda lambda = new FakeLambda();
    final StepFunctionsServer server;
    final SfnClient sfn;

    TestBed(URI sqsEndpoint) {
        LambdaClient lambdaClient = LambdaClient.builder()
                .endpointOverride(lambda.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        SqsClient sqsClient = SqsClient.builder()
                .endpointOverride(sqsEndpoint == null ? URI.create("http://127.0.0.1:9") : sqsEndpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        server = StepFunctionsServer.start(0, StepFunctionsServer.Options.defaults()
                .withScheduler(clock)
                .withClients(IntegrationClients.of(lambdaClient, sqsClient)));
        sfn = SfnClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    TestBed() {
        this(null);
    }

    DescribeExecutionResponse describe(String executionArn) {
        return sfn.describeExecution(request -> request.executionArn(executionArn));
    }

    /**
     * Runs an execution to its end without real waiting: whenever the engine is idle and the
     * execution still runs, the virtual clock jumps to the next timer (Wait state, retry interval).
     */
    DescribeExecutionResponse runToCompletion(String executionArn) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            server.engine().awaitIdle(Duration.ofSeconds(10));
            DescribeExecutionResponse execution = describe(executionArn);
            if (execution.status() != ExecutionStatus.RUNNING) {
                return execution;
            }
            if (!clock.advanceToNext()) {
                throw new AssertionError("execution " + executionArn + " is idle with no timer pending");
            }
        }
        throw new AssertionError("execution " + executionArn + " did not finish in 30 s");
    }

    /** Waits, with a deadline, until the engine has nothing to do but wait (for a callback or the clock). */
    void settle() throws InterruptedException {
        if (!server.engine().awaitIdle(Duration.ofSeconds(30))) {
            throw new AssertionError("the engine stayed busy for 30 s");
        }
    }

    @Override
    public void close() {
        sfn.close();
        server.close();
        lambda.close();
    }
}
