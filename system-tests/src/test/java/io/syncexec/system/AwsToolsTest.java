package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * template.yaml as AWS's own tools see it: {@code cfn-lint} finds nothing (no error, no warning), and
 * the template the installed SAM translator makes of it (what CloudFormation deploys) calls every
 * function through its {@code live} alias, guards every route with the JWT authorizer, names no
 * resource by hand and grants each IAM statement on one resource. Both tools are Python packages
 * preinstalled here and in CI; when one is missing the test fails with the install command.
 */
class AwsToolsTest {
    /** Actions that take no resource-level permission: their statements may only name {@code *}. */
    private static final Set<String> NO_RESOURCE_LEVEL = Set.of("logs:CreateLogDelivery", "logs:GetLogDelivery",
            "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies", "logs:DescribeLogGroups");
    private static final Template SAM = Template.read();
    private static JsonNode cfn;

    @BeforeAll
    static void transform() {
        cfn = DeployedTemplate.get();
    }

    @Test
    void cfnLintFindsNothing() throws Exception {
        DeployedTemplate.Result r = DeployedTemplate.cfnLint();
        assertEquals("", r.out() + r.err(), "cfn-lint template.yaml");
        assertEquals(0, r.exit(), "cfn-lint exit code");
    }

    @Test
    void everyFunctionRunsOnJava25AndIsBuiltBySamsMakefileBuilder() {
        for (String id : SAM.ids("AWS::Serverless::Function")) {
            assertEquals("java25", resource(id).path("Properties").path("Runtime").asText(), id);
            assertEquals("makefile", SAM.resource(id).path("Metadata").path("BuildMethod").asText(), id);
            assertEquals(".", SAM.resource(id).path("Properties").path("CodeUri").asText(), id + ": the Makefile is at the root");
        }
    }

    @Test
    void everyCallerUsesTheLiveAlias() {
        List<String> functions = SAM.ids("AWS::Serverless::Function");
        int integrations = 0;
        for (JsonNode method : methods()) {
            String uri = method.path("x-amazon-apigateway-integration").path("uri").path("Fn::Sub").asText();
            assertTrue(uri.contains("${ExecutionApiFunctionAliaslive}"), "API integration " + uri);
            integrations++;
        }
        assertEquals(SAM.eventTypes("ExecutionApiFunction").stream().filter("HttpApi"::equals).count(), integrations,
                "one integration per HttpApi event");
        for (Map.Entry<String, JsonNode> e : resources("AWS::Lambda::Permission")) {
            String target = e.getValue().path("Properties").path("FunctionName").path("Ref").asText();
            assertTrue(target.endsWith("Aliaslive"), e.getKey() + " allows " + target);
        }
        for (Map.Entry<String, JsonNode> e : resources("AWS::Lambda::EventSourceMapping")) {
            // The import queue's workers and the schedule's start queue consumer, each through its alias.
            assertEquals(e.getKey().startsWith("ScheduledStartsFunction") ? "ScheduledStartsFunctionAliaslive" : "ImportWorkerFunctionAliaslive",
                    e.getValue().path("Properties").path("FunctionName").path("Ref").asText(), e.getKey());
        }
        for (Map.Entry<String, JsonNode> e : resources("AWS::Events::Rule")) {
            for (JsonNode target : e.getValue().path("Properties").path("Targets")) {
                assertTrue(target.path("Arn").path("Ref").asText().endsWith("Aliaslive"), e.getKey() + " targets " + target);
            }
        }
        JsonNode substitutions = resource("SyncExecutionStateMachine").path("Properties").path("DefinitionSubstitutions");
        for (Iterator<Map.Entry<String, JsonNode>> it = substitutions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().endsWith("FunctionArn")) {
                String ref = e.getValue().path("Ref").asText();
                assertTrue(ref.endsWith("Aliaslive") && functions.contains(ref.replace("Aliaslive", "")), e.getKey() + " → " + ref);
            }
        }
        for (String id : functions) {
            assertTrue(cfn.path("Resources").has(id + "Aliaslive"), id + " has its live alias");
        }
    }

    @Test
    void everyRouteCarriesTheJwtAuthorizer() {
        JsonNode scheme = resource("HttpApi").path("Properties").path("Body").path("components").path("securitySchemes").path("JwtAuthorizer");
        JsonNode authorizer = scheme.path("x-amazon-apigateway-authorizer");
        assertEquals("jwt", authorizer.path("type").asText());
        // The stack's user pool or JwtIssuer (PageHostingTemplateTest pins which).
        assertEquals("JwtIssuer", authorizer.path("jwtConfiguration").path("issuer").path("Fn::If").path(2).path("Ref").asText());
        assertEquals("JwtAudience", authorizer.path("jwtConfiguration").path("audience").get(0).path("Fn::If").path(2).path("Ref").asText());
        assertFalse(methods().isEmpty());
        for (JsonNode method : methods()) {
            assertEquals("[{\"JwtAuthorizer\":[]}]", method.path("security").toString(), "every route is authorized: " + method);
        }
    }

    @Test
    void noResourceIsNamedByHandExceptTheStackDerivedStateMachine() {
        Set<String> nameProperties = Set.of("TableName", "QueueName", "FunctionName", "RoleName", "TopicName", "StateMachineName",
                "Name", "RuleName", "ApiName", "LogGroupName", "DashboardName", "AlarmName");
        for (Iterator<Map.Entry<String, JsonNode>> it = cfn.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String type = e.getValue().path("Type").asText();
            if (type.equals("AWS::Lambda::Permission") || type.equals("AWS::Lambda::Alias")
                    || type.equals("AWS::Lambda::Version") || type.equals("AWS::Lambda::EventSourceMapping")) {
                continue; // FunctionName / Name there point at a function or name the alias, they name nothing new
            }
            for (String property : nameProperties) {
                JsonNode name = e.getValue().path("Properties").path(property);
                if (!name.isMissingNode()) {
                    assertTrue(name.toString().contains("AWS::StackName") || name.has("Ref") || name.has("Fn::GetAtt"),
                            e.getKey() + "." + property + " is hard-coded: " + name);
                }
            }
        }
        assertTrue(resource("SyncExecutionStateMachine").path("Properties").path("StateMachineName").toString().contains("AWS::StackName"));
    }

    @Test
    void everyIamStatementNamesOneResource() {
        int statements = 0;
        for (Map.Entry<String, JsonNode> role : resources("AWS::IAM::Role")) {
            for (JsonNode policy : role.getValue().path("Properties").path("Policies")) {
                for (JsonNode statement : policy.path("PolicyDocument").path("Statement")) {
                    JsonNode resourceNode = statement.path("Resource");
                    List<JsonNode> entries = new ArrayList<>();
                    if (resourceNode.isArray()) {
                        resourceNode.forEach(entries::add);
                    } else {
                        entries.add(resourceNode);
                    }
                    Set<String> named = new TreeSet<>();
                    Set<String> actions = new TreeSet<>();
                    statement.path("Action").forEach(a -> actions.add(a.asText()));
                    if (statement.path("Action").isTextual()) {
                        actions.add(statement.path("Action").asText());
                    }
                    if (NO_RESOURCE_LEVEL.containsAll(actions) && "\"*\"".equals(resourceNode.toString())) {
                        statements++;
                        continue;
                    }
                    for (JsonNode entry : entries) {
                        String text = entry.toString();
                        assertFalse(text.equals("\"*\""), role.getKey() + " grants " + statement.path("Action") + " on *");
                        named.add(text.replace("/index/*", ""));
                    }
                    assertEquals(1, named.size(), role.getKey() + ": one resource (or its indexes) per statement, not " + named);
                    statements++;
                }
            }
        }
        assertTrue(statements > 10, "the roles were read: " + statements);
    }

    @Test
    void theRecordsOfWhatWasImportedSurviveADeletedStack() {
        for (String table : List.of("ClientsTable", "SyncsTable", "LedgerTable", "ExecutionsTable")) {
            JsonNode t = resource(table);
            assertEquals("Retain", t.path("DeletionPolicy").asText(), table);
            assertEquals("Retain", t.path("UpdateReplacePolicy").asText(), table);
            assertTrue(t.path("Properties").path("DeletionProtectionEnabled").asBoolean(), table);
            assertTrue(t.path("Properties").path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean(), table);
        }
    }

    @Test
    void parametersRefuseValuesThatBreakTheInvariants() {
        JsonNode parameters = cfn.path("Parameters");
        assertTrue("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc".matches(parameters.path("JwtIssuer").path("AllowedPattern").asText()));
        assertFalse("http://issuer.example.com".matches(parameters.path("JwtIssuer").path("AllowedPattern").asText()));
        assertEquals("", parameters.path("CorsAllowedOrigin").path("Default").asText("missing"), "by default the stack's own page");
        assertEquals("", parameters.path("JwtIssuer").path("Default").asText("missing"), "by default the stack's own user pool");
        assertTrue("".matches(parameters.path("JwtIssuer").path("AllowedPattern").asText()));
        assertTrue(parameters.path("ConfirmationTimeoutSeconds").path("MaxValue").asLong() > 0);
        assertTrue(parameters.path("ExecutionLockSeconds").isMissingNode(), "the lock is derived from the waits, not set");
        assertTrue(SAM.functionGlobals().path("AutoPublishAliasAllProperties").asBoolean(),
                "a change of any property (a parameter's environment value too) publishes a version the alias points at");
    }

    private static JsonNode resource(String id) {
        JsonNode r = cfn.path("Resources").path(id);
        assertFalse(r.isMissingNode(), "no resource " + id + " in the transformed template");
        return r;
    }

    private static List<Map.Entry<String, JsonNode>> resources(String type) {
        return DeployedTemplate.resources(cfn, type);
    }

    private static List<JsonNode> methods() {
        List<JsonNode> methods = new ArrayList<>();
        resource("HttpApi").path("Properties").path("Body").path("paths").forEach(path -> path.forEach(methods::add));
        return methods;
    }

}
