package io.syncexec.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncexec.aws.AwsClients;
import io.syncexec.lambda.FunctionEnvironment;
import io.syncexec.local.template.FunctionDefinition;
import io.syncexec.standins.RepositoryRoot;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.StandInsExtension;
import io.syncexec.workflow.ImportQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(StandInsExtension.class)
class LocalCloudIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension(options -> options.withEnvironment("RETRY_DELAY_SECONDS", "0"));

    @Test
    void everyFunctionGetsItsOwnEnvironmentAndNoneLeaksIntoTheJvm() {
        for (FunctionDefinition function : CLOUD.cloud().functions().functions()) {
            Map<String, String> environment = CLOUD.cloud().environmentOf(function);
            function.environment().forEach((name, value) -> {
                assertFalse(value.isBlank(), function.logicalId() + "." + name);
                assertEquals(value, environment.get(name), function.logicalId() + "." + name);
                assertNull(System.getProperty(name), name + " is no JVM-wide setting");
            });
            assertEquals(function.name(), environment.get("AWS_LAMBDA_FUNCTION_NAME"));
            assertEquals(StandIns.REGION, environment.get("AWS_REGION"));
            assertEquals(CLOUD.cloud().standIns().dynamoEndpoint().toString(), environment.get("AWS_ENDPOINT_URL_DYNAMODB"));
            assertEquals(CLOUD.cloud().stepFunctionsEndpoint().toString(), environment.get("AWS_ENDPOINT_URL_SFN"));
        }
        FunctionDefinition api = CLOUD.cloud().functions().function("ExecutionApiFunction");
        FunctionDefinition worker = CLOUD.cloud().functions().function("ImportWorkerFunction");
        assertEquals("0", CLOUD.cloud().environmentOf(worker).get("RETRY_DELAY_SECONDS"));
        assertFalse(api.environment().containsKey("RETRY_DELAY_SECONDS"), "the template gives it to the worker only");
        assertNull(CLOUD.cloud().environmentOf(api).get("RETRY_DELAY_SECONDS"), "a function sees its own variables, not another's");
        assertEquals(CLOUD.cloud().stateMachineArn(), CLOUD.cloud().environmentOf(api).get("STATE_MACHINE_ARN"));
        assertEquals(CLOUD.cloud().standIns().queueUrl("ImportQueue"), CLOUD.cloud().environmentOf(worker).get("IMPORT_QUEUE_URL"));
        assertNull(System.getProperty("aws.endpointUrlDynamoDb"));
        assertNull(System.getProperty("aws.region"));
    }

    @Test
    void everyHandlerConstructsFromItsOwnEnvironment() throws ReflectiveOperationException {
        for (FunctionDefinition function : CLOUD.cloud().functions().functions()) {
            Object handler = Class.forName(function.handlerClass()).getConstructor(FunctionEnvironment.class)
                    .newInstance(CLOUD.cloud().functionEnvironment(function));
            assertEquals(function.handlerClass(), handler.getClass().getName());
        }
    }

    /** The production client factory reaches the stand-ins through a function's environment alone. */
    @Test
    void theProductionClientsReachTheStandInsThroughTheSdkEndpointVariables() {
        Map<String, String> environment = CLOUD.cloud().environmentOf(CLOUD.cloud().functions().function("ScheduledRunsFunction"));
        io.syncexec.lambda.Config config = new io.syncexec.lambda.Config(environment);
        DynamoDbClient dynamo = AwsClients.build(DynamoDbClient.builder(), "DYNAMODB", config);
        assertTrue(dynamo.listTables().tableNames().contains(CLOUD.cloud().standIns().table("LedgerTable")));
        SqsClient sqs = AwsClients.build(SqsClient.builder(), "SQS", config);
        assertEquals(CLOUD.cloud().standIns().queueUrl("ImportQueue"),
                sqs.getQueueUrl(request -> request.queueName(StandIns.NAME_PREFIX + "ImportQueue")).queueUrl());
        SfnClient sfn = AwsClients.build(SfnClient.builder(), "SFN", config);
        assertEquals("local-sync-execution",
                sfn.describeStateMachine(request -> request.stateMachineArn(CLOUD.cloud().stateMachineArn())).name());
        try (LambdaClient lambda = LambdaClient.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(java.net.URI.create(environment.get("AWS_ENDPOINT_URL_LAMBDA")))
                .region(Region.of(environment.get("AWS_REGION")))
                .credentialsProvider(() -> AwsBasicCredentials.create(
                        environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY")))
                .build()) {
            assertEquals(204, lambda.invoke(request -> request.functionName("FinalizeFunction")
                    .invocationType(InvocationType.DRY_RUN)).statusCode());
        }
    }

    @Test
    void aHandlerExceptionComesBackAsAnUnhandledFunctionError() throws Exception {
        try (LambdaClient lambda = lambdaClient()) {
            String executionId = "missing-" + UUID.randomUUID();
            InvokeResponse response = lambda.invoke(request -> request
                    .functionName(CLOUD.cloud().functions().function("FinalizeFunction").arn())
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
            // The fixture's caller may see acme and globex, which this cloud has not created: none listed; the
            // answer also says who asks (the page shows the admin views to admins only).
            assertEquals(200, answer.path("statusCode").asInt(), answer.toString());
            assertEquals(JSON.readTree("{\"clients\":[],\"caller\":{\"subject\":\"operator-1\",\"admin\":false}}"),
                    JSON.readTree(answer.path("body").asText()), answer.toString());
        }
    }

    @Test
    void aSecondCloudRunsBesideTheFirstEachFunctionPointingAtItsOwnCloud() {
        FunctionDefinition api = CLOUD.cloud().functions().function("ExecutionApiFunction");
        try (LocalCloud second = LocalCloud.start()) {
            assertNotEquals(CLOUD.cloud().stepFunctionsEndpoint(), second.stepFunctionsEndpoint());
            assertEquals(second.stepFunctionsEndpoint().toString(), second.environmentOf(api).get("AWS_ENDPOINT_URL_SFN"));
            assertEquals(CLOUD.cloud().stepFunctionsEndpoint().toString(), CLOUD.cloud().environmentOf(api).get("AWS_ENDPOINT_URL_SFN"));
            assertEquals("10", second.environmentOf(second.functions().function("ImportWorkerFunction")).get("RETRY_DELAY_SECONDS"),
                    "the second CLOUD.cloud()'s options are its own");
        }
        assertTrue(CLOUD.cloud().fireSchedule(Instant.parse("2030-01-01T10:00:00Z")).has("started"), "the first CLOUD.cloud() still runs");
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
    void theApiCallsTheFunctionOfTheMatchingRouteAndAnswers404Otherwise() throws Exception {
        // No authorizer claims in the event: the function answers 401 itself.
        APIGatewayV2HTTPResponse unauthenticated = CLOUD.cloud().api(request("GET", "/clients"));
        assertEquals(401, unauthenticated.getStatusCode(), unauthenticated.getBody());
        assertEquals("UNAUTHENTICATED", JSON.readTree(unauthenticated.getBody()).path("error").path("code").asText());

        APIGatewayV2HTTPResponse noRoute = CLOUD.cloud().api(request("GET", "/nowhere"));
        assertEquals(404, noRoute.getStatusCode());
        assertEquals("{\"message\":\"Not Found\"}", noRoute.getBody());
    }

    @Test
    void firingTheScheduleRunsTheScheduledFunction() {
        JsonNode tick = CLOUD.cloud().fireSchedule(Instant.parse("2030-01-01T10:00:00.123Z"));

        // The heartbeat's answer: it only enqueues (the start queue's consumer starts the runs), every
        // due sync enqueued, none failed, the whole index read.
        assertEquals(0, tick.path("started").asInt(), tick.toString());
        assertEquals(0, tick.path("skippedActive").asInt(), tick.toString());
        assertEquals(0, tick.path("alreadyStarted").asInt(), tick.toString());
        assertEquals(JSON.createArrayNode(), tick.path("failed"), tick.toString());
        assertEquals(tick.path("due").asInt(), tick.path("enqueued").asInt(), tick.toString());
        assertTrue(tick.path("complete").asBoolean(), tick.toString());
    }

    private static LambdaClient lambdaClient() {
        return LambdaClient.builder()
                .endpointOverride(CLOUD.cloud().lambdaEndpoint())
                .region(Region.of(StandIns.REGION))
                .credentialsProvider(() -> AwsBasicCredentials.create(StandIns.ACCESS_KEY_ID, StandIns.SECRET_ACCESS_KEY))
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
