package io.syncexec.local.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.syncexec.standins.RepositoryRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateFunctionsTest {

    private static final String QUEUE_URL = "http://127.0.0.1:9324/123456789012/local-ImportQueue";
    private static final String STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:local-sync-execution";

    private static Stack stack(Map<String, String> parameters, Map<String, String> environment) {
        return new Stack("local", "us-east-1", "123456789012", parameters, environment,
                Map.of("ClientsTable", "local-ClientsTable", "SyncsTable", "local-SyncsTable", "LedgerTable", "local-LedgerTable",
                        "ExecutionsTable", "local-ExecutionsTable", "DemoDestinationTable", "local-DemoDestinationTable"),
                Map.of("ImportQueue", QUEUE_URL,
                        "ImportDeadLetterQueue", "http://127.0.0.1:9324/123456789012/local-ImportDeadLetterQueue",
                        "StartQueue", "http://127.0.0.1:9324/123456789012/local-StartQueue",
                        "StartDeadLetterQueue", "http://127.0.0.1:9324/123456789012/local-StartDeadLetterQueue"));
    }

    private static TemplateFunctions repositoryTemplate(Map<String, String> parameters, Map<String, String> environment) {
        return TemplateFunctions.read(RepositoryRoot.find().resolve("template.yaml"), stack(parameters, environment));
    }

    @Test
    void everyFunctionOfTheTemplateIsReadWithItsHandlerTimeoutAndGlobals() {
        TemplateFunctions template = repositoryTemplate(Map.of(), Map.of());

        assertEquals(List.of("ExecutionApiFunction", "ConfirmationRequestFunction", "DispatchFunction", "ImportWorkerFunction",
                "FinalizeFunction", "ScheduledRunsFunction", "ScheduledStartsFunction"), template.functions().stream().map(FunctionDefinition::logicalId).toList());
        FunctionDefinition dispatch = template.function("DispatchFunction");
        assertEquals("io.syncexec.dispatch.DispatchHandler", dispatch.handlerClass());
        assertEquals(Duration.ofSeconds(300), dispatch.timeout());
        assertEquals(Duration.ofSeconds(20), template.function("FinalizeFunction").timeout(), "Globals.Function.Timeout");
        assertEquals(1024, dispatch.memoryMb());
        assertEquals("arn:aws:lambda:us-east-1:123456789012:function:DispatchFunction", dispatch.arn());
        assertTrue(dispatch.environment().containsKey("JAVA_TOOL_OPTIONS"), "Globals.Function.Environment merged");
    }

    @Test
    void environmentReferencesResolveToPhysicalNamesUrlsArnsAndParameterValues() {
        Map<String, String> api = repositoryTemplate(Map.of(), Map.of()).function("ExecutionApiFunction").environment();

        assertEquals("local-ClientsTable", api.get("CLIENTS_TABLE"));
        assertEquals(STATE_MACHINE_ARN, api.get("STATE_MACHINE_ARN"));
        assertEquals("86400", api.get("CONFIRMATION_TIMEOUT_SECONDS"), "a Number parameter's Default");
        Map<String, String> worker = repositoryTemplate(Map.of(), Map.of()).function("ImportWorkerFunction").environment();
        assertEquals(QUEUE_URL, worker.get("IMPORT_QUEUE_URL"));
        assertEquals("10", worker.get("RETRY_DELAY_SECONDS"));
    }

    @Test
    void parameterValuesAndEnvironmentOverridesReplaceTheTemplatesDefaults() {
        TemplateFunctions template = repositoryTemplate(Map.of("ConfirmationTimeoutSeconds", "90"), Map.of("RETRY_DELAY_SECONDS", "0"));

        assertEquals("90", template.function("ScheduledStartsFunction").environment().get("CONFIRMATION_TIMEOUT_SECONDS"));
        assertEquals("0", template.function("ImportWorkerFunction").environment().get("RETRY_DELAY_SECONDS"));
    }

    @Test
    void anOverrideOfAVariableNoFunctionHasIsRefused() {
        TemplateException refused = assertThrows(TemplateException.class,
                () -> repositoryTemplate(Map.of(), Map.of("RETRY_DELAY_SECOND", "0")));
        assertTrue(refused.getMessage().contains("RETRY_DELAY_SECOND"), refused.getMessage());
    }

    @Test
    void eventsAreReadAsSqsMappingsSchedulesAndRoutes() {
        TemplateFunctions template = repositoryTemplate(Map.of(), Map.of());

        FunctionEvent.QueueTrigger trigger = template.function("ImportWorkerFunction").queueTriggers().get(0);
        assertEquals(new FunctionEvent.QueueTrigger("ImportQueue", "ImportQueue", QUEUE_URL,
                "arn:aws:sqs:us-east-1:123456789012:local-ImportQueue", 10, true, true), trigger);
        FunctionEvent.Schedule tick = template.function("ScheduledRunsFunction").schedules().get(0);
        assertEquals("rate(15 minutes)", tick.expression());
        assertFalse(tick.enabled(), "State: !If [ScheduleOn, ...] with ScheduleEnabled defaulting to false");
        assertTrue(repositoryTemplate(Map.of("ScheduleEnabled", "true"), Map.of())
                .function("ScheduledRunsFunction").schedules().get(0).enabled());
        List<FunctionEvent.HttpRoute> routes = template.function("ExecutionApiFunction").httpRoutes();
        assertEquals(14, routes.size(), "the HTTP API's 14 routes");
        FunctionEvent.HttpRoute confirm = routes.stream().filter(route -> route.name().equals("ConfirmExecution")).findFirst().orElseThrow();
        assertEquals("POST", confirm.method());
        assertEquals("/clients/{clientId}/syncs/{syncId}/executions/{executionId}/confirmation", confirm.path());
    }

    @Test
    void theStateMachineDefinitionGetsItsSubstitutionsAndTheArnTheFunctionsWereGiven() {
        StateMachineDefinition machine = repositoryTemplate(Map.of(), Map.of()).stateMachine("SyncExecutionStateMachine");

        assertEquals("local-sync-execution", machine.name());
        assertEquals(STATE_MACHINE_ARN, machine.arn());
        assertEquals("STANDARD", machine.type());
        assertFalse(machine.definition().contains("${"), machine.definition());
        assertTrue(machine.definition().contains("\"arn:aws:states:::lambda:invoke.waitForTaskToken\""));
        assertTrue(machine.definition().contains("\"arn:aws:lambda:us-east-1:123456789012:function:DispatchFunction:live\""),
                "!Ref DispatchFunction.Alias: the alias SAM publishes");
    }

    @Test
    void anUnsupportedIntrinsicFunctionIsNamed(@TempDir Path dir) throws IOException {
        TemplateException refused = assertThrows(TemplateException.class, () -> read(dir, "A: !Select [0, [x, y]]"));
        assertTrue(refused.getMessage().contains("Fn::Select") && refused.getMessage().contains("F.Environment.A"), refused.getMessage());
    }

    @Test
    void aReferenceToNothingIsNamed(@TempDir Path dir) throws IOException {
        TemplateException refused = assertThrows(TemplateException.class, () -> read(dir, "A: !Ref Nowhere"));
        assertTrue(refused.getMessage().contains("!Ref Nowhere"), refused.getMessage());
        refused = assertThrows(TemplateException.class, () -> read(dir, "A: !GetAtt Table.StreamArn"));
        assertTrue(refused.getMessage().contains("!GetAtt Table.StreamArn"), refused.getMessage());
    }

    @Test
    void aParameterWithoutDefaultMustBeGiven(@TempDir Path dir) throws IOException {
        TemplateException refused = assertThrows(TemplateException.class, () -> read(dir, "A: !Ref Issuer"));
        assertTrue(refused.getMessage().contains("Parameter Issuer"), refused.getMessage());
    }

    @Test
    void subJoinAndIfResolveLikeCloudFormation(@TempDir Path dir) throws IOException {
        Map<String, String> environment = read(dir, """
                A: !Sub 'arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${AWS::StackName}-x'
                          B: !Sub ['${Name}/${Table.Arn}/${!Literal}', {Name: !Ref Table}]
                          C: !Join [',', [a, !Ref AWS::Region]]
                          D: !If [IsOn, up, down]
                """).function("F").environment();

        assertEquals("arn:aws:states:us-east-1:123456789012:stateMachine:local-x", environment.get("A"));
        assertEquals("local-Table/arn:aws:dynamodb:us-east-1:123456789012:table/local-Table/${Literal}", environment.get("B"));
        assertEquals("a,us-east-1", environment.get("C"));
        assertEquals("down", environment.get("D"));
    }

    private static TemplateFunctions read(Path dir, String variables) throws IOException {
        Path template = dir.resolve("template.yaml");
        Files.writeString(template, """
                Transform: AWS::Serverless-2016-10-31
                Parameters:
                  Issuer: {Type: String}
                  Switch: {Type: String, Default: 'no'}
                Conditions:
                  IsOn: !Equals [!Ref Switch, 'yes']
                Resources:
                  Table:
                    Type: AWS::DynamoDB::Table
                  F:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: example.Handler::handleRequest
                      Environment:
                        Variables:
                          %s
                """.formatted(variables.strip()));
        return TemplateFunctions.read(template, new Stack("local", "us-east-1", "123456789012", Map.of(), Map.of(),
                Map.of("Table", "local-Table"), Map.of()));
    }
}
