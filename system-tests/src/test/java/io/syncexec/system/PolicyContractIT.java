package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.syncexec.local.LocalCloudExtension;
import io.syncexec.scheduling.StartQueue;
import io.syncexec.standins.ApiClient.Answer;
import io.syncexec.standins.Await;
import io.syncexec.standins.StandIns;
import io.syncexec.system.RequestRecorder.Call;
import io.syncexec.workflow.ImportQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.syncexec.standins.ApiClient.expect;
import static io.syncexec.system.Operator.yesterday;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each function's (and the state machine's) policies in template.yaml allow exactly the AWS calls
 * it really makes: every call is allowed, and every allowed action is called (least privilege),
 * but for the few {@link #NOT_CALLED_HERE} with their reason. Each policy names one resource.
 * The confirmation-token partition of the executions table is a resource of its own
 * ({@code dynamodb:LeadingKeys} conditions): only the execution API's role may read it. The calls
 * are recorded while the system runs every kind of flow, so a new call without its permission,
 * or a permission nothing uses, fails here, not in production.
 */
class PolicyContractIT {
    private static final Template TEMPLATE = Template.read();
    private static final Set<String> CRUD = Set.of("GetItem", "DeleteItem", "PutItem", "Scan", "Query", "UpdateItem",
            "BatchWriteItem", "BatchGetItem", "DescribeTable", "ConditionCheckItem");
    private static final Set<String> READ = Set.of("GetItem", "Scan", "Query", "BatchGetItem", "DescribeTable");
    private static final Set<String> POLLER = Set.of("ChangeMessageVisibility", "DeleteMessage", "GetQueueAttributes",
            "ReceiveMessage");
    /** After a state machine's logical id: its executions (a call or grant on {@code arn:…:execution:<machine>:…}). */
    private static final String EXECUTIONS = " executions";
    /** After a table's logical id: its confirmation-token partition ({@code #token#…} leading keys). */
    private static final String TOKENS = " tokens";
    private static final String TOKEN_TABLE = "ExecutionsTable";
    /** The account's default event bus, where the status events go. */
    private static final String DEFAULT_BUS = "default event bus";
    private static final String TOKEN_KEYS = io.syncexec.dynamodb.DynamoDbExecutionRepository.TOKEN_PARTITION_PREFIX + "*";
    /**
     * Grants no flow here calls, each with why it is still needed. Lambda's SQS event source
     * mapping polls with the function's role and AWS requires these three of it when the mapping
     * is created; the local event source does not make those exact calls.
     */
    private static final Map<String, Set<String>> NOT_CALLED_HERE = Map.of(
            // A date that waits for its source is sent again with a delay, and a source's pause and pace are
            // writes on its sync: only a throttled or paced sync makes them (SourceLimitsIT).
            "ImportWorkerFunction", Set.of("sqs:GetQueueAttributes ImportQueue", "sqs:SendMessage ImportQueue",
                    "dynamodb:UpdateItem SyncsTable"),
            // A decision recorded before the workflow reaches its wait: the wait answers itself with
            // it and deletes the token it just wrote (ConfirmationEnforcementIT.aDecisionRecordedBeforeTheWait…).
            "ConfirmationRequestFunction", Set.of("states:SendTaskSuccess SyncExecutionStateMachine",
                    "states:SendTaskFailure SyncExecutionStateMachine", "dynamodb:DeleteItem ExecutionsTable tokens"),
            // A run cancelled before its dispatch, or with no date left to send: dispatch resumes the
            // workflow at once, and records the dates it did not send CANCELLED in one batch (DispatchServiceIT).
            "DispatchFunction", Set.of("states:SendTaskSuccess SyncExecutionStateMachine", "dynamodb:BatchWriteItem ExecutionsTable"),
            // A scheduled start that finds a dead run holding the lock ends that run (EndedWorkflowLockIT)
            // and tells the platform that run ended (a status event).
            // (Ending it reads its outcome items.) The mapping's poller policy is SAM's, as the worker's.
            "ScheduledStartsFunction", Set.of("dynamodb:UpdateItem ExecutionsTable", "dynamodb:Query ExecutionsTable",
                    "events:PutEvents " + DEFAULT_BUS, "sqs:GetQueueAttributes StartQueue", "sqs:ChangeMessageVisibility StartQueue"),
            // The sweeper after each heartbeat ends a run that cannot end by itself as Finalize would
            // (outcome items, the watermark from the ledger, the run's status event): SweeperIT, FaultTableIT.
            "ScheduledRunsFunction", Set.of("dynamodb:Query LedgerTable", "dynamodb:UpdateItem ExecutionsTable",
                    "dynamodb:Query ExecutionsTable",
                    "events:PutEvents " + DEFAULT_BUS),
            // A start through the API that finds a dead run holding the lock ends it and tells the platform.
            "ExecutionApiFunction", Set.of("events:PutEvents " + DEFAULT_BUS),
            // Step Functions itself delivers the state machine's logs to CloudWatch Logs (OperationsTemplateTest).
            "SyncExecutionStateMachine", Set.of("logs:CreateLogDelivery *", "logs:GetLogDelivery *", "logs:UpdateLogDelivery *",
                    "logs:DeleteLogDelivery *", "logs:ListLogDeliveries *", "logs:PutResourcePolicy *",
                    "logs:DescribeResourcePolicies *", "logs:DescribeLogGroups *"));
    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension(options -> options.withEnvironment("RETRY_DELAY_SECONDS", "0")
            .withParameter("AllowDemoFaults", "true"));

    /** A permission: an IAM action (e.g. {@code dynamodb:GetItem}) on a resource, by logical id. */
    private record Grant(String action, String resource) {
    }

    @Test
    void everyCallIsAllowedByThePoliciesOfWhoMakesIt() {
        RequestRecorder.reset();
        runEveryKindOfFlow();
        List<Call> calls = RequestRecorder.calls();

        Set<String> principalsSeen = new TreeSet<>();
        List<String> denied = new ArrayList<>();
        List<String> unattributed = new ArrayList<>();
        Map<String, Set<Grant>> used = new TreeMap<>();
        for (Call call : calls) {
            // Who made a call is the role that signed it, as AWS tells (each function, each event source
            // and the state machine sign with their own), not the thread or the stack that sent it.
            String principal = call.role().orElse(null);
            if (principal == null) {
                // The test's own setup and looks sign with the stand-ins' key, from outside any function;
                // any other call (another key, or that key from a function's or the state machine's code)
                // could not be checked against a policy: it fails here.
                if (!StandIns.ACCESS_KEY_ID.equals(call.accessKeyId()) || !call.caller().equals("other")) {
                    unattributed.add(call.service() + " " + call.operation() + " " + call.resources() + " signed by "
                            + call.accessKeyId() + " from " + call.caller() + " on thread " + call.thread().getName());
                }
                continue;
            }
            if (!TEMPLATE.ids("AWS::Serverless::Function").contains(principal)
                    && !TEMPLATE.ids("AWS::Serverless::StateMachine").contains(principal)) {
                unattributed.add(call.service() + " " + call.operation() + " signed by an unknown role " + principal);
                continue;
            }
            principalsSeen.add(principal);
            Set<Grant> grants = grants(principal);
            String action = action(call);
            for (String resource : resources(call)) {
                used.computeIfAbsent(principal, k -> new HashSet<>()).add(new Grant(action, resource));
                if (!grants.contains(new Grant(action, resource))) {
                    denied.add(principal + " calls " + action + " on " + resource);
                }
            }
        }
        assertEquals(List.of(), unattributed, "every AWS call is made with the role of a function or of the state machine");
        assertEquals(new TreeSet<>(List.of("ConfirmationRequestFunction", "DispatchFunction", "ExecutionApiFunction",
                "FinalizeFunction", "ImportWorkerFunction", "ScheduledRunsFunction", "ScheduledStartsFunction",
                "SyncExecutionStateMachine")), principalsSeen);
        assertEquals(List.of(), denied.stream().distinct().sorted().toList());

        List<String> unused = new ArrayList<>();
        for (String principal : principalsSeen) {
            Set<String> excused = NOT_CALLED_HERE.getOrDefault(principal, Set.of());
            for (Grant grant : grants(principal)) {
                if (!used.get(principal).contains(grant) && !excused.contains(grant.action() + " " + grant.resource())) {
                    unused.add(principal + " may " + grant.action() + " on " + grant.resource() + " but never does");
                }
            }
        }
        assertEquals(List.of(), unused.stream().sorted().toList(), "least privilege: every allowed action is one the code calls");
    }

    /**
     * Other roles may write or delete a token item only without getting it back: PutItem or
     * DeleteItem, with {@code dynamodb:ReturnValues} NONE.
     */
    @Test
    void otherRolesTouchTokensWriteOnly() {
        List<String> wrong = new ArrayList<>();
        for (String function : TEMPLATE.ids("AWS::Serverless::Function")) {
            if (function.equals("ExecutionApiFunction")) {
                continue;
            }
            for (JsonNode policy : TEMPLATE.resource(function).path("Properties").path("Policies")) {
                for (JsonNode statement : policy.path("Statement")) {
                    JsonNode like = statement.path("Condition").path("ForAllValues:StringLike").path("dynamodb:LeadingKeys");
                    if (like.isMissingNode()) {
                        continue;
                    }
                    boolean none = statement.path("Condition").path("StringEqualsIfExists").path("dynamodb:ReturnValues").asText()
                            .equals("NONE");
                    statement.path("Action").forEach(a -> {
                        if (!Set.of("dynamodb:PutItem", "dynamodb:DeleteItem").contains(a.asText()) || !none) {
                            wrong.add(function + " " + a.asText() + (none ? "" : " without ReturnValues NONE"));
                        }
                    });
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void onlyTheExecutionApiMayReadConfirmationTokens() {
        List<String> readers = new ArrayList<>();
        for (String function : TEMPLATE.ids("AWS::Serverless::Function")) {
            for (Grant grant : grants(function)) {
                if (grant.resource().endsWith(TOKENS) && Set.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan",
                        "dynamodb:BatchGetItem", "dynamodb:UpdateItem").contains(grant.action())) {
                    readers.add(function + " " + grant.action());
                }
            }
        }
        assertEquals(List.of("ExecutionApiFunction dynamodb:GetItem"), readers);
    }

    /**
     * A function's jar carries the adapter of each AWS service its role may call, and no other: its
     * pom's {@code sync-<service>} dependencies are its policies' services (and, by the test above, the
     * calls it really makes). The SQS event source's polling is Lambda's, not the function's code.
     */
    @Test
    void everyFunctionCarriesTheAdaptersOfTheServicesItsRoleAllows() throws java.io.IOException {
        Map<String, String> adapters = Map.of("dynamodb", "sync-dynamodb", "sqs", "sync-sqs", "states", "sync-stepfunctions",
                "events", "sync-eventbridge");
        for (Map.Entry<String, String> function : io.syncexec.standins.FunctionModules.read(Template.ROOT).entrySet()) {
            Set<String> allowed = new TreeSet<>();
            grants(function.getKey()).forEach(grant -> {
                if (grant.action().startsWith("sqs:") && POLLER.contains(grant.action().substring("sqs:".length()))) {
                    return; // the SQS event source's polling (SQSPollerPolicy), which Lambda does with the function's role
                }
                String adapter = adapters.get(grant.action().substring(0, grant.action().indexOf(':')));
                if (adapter != null) {
                    allowed.add(adapter);
                }
            });
            String pom = java.nio.file.Files.readString(Template.ROOT.resolve("functions").resolve(function.getValue()).resolve("pom.xml"));
            Set<String> carried = new TreeSet<>();
            adapters.values().stream().filter(adapter -> pom.contains("<artifactId>" + adapter + "</artifactId>")).forEach(carried::add);
            assertEquals(allowed, carried, function.getKey() + ": the adapters in functions/" + function.getValue() + "/pom.xml");
        }
    }

    @Test
    void everyPolicyNamesOneResource() {
        List<String> ids = new ArrayList<>(TEMPLATE.ids("AWS::Serverless::Function"));
        ids.addAll(TEMPLATE.ids("AWS::Serverless::StateMachine"));
        for (String id : ids) {
            for (JsonNode policy : TEMPLATE.resource(id).path("Properties").path("Policies")) {
                assertTrue(policy.isObject(), id + ": managed policies are too broad: " + policy);
                policy.fields().forEachRemaining(e -> {
                    if (e.getKey().equals("Statement")) {
                        for (JsonNode statement : e.getValue()) {
                            JsonNode resource = statement.path("Resource");
                            assertTrue(resource.isObject() || logDelivery(statement),
                                    id + ": one resource per statement, by reference: " + statement);
                        }
                    } else {
                        assertEquals(1, e.getValue().size(), id + ": " + e.getKey() + " names one resource");
                    }
                });
            }
        }
    }

    /** What an operator and the schedule do in a day: every function, every call it can make. */
    private static void runEveryKindOfFlow() {
        Operator op = new Operator(CLOUD.cloud());
        String failing = yesterday().minusDays(1).toString();
        op.sync("orders", true, 4, "{\"recordsPerDate\":1,\"failingDates\":[\"" + failing + "\"]}");
        op.call("GET", "/clients", null, Map.of("sub", "operator-1", "clients", op.clientId));
        op.call("GET", "/clients", null, Map.of("sub", "admin-1", "cognito:groups", "[sync-admins]"));
        op.call("GET", "/clients/" + op.clientId + "/syncs", null, Map.of("sub", "operator-1", "clients", op.clientId));
        op.call("GET", "/clients/" + op.clientId + "/syncs/orders/executions", null, Map.of("sub", "operator-1", "clients", op.clientId));
        op.awaitEnd("orders", expect(202, op.create("orders", "{\"mode\":\"DEFAULT\"}")).id());
        String single = "{\"mode\":\"SINGLE_DATE\",\"date\":\"" + yesterday() + "\"}";
        Answer confirmLater = expect(202, op.create("orders", single));
        awaitToken(op, confirmLater.id());
        expect(200, op.confirm("orders", confirmLater.json()));
        op.awaitEnd("orders", confirmLater.id());
        Answer declined = expect(202, op.create("orders", single));
        awaitToken(op, declined.id());
        // Starts that find the sync locked ask Step Functions whether the holder's workflow still runs.
        expect(409, op.create("orders", "{\"mode\":\"DEFAULT\"}"));
        CLOUD.cloud().fireSchedule(Instant.now().plusSeconds(3 * 24 * 3600));
        expect(200, op.decline("orders", declined.json()));
        op.awaitEnd("orders", declined.id());
        CLOUD.cloud().fireSchedule(Instant.now().plusSeconds(7 * 24 * 3600));
        // The heartbeat only enqueues; the start queue's consumer starts the runs.
        Await.until(java.time.Duration.ofSeconds(60), "the start queue to be consumed", () -> RequestRecorder.calls().stream()
                .anyMatch(c -> c.caller().endsWith("ScheduledStartsHandler")) && startQueueEmpty());
    }

    private static boolean startQueueEmpty() {
        Map<software.amazon.awssdk.services.sqs.model.QueueAttributeName, String> attributes = CLOUD.cloud().standIns().sqs()
                .getQueueAttributes(r -> r.queueUrl(CLOUD.cloud().standIns().queueUrl("StartQueue")).attributeNames(
                        software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return attributes.values().stream().allMatch("0"::equals);
    }

    private static void awaitToken(Operator op, String executionId) {
        op.await("orders", executionId, e -> RequestRecorder.calls().stream()
                .anyMatch(c -> c.caller().endsWith("ConfirmationRequestHandler")), java.time.Duration.ofSeconds(30));
    }

    private static String action(Call call) {
        String prefix = switch (call.service()) {
            case "DynamoDb" -> "dynamodb";
            case "Sqs" -> "sqs";
            case "Sfn" -> "states";
            case "Lambda" -> "lambda";
            case "EventBridge" -> "events";
            default -> throw new AssertionError("unexpected service " + call.service());
        };
        String operation = switch (call.operation()) {
            case "SendMessageBatch" -> "SendMessage";
            case "DeleteMessageBatch" -> "DeleteMessage";
            case "ChangeMessageVisibilityBatch" -> "ChangeMessageVisibility";
            case "Invoke" -> "InvokeFunction";
            default -> call.operation();
        };
        return prefix + ":" + operation;
    }

    /** The logical ids of what a call touches. Task-token calls name no resource: the one state machine. */
    private static List<String> resources(Call call) {
        if (call.service().equals("Sfn") && call.operation().startsWith("SendTask")) {
            return List.of("SyncExecutionStateMachine");
        }
        if (call.service().equals("EventBridge")) {
            return List.of(DEFAULT_BUS); // no bus named: the account's default one
        }
        List<String> ids = new ArrayList<>();
        for (String physical : call.resources()) {
            ids.add(logicalId(physical) + (call.tokenPartition() ? TOKENS : ""));
        }
        if (ids.isEmpty()) {
            fail("a call without a resource: " + call);
        }
        return ids;
    }

    private static String logicalId(String physical) {
        if (physical.startsWith("local-")) {
            return physical.substring("local-".length());
        }
        for (String queue : TEMPLATE.ids("AWS::SQS::Queue")) {
            if (physical.equals(CLOUD.cloud().standIns().queueUrl(queue))) {
                return queue;
            }
        }
        if (physical.equals(CLOUD.cloud().stateMachineArn())) {
            return "SyncExecutionStateMachine";
        }
        if (physical.startsWith(CLOUD.cloud().stateMachineArn().replace(":stateMachine:", ":execution:") + ":")) {
            return "SyncExecutionStateMachine" + EXECUTIONS;
        }
        if (physical.contains(":function:")) {
            return physical.substring(physical.indexOf(":function:") + ":function:".length()).split(":")[0];
        }
        throw new AssertionError("unknown resource " + physical);
    }

    private static Set<Grant> grants(String principal) {
        Set<Grant> grants = new HashSet<>();
        for (JsonNode policy : TEMPLATE.resource(principal).path("Properties").path("Policies")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = policy.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode target = e.getValue().elements().hasNext() ? e.getValue().elements().next() : e.getValue();
                switch (e.getKey()) {
                    case "DynamoDBCrudPolicy" -> CRUD.forEach(a -> partitions(principal, ref(target), MissingNode.getInstance())
                            .forEach(r -> grants.add(new Grant("dynamodb:" + a, r))));
                    case "DynamoDBReadPolicy" -> READ.forEach(a -> partitions(principal, ref(target), MissingNode.getInstance())
                            .forEach(r -> grants.add(new Grant("dynamodb:" + a, r))));
                    case "SQSSendMessagePolicy" -> grants.add(new Grant("sqs:SendMessage", ref(target)));
                    case "SQSPollerPolicy" -> POLLER.forEach(a -> grants.add(new Grant("sqs:" + a, ref(target))));
                    case "StepFunctionsExecutionPolicy" -> grants.add(new Grant("states:StartExecution", ref(target)));
                    case "LambdaInvokePolicy" -> grants.add(new Grant("lambda:InvokeFunction", ref(target)));
                    case "Statement" -> e.getValue().forEach(statement -> {
                        assertEquals("Allow", statement.path("Effect").asText(), principal + ": allow lists only: " + statement);
                        List<String> resources = logDelivery(statement) ? List.of("*")
                                : partitions(principal, ref(statement.path("Resource")), statement.path("Condition"));
                        JsonNode actions = statement.path("Action");
                        (actions.isArray() ? actions : List.of(actions)).forEach(a ->
                                resources.forEach(resource -> grants.add(new Grant(a.asText(), resource))));
                    });
                    default -> throw new AssertionError(principal + ": policy " + e.getKey() + " is not known to this test");
                }
            }
        }
        return grants;
    }

    /**
     * The state machine's log delivery to CloudWatch Logs: actions that take no resource-level
     * permission, so their statement may only name {@code *}, and nothing else.
     */
    private static boolean logDelivery(JsonNode statement) {
        Set<String> allowed = Set.of("logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
                "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
                "logs:DescribeLogGroups");
        List<String> actions = new ArrayList<>();
        statement.path("Action").forEach(a -> actions.add(a.asText()));
        return "*".equals(statement.path("Resource").asText()) && !actions.isEmpty() && allowed.containsAll(actions);
    }

    /**
     * What a statement on {@code resource} reaches: a table without condition, both its items and
     * its token partition; with {@code ForAllValues:StringNotLike} on {@code dynamodb:LeadingKeys}
     * {@code #token#*}, its items only; with {@code ForAllValues:StringLike}, its tokens only.
     */
    private static List<String> partitions(String principal, String resource, JsonNode condition) {
        if (condition.isMissingNode()) {
            return resource.equals(TOKEN_TABLE) ? List.of(resource, resource + TOKENS) : List.of(resource);
        }
        JsonNode notLike = condition.path("ForAllValues:StringNotLike").path("dynamodb:LeadingKeys");
        JsonNode like = condition.path("ForAllValues:StringLike").path("dynamodb:LeadingKeys");
        boolean writeOnly = condition.path("StringEqualsIfExists").path("dynamodb:ReturnValues").asText().equals("NONE");
        assertEquals(writeOnly ? 2 : 1, condition.size(),
                principal + ": a condition on dynamodb:LeadingKeys, and maybe ReturnValues NONE: " + condition);
        if (notLike.isArray() && notLike.size() == 1 && notLike.get(0).asText().equals(TOKEN_KEYS)) {
            return List.of(resource);
        }
        if (like.isArray() && like.size() == 1 && like.get(0).asText().equals(TOKEN_KEYS)) {
            return List.of(resource + TOKENS);
        }
        throw new AssertionError(principal + ": a condition this test does not know: " + condition);
    }

    /**
     * The logical id a policy parameter points at: !Ref X, !GetAtt X.Name, or the state machine's
     * ARN by its name (its executions' ARNs: the id and {@link #EXECUTIONS}).
     */
    private static String ref(JsonNode node) {
        if (node.has("Ref")) {
            return node.get("Ref").asText();
        }
        if (node.has("Fn::GetAtt")) {
            return node.get("Fn::GetAtt").get(0).asText();
        }
        if (node.has("Fn::Sub")) {
            String arn = node.get("Fn::Sub").asText();
            if (arn.equals("arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default")) {
                return DEFAULT_BUS;
            }
            java.util.regex.Matcher index = java.util.regex.Pattern.compile("\\$\\{(\\w+)\\.Arn}/index/(\\w+)").matcher(arn);
            if (index.matches()) {
                return index.group(1) + "/index/" + index.group(2);
            }
            for (String sm : TEMPLATE.ids("AWS::Serverless::StateMachine")) {
                String name = TEMPLATE.resource(sm).path("Properties").path("Name").path("Fn::Sub").asText();
                if (!name.isEmpty() && arn.endsWith(":stateMachine:" + name)) {
                    return sm;
                }
                if (!name.isEmpty() && arn.endsWith(":execution:" + name + ":*")) {
                    return sm + EXECUTIONS;
                }
            }
        }
        throw new AssertionError("cannot tell what this policy names: " + node);
    }
}
