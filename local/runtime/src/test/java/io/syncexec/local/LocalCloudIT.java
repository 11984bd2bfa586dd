package io.syncexec.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncexec.local.template.FunctionDefinition;
import io.syncexec.standins.RepositoryRoot;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import java.nio.file.Files;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

@ExtendWith(StandInsExtension.class)
class LocalCloudIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCloud cloud;

    @BeforeAll
    static void start() {
        cloud = LocalCloud.start(LocalCloud.Options.defaults().withEnvironment("RETRY_DELAY_SECONDS", "0"));
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void everyFunctionGetsItsResolvedEnvironmentAsSystemProperties() {
        for (FunctionDefinition function : cloud.functions().functions()) {
            function.environment().forEach((name, value) -> {
                assertFalse(value.isBlank(), function.logicalId() + "." + name);
                assertEquals(value, System.getProperty(name), function.logicalId() + "." + name);
            });
        }
        assertEquals("0", System.getProperty("RETRY_DELAY_SECONDS"));
        assertEquals(cloud.stateMachineArn(), System.getProperty("STATE_MACHINE_ARN"));
        assertEquals(cloud.standIns().table("ExecutionsTable"), System.getProperty("EXECUTIONS_TABLE"));
        assertEquals(cloud.standIns().queueUrl("ImportQueue"), System.getProperty("IMPORT_QUEUE_URL"));
    }

    @Test
    void everyHandlerConstructsFromTheTemplateEnvironment() throws ReflectiveOperationException {
        for (FunctionDefinition function : cloud.functions().functions()) {
            Object handler = Class.forName(function.handlerClass()).getConstructor().newInstance();
            assertEquals(function.handlerClass(), handler.getClass().getName());
        }
    }

    /** Clients built as io.syncexec.lambda.AwsClients builds them: no endpoint, region or credentials in code. */
    @Test
    void defaultBuiltClientsReachTheStandInsThroughTheSdkEndpointProperties() {
        AwsCredentialsProviderChain credentials = AwsCredentialsProviderChain.of(
                EnvironmentVariableCredentialsProvider.create(), SystemPropertyCredentialsProvider.create());
        try (DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials).build();
             SqsClient sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials).build();
             SfnClient sfn = SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials).build();
             LambdaClient lambda = LambdaClient.builder().httpClient(UrlConnectionHttpClient.create()).credentialsProvider(credentials).build()) {

            assertTrue(dynamo.listTables().tableNames().contains(cloud.standIns().table("LedgerTable")));
            assertEquals(cloud.standIns().queueUrl("ImportQueue"),
                    sqs.getQueueUrl(request -> request.queueName(StandIns.NAME_PREFIX + "ImportQueue")).queueUrl());
            assertEquals("local-sync-execution",
                    sfn.describeStateMachine(request -> request.stateMachineArn(cloud.stateMachineArn())).name());
            assertEquals(204, lambda.invoke(request -> request.functionName("FinalizeFunction")
                    .invocationType(InvocationType.DRY_RUN)).statusCode());
        }
        assertTrue(io.syncexec.lambda.AwsClients.dynamo().listTables().tableNames().contains(cloud.standIns().table("ExecutionsTable")),
                "the production client factory");
    }

    @Test
    void aHandlerExceptionComesBackAsAnUnhandledFunctionError() throws Exception {
        try (LambdaClient lambda = lambdaClient()) {
            String executionId = "missing-" + UUID.randomUUID();
            InvokeResponse response = lambda.invoke(request -> request
                    .functionName(cloud.functions().function("FinalizeFunction").arn())
                    .payload(SdkBytes.fromUtf8String("{\"clientId\":\"c\",\"syncId\":\"s\",\"executionId\":\"" + executionId
                            + "\",\"ending\":{\"reason\":\"COMPLETED\"}}")));

            assertEquals(200, response.statusCode());
            assertEquals("Unhandled", response.functionError());
            JsonNode error = JSON.readTree(response.payload().asUtf8String());
            assertEquals("java.lang.IllegalStateException", error.path("errorType").asText());
            assertEquals("execution " + executionId + " does not exist", error.path("errorMessage").asText());
            assertTrue(error.path("stackTrace").toString().contains("io.syncexec.finalize.FinalizeHandler"), error.toString());
        }
    }

    @Test
    void anApiEventOverTheInvokeApiIsReadIntoTheHandlersEventType() throws Exception {
        String event = Files.readString(RepositoryRoot.find().resolve("events/list-clients.json"));
        try (LambdaClient lambda = lambdaClient()) {
            InvokeResponse response = lambda.invoke(request -> request.functionName("ExecutionApiFunction")
                    .payload(SdkBytes.fromUtf8String(event)));

            assertEquals(null, response.functionError(), response.payload().asUtf8String());
            JsonNode answer = JSON.readTree(response.payload().asUtf8String());
            assertTrue(answer.path("statusCode").isInt(), answer.toString());
        }
    }

    @Test
    void aSecondCloudInTheSameJvmIsRefusedWhileOneRuns() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, LocalCloud::start);
        assertTrue(refused.getMessage().contains("already running"), refused.getMessage());
    }

    @Test
    void anUnknownFunctionIsResourceNotFound() {
        try (LambdaClient lambda = lambdaClient()) {
            ResourceNotFoundException refused = assertThrows(ResourceNotFoundException.class,
                    () -> lambda.invoke(request -> request.functionName("NoSuchFunction").payload(SdkBytes.fromUtf8String("{}"))));
            assertEquals(404, refused.statusCode());
        }
    }

    @Test
    void theApiCallsTheFunctionOfTheMatchingRouteAndAnswers404Otherwise() {
        APIGatewayV2HTTPResponse unauthenticated = cloud.api(request("GET", "/clients"));
        assertTrue(unauthenticated.getStatusCode() == 401 || unauthenticated.getStatusCode() == 403,
                unauthenticated.getStatusCode() + " " + unauthenticated.getBody());

        APIGatewayV2HTTPResponse noRoute = cloud.api(request("GET", "/nowhere"));
        assertEquals(404, noRoute.getStatusCode());
        assertEquals("{\"message\":\"Not Found\"}", noRoute.getBody());
    }

    @Test
    void firingTheScheduleRunsTheScheduledFunction() {
        JsonNode tick = cloud.fireSchedule(Instant.parse("2030-01-01T10:00:00.123Z"));

        assertTrue(tick.has("started"), tick.toString());
    }

    private static LambdaClient lambdaClient() {
        return LambdaClient.builder()
                .endpointOverride(cloud.lambdaEndpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static APIGatewayV2HTTPEvent request(String method, String path) {
        return APIGatewayV2HTTPEvent.builder()
                .withRawPath(path)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method).withPath(path).build())
                        .build())
                .build();
    }
}
