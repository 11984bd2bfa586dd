package io.syncexec.system;

import io.syncexec.connector.ConnectorUrls;
import io.syncexec.dynamodb.DynamoDbStores;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionService;
import io.syncexec.execution.Trigger;
import io.syncexec.lambda.Config;
import io.syncexec.lambda.Wiring;
import io.syncexec.ledger.Claim;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.plan.ExecutionRequest;
import io.syncexec.plan.Mode;
import io.syncexec.sqs.SqsImportQueue;
import io.syncexec.standins.TemplateResources;
import io.syncexec.sfn.StepFunctionsWorkflow;
import io.syncexec.sync.Client;
import io.syncexec.sync.Sync;
import io.syncexec.workflow.ImportMessage;
import io.syncexec.workflow.ImportService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same code against LocalStack (DynamoDB, SQS, Step Functions in Docker): the repositories'
 * conditional writes, the worker over a real queue, and the confirmation pause answered through
 * {@link StepFunctionsWorkflow}. Runs where a Docker engine exists; reported as skipped elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackIT {
    @Container
    private static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices(LocalStackContainer.Service.DYNAMODB, LocalStackContainer.Service.SQS,
                    LocalStackContainer.EnabledService.named("stepfunctions"));

    private static DynamoDbClient dynamo;
    private static SqsClient sqs;
    private static SfnClient sfn;
    private static final Map<String, String> TABLES = new HashMap<>();

    @BeforeAll
    static void createTables() {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
        Region region = Region.of(LOCALSTACK.getRegion());
        dynamo = DynamoDbClient.builder().endpointOverride(LOCALSTACK.getEndpoint()).region(region)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        sqs = SqsClient.builder().endpointOverride(LOCALSTACK.getEndpoint()).region(region)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        sfn = SfnClient.builder().endpointOverride(LOCALSTACK.getEndpoint()).region(region)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        TemplateResources template = TemplateResources.read(Template.ROOT.resolve("template.yaml"));
        for (String id : template.tableIds()) {
            dynamo.createTable(template.createTableRequest(id, "ls-" + id));
            dynamo.waiter().waitUntilTableExists(r -> r.tableName("ls-" + id));
            TABLES.put(id, "ls-" + id);
        }
    }

    private static Wiring wiring(io.syncexec.execution.Workflow workflow) {
        Map<String, String> env = new HashMap<>();
        env.put("CLIENTS_TABLE", TABLES.get("ClientsTable"));
        env.put("SYNCS_TABLE", TABLES.get("SyncsTable"));
        env.put("LEDGER_TABLE", TABLES.get("LedgerTable"));
        env.put("EXECUTIONS_TABLE", TABLES.get("ExecutionsTable"));
        env.put("DEMO_DESTINATION_TABLE", TABLES.get("DemoDestinationTable"));
        env.put("STATE_MACHINE_ARN", "arn:aws:states:us-east-1:000000000000:stateMachine:unused");
        env.put("CONFIRMATION_TIMEOUT_SECONDS", "86400");
        return Wiring.of(new Config(env), Clock.systemUTC(), ConnectorUrls.STRICT)
                .stores((c, k) -> new DynamoDbStores(dynamo, c, k))
                .importQueue((c, k) -> new SqsImportQueue(sqs, c.importQueueUrl()))
                .workflow((c, k) -> workflow);
    }

    private static Sync sync(Wiring wiring, String clientId) {
        wiring.clients().put(new Client(clientId, clientId));
        wiring.syncs().putDefinition(new Sync(clientId, "orders", "Orders", ZoneId.of("UTC"), LocalDate.now().minusDays(5),
                true, 366, false, "demo", Map.of("recordsPerDate", 2), null, null, null, null), Instant.now());
        return wiring.syncs().get(clientId, "orders").orElseThrow();
    }

    @Test
    void repositoriesKeepTheirConditionsOnDynamoDb() {
        Wiring wiring = wiring(null);
        sync(wiring, "ls-repo");
        Instant now = Instant.now();
        assertTrue(wiring.syncs().tryLock("ls-repo", "orders", "a", now, now.plusSeconds(60)));
        assertTrue(!wiring.syncs().tryLock("ls-repo", "orders", "b", now, now.plusSeconds(60)), "one active execution");
        assertTrue(wiring.syncs().tryLock("ls-repo", "orders", "b", now.plusSeconds(61), now.plusSeconds(120)), "an expired lock");
        LedgerRepository ledger = wiring.ledger();
        LocalDate date = LocalDate.now().minusDays(2);
        Claim claim = ledger.claim("ls-repo", "orders", date, "x", false, 0, now, now.plusSeconds(60));
        assertTrue(claim.claimed());
        assertEquals(Claim.Result.LEASED, ledger.claim("ls-repo", "orders", date, "y", false, 0, now, now.plusSeconds(60)).result());
        assertTrue(ledger.commit("ls-repo", "orders", date,
                new io.syncexec.ledger.ImportRecord(1, "x", "MANUAL", "op", null, 2, now, now)));
        assertEquals(Claim.Result.ALREADY_IMPORTED, ledger.claim("ls-repo", "orders", date, "z", false, 0, now, now.plusSeconds(60)).result());
    }

    @Test
    void theWorkerImportsOverARealQueue() {
        List<String> done = new ArrayList<>();
        Wiring wiring = wiring(new RecordingWorkflow(done));
        Sync sync = sync(wiring, "ls-worker");
        Execution execution = ((ExecutionService.Started) wiring.executionService().create(sync,
                new ExecutionRequest(Mode.DATE_RANGE, null, LocalDate.now().minusDays(3), LocalDate.now().minusDays(2), false, false, null),
                Trigger.MANUAL, "op")).execution();
        wiring.executions().storeCompletionToken("ls-worker", "orders", execution.executionId(), "token");
        String queue = sqs.createQueue(r -> r.queueName("ls-imports")).queueUrl();
        for (LocalDate date : execution.plan().dates()) {
            String body = new ImportMessage("ls-worker", "orders", execution.executionId(), date).toJson();
            sqs.sendMessage(r -> r.queueUrl(queue).messageBody(body));
            sqs.sendMessage(r -> r.queueUrl(queue).messageBody(body)); // delivered twice
        }
        ImportService worker = new ImportService(wiring.ledger(), wiring.executions(), wiring.syncs(), wiring.connectors()::forSync,
                wiring.workflow(), (d, delay) -> { }, Clock.systemUTC(), Duration.ofMinutes(3), 3, Duration.ZERO);
        Instant deadline = Instant.now().plusSeconds(60);
        while (done.isEmpty() && Instant.now().isBefore(deadline)) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .messageSystemAttributeNamesWithStrings("ApproximateReceiveCount")).messages();
            List<ImportService.Delivery> batch = messages.stream().map(m -> new ImportService.Delivery(m.messageId(), m.receiptHandle(),
                    m.body(), 1)).toList();
            List<String> failed = worker.importBatch(batch);
            messages.stream().filter(m -> !failed.contains(m.messageId()))
                    .forEach(m -> sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(m.receiptHandle())));
        }
        assertEquals(List.of("token"), done);
        Execution after = wiring.executions().get("ls-worker", "orders", execution.executionId()).orElseThrow();
        assertEquals(2, after.progress().imported());
        for (LocalDate date : execution.plan().dates()) {
            assertEquals(1, wiring.ledger().get("ls-worker", "orders", date, Instant.now()).importCount());
        }
    }

    @Test
    void theConfirmationPauseIsAnsweredThroughStepFunctions() {
        String queue = sqs.createQueue(r -> r.queueName("ls-confirmations")).queueUrl();
        String definition = """
                {"StartAt":"AwaitConfirmation","States":{"AwaitConfirmation":{"Type":"Task",
                 "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                 "Parameters":{"QueueUrl":"%s","MessageBody":{"taskToken.$":"$$.Task.Token"}},
                 "TimeoutSeconds":300,"End":true}}}""".formatted(queue);
        String machine = sfn.createStateMachine(r -> r.name("ls-confirmation").definition(definition)
                .roleArn("arn:aws:iam::000000000000:role/local")).stateMachineArn();
        String run = sfn.startExecution(r -> r.stateMachineArn(machine)).executionArn();
        String token = null;
        Instant deadline = Instant.now().plusSeconds(60);
        while (token == null && Instant.now().isBefore(deadline)) {
            for (Message m : sqs.receiveMessage(r -> r.queueUrl(queue).waitTimeSeconds(1)).messages()) {
                token = taskToken(m.body());
            }
        }
        assertTrue(token != null, "the workflow reached its wait");
        new StepFunctionsWorkflow(sfn, machine).confirm(token, null);
        deadline = Instant.now().plusSeconds(60);
        software.amazon.awssdk.services.sfn.model.ExecutionStatus status = null;
        while (status != software.amazon.awssdk.services.sfn.model.ExecutionStatus.SUCCEEDED && Instant.now().isBefore(deadline)) {
            status = sfn.describeExecution(r -> r.executionArn(run)).status();
        }
        assertEquals(software.amazon.awssdk.services.sfn.model.ExecutionStatus.SUCCEEDED, status);
    }

    private static String taskToken(String body) {
        try {
            return io.syncexec.json.Json.MAPPER.readTree(body).path("taskToken").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record RecordingWorkflow(List<String> done) implements io.syncexec.execution.Workflow {
        public void start(Execution execution) {
        }

        public void confirm(String taskToken, Execution execution) {
        }

        public void decline(String taskToken, Execution execution) {
        }

        public void importsDone(String completionToken) {
            done.add(completionToken);
        }

        public State state(Execution execution) {
            return State.RUNNING;
        }
    }
}
