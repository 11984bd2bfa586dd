package io.syncexec.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncexec.dynamodb.DynamoDbStores;
import io.syncexec.eventbridge.EventBridgeStatusEvents;
import io.syncexec.lambda.FunctionEnvironment;
import io.syncexec.lambda.Wiring;
import io.syncexec.local.events.EventBus;
import io.syncexec.local.events.ScheduleRule;
import io.syncexec.local.lambda.LambdaEnvironment;
import io.syncexec.local.lambda.LambdaHost;
import io.syncexec.local.template.FunctionDefinition;
import io.syncexec.local.template.Stack;
import io.syncexec.local.template.StateMachineDefinition;
import io.syncexec.local.template.TemplateFunctions;
import io.syncexec.standins.HttpApiRoutes;
import io.syncexec.standins.RepositoryRoot;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.TemplateResources;
import io.syncexec.stepfunctions.StepFunctionsServer;
import io.syncexec.sfn.StepFunctionsWorkflow;
import io.syncexec.stepfunctions.engine.IntegrationClients;
import io.syncexec.stepfunctions.engine.RealScheduler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The template deployed on one machine: the production handler classes run in-process, wired from
 * template.yaml as AWS would wire them, against the stand-ins. One entry point for the integration
 * tests and the local mode:
 *
 * <pre>{@code
 * try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.defaults().withEnvironment("RETRY_DELAY_SECONDS", "0"))) {
 *     APIGatewayV2HTTPResponse response = cloud.api(event);
 * }
 * }</pre>
 *
 * <p>It starts (or reuses) the {@link StandIns}, serves the functions on the Lambda Invoke API
 * ({@link LambdaHost}), starts the Step Functions stand-in calling that host and ElasticMQ, the default
 * event bus, creates the template's state machines through CreateStateMachine, then the {@link Triggers}.
 * Each function is constructed with its own environment, as Lambda gives it ({@link LambdaEnvironment}):
 * its template variables, Lambda's own, and the stand-ins' endpoints under the SDK's standard names.
 * Nothing is global: several clouds may run in one JVM.
 */
public final class LocalCloud implements AutoCloseable {

    /** The stack name that {@code ${AWS::StackName}} gives. */
    public static final String STACK_NAME = "local";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalCloudOptions options;
    private final StandIns standIns;
    private final TemplateFunctions functions;
    private final HttpApiRoutes routes;
    private volatile LambdaEnvironment environment;
    private LambdaHost lambdaHost;
    private LambdaClient lambdaClient;
    private StepFunctionsServer stepFunctions;
    private EventBus eventBus;
    private SfnClient sfn;
    private Triggers triggers;
    private Wiring sweeperWiring;
    /** Clients signed with a role of the template (the state machine's, each event source's); closed last. */
    private final List<AutoCloseable> roleClients = new CopyOnWriteArrayList<>();
    private boolean closed;

    private LocalCloud(LocalCloudOptions options, StandIns standIns, TemplateFunctions functions, HttpApiRoutes routes) {
        this.options = options;
        this.standIns = standIns;
        this.functions = functions;
        this.routes = routes;
    }

    /** Starts with {@link LocalCloudOptions#defaults()}. */
    public static LocalCloud start() {
        return start(LocalCloudOptions.defaults());
    }

    public static LocalCloud start(LocalCloudOptions options) {
        Path root = options.root() != null ? options.root() : RepositoryRoot.find();
        StandIns standIns = StandIns.get();
        LocalCloud cloud = null;
        try {
            Path template = root.resolve("template.yaml");
            cloud = new LocalCloud(options, standIns, TemplateFunctions.read(template, stack(template, standIns, options)),
                    HttpApiRoutes.read(template));
            cloud.startComponents();
            return cloud;
        } catch (RuntimeException | Error e) {
            if (cloud != null) {
                cloud.close();
            }
            throw e;
        }
    }

    private static Stack stack(Path template, StandIns standIns, LocalCloudOptions options) {
        Map<String, String> queueUrls = new LinkedHashMap<>();
        for (String queue : TemplateResources.read(template).queueIds()) {
            queueUrls.put(queue, standIns.queueUrl(queue));
        }
        return new Stack(STACK_NAME, StandIns.REGION, StandIns.ACCOUNT_ID, options.parameters(), options.environment(),
                standIns.tables(), queueUrls);
    }

    private void startComponents() {
        lambdaHost = LambdaHost.start(functions.functions(), this::functionEnvironment, 0, options.log());
        lambdaHost.checkHandlerClasses();
        eventBus = EventBus.start(0, options.log());
        // The state machine's role signs its integration calls (its Lambda invokes), as on AWS.
        String machineRole = functions.stateMachines().isEmpty() ? "StateMachine" : functions.stateMachines().get(0).logicalId();
        lambdaClient = LambdaClient.builder()
                .endpointOverride(lambdaHost.endpoint())
                .region(Region.of(StandIns.REGION))
                .credentialsProvider(LambdaEnvironment.credentialsOf(machineRole))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(longestTimeout().plusSeconds(10)).build())
                .build();
        roleClients.add(lambdaClient);
        stepFunctions = StepFunctionsServer.start(0, StepFunctionsServer.Options.defaults()
                .withRegion(StandIns.REGION)
                .withAccountId(StandIns.ACCOUNT_ID)
                .withScheduler(options.scheduler() != null ? options.scheduler() : new RealScheduler(options.clock()))
                .withClients(IntegrationClients.of(lambdaClient, sqsSignedBy(machineRole))));
        environment = new LambdaEnvironment(StandIns.REGION, Map.of(
                "DYNAMODB", standIns.dynamoEndpoint(),
                "SQS", standIns.sqsEndpoint(),
                "SFN", stepFunctions.endpoint(),
                "LAMBDA", lambdaHost.endpoint(),
                "EVENTBRIDGE", eventBus.endpoint()));

        sfn = SfnClient.builder()
                .endpointOverride(stepFunctions.endpoint())
                .region(Region.of(StandIns.REGION))
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        for (StateMachineDefinition machine : functions.stateMachines()) {
            String arn = sfn.createStateMachine(request -> request
                    .name(machine.name())
                    .definition(machine.definition())
                    .type(machine.type())
                    .roleArn("arn:aws:iam::" + StandIns.ACCOUNT_ID + ":role/" + STACK_NAME + "-" + machine.logicalId() + "Role"))
                    .stateMachineArn();
            if (!arn.equals(machine.arn())) {
                throw new IllegalStateException("State machine " + machine.logicalId() + " was created as " + arn
                        + " but the functions were given " + machine.arn());
            }
        }
        // Lambda polls a queue with the role of the function its event source mapping invokes.
        triggers = Triggers.start(functions, lambdaHost, function -> sqsSignedBy(function.logicalId()),
                stepFunctions.engine().scheduler(), options.pollersPerQueue(), options.log());
        options.log().println("Local cloud: " + functions.functions().size() + " functions on " + lambdaHost.endpoint()
                + ", Step Functions on " + stepFunctions.endpoint() + ", " + triggers.eventSourceCount() + " SQS event source(s), "
                + triggers.scheduleRules().size() + " schedule rule(s) enabled");
    }

    /** The environment {@code function} is constructed with (known once the stand-ins' endpoints are). */
    public Map<String, String> environmentOf(FunctionDefinition function) {
        LambdaEnvironment known = environment;
        if (known == null) {
            throw new IllegalStateException(function.logicalId() + " was invoked before the local cloud finished starting");
        }
        return known.of(function);
    }

    /** What {@code function}'s handler is constructed with: its environment, the cloud's clock and connector URL policy. */
    public FunctionEnvironment functionEnvironment(FunctionDefinition function) {
        return new FunctionEnvironment(environmentOf(function), options.clock(), options.connectorUrls());
    }

    public StandIns standIns() {
        return standIns;
    }

    public TemplateFunctions functions() {
        return functions;
    }

    /** The ARN of the template's one state machine (what {@code !Ref} to it gives). */
    public String stateMachineArn() {
        List<StateMachineDefinition> machines = functions.stateMachines();
        if (machines.size() != 1) {
            throw new IllegalStateException("The template has " + machines.size() + " state machines; use stateMachineArn(logicalId)");
        }
        return machines.get(0).arn();
    }

    public String stateMachineArn(String logicalId) {
        return functions.stateMachine(logicalId).arn();
    }

    /** The running (enabled) schedule rules. */
    public List<ScheduleRule> scheduleRules() {
        return triggers.scheduleRules();
    }

    /** The Lambda Invoke API of the template's functions. */
    public URI lambdaEndpoint() {
        return lambdaHost.endpoint();
    }

    public URI stepFunctionsEndpoint() {
        return stepFunctions.endpoint();
    }

    /** The account's default event bus: the status events the functions put on it. */
    public EventBus eventBus() {
        return eventBus;
    }

    /** The Step Functions stand-in, e.g. {@code stepFunctions().engine().awaitIdle(...)} on virtual time. */
    public StepFunctionsServer stepFunctions() {
        return stepFunctions;
    }


    /** A client for the Step Functions stand-in; shared, do not close it. */
    public SfnClient sfn() {
        return sfn;
    }

    /** Invokes a function in-process; see {@link LambdaHost#invoke}. */
    public <O> O invoke(String function, Object event, Class<O> resultType) {
        return lambdaHost.invoke(function, event, resultType);
    }

    /** The routes of the template's HTTP API, as {@link #api} matches them. */
    public HttpApiRoutes routes() {
        return routes;
    }

    /**
     * What the HTTP API does with a request: calls the function whose {@code HttpApi} route takes the
     * event's method and raw path ({@link HttpApiRoutes}), in-process; 404 {@code {"message":"Not Found"}}
     * when no route does. The event is passed as it is: its {@code routeKey} and {@code pathParameters}
     * are the caller's (the local gateway, a test's API client), built from the same routes.
     */
    public APIGatewayV2HTTPResponse api(APIGatewayV2HTTPEvent event) {
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : null;
        Optional<HttpApiRoutes.Match> match = method == null || event.getRawPath() == null ? Optional.empty()
                : routes.match(method, event.getRawPath());
        if (match.isPresent()) {
            return lambdaHost.invoke(match.get().function(), event, APIGatewayV2HTTPResponse.class);
        }
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(404)
                .withHeaders(Map.of("content-type", "application/json"))
                .withBody("{\"message\":\"Not Found\"}")
                .build();
    }

    /**
     * Fires the template's one schedule as EventBridge would at {@code time} (whether or not the rule
     * is enabled: this is the manual trigger) and returns the function's result.
     */
    public JsonNode fireSchedule(Instant time) {
        return triggers.fireSchedule(time);
    }

    /**
     * Runs the sweeper once now, as each schedule tick runs it after its starts (the scheduled
     * function's code, with its environment): ends the runs that can no longer end by themselves.
     */
    public synchronized JsonNode sweep() {
        if (sweeperWiring == null) {
            // The heartbeat function's environment and adapters, as ScheduledRunsHandler wires them.
            sweeperWiring = Wiring.of(functionEnvironment(triggers.scheduledFunction()))
                    .stores(DynamoDbStores::new).workflow(StepFunctionsWorkflow::new).statusEvents(EventBridgeStatusEvents::new);
        }
        return JSON.valueToTree(sweeperWiring.sweeper().sweep());
    }

    /**
     * Stops the triggers (waiting for ticks and batches in flight), Step Functions, the event bus and
     * the Lambda host (the stand-ins are the JVM's, {@link StandIns#get()}: they stay).
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> started = new ArrayList<>(Arrays.asList(triggers, sfn, stepFunctions, eventBus, lambdaHost));
        started.addAll(roleClients);
        Closing.all(started);
    }

    /** An SQS client on the stand-in signed with {@code logicalId}'s role; closed with the cloud. */
    private SqsClient sqsSignedBy(String logicalId) {
        SqsClient client = SqsClient.builder()
                .endpointOverride(standIns.sqsEndpoint())
                .region(Region.of(StandIns.REGION))
                .credentialsProvider(LambdaEnvironment.credentialsOf(logicalId))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        roleClients.add(client);
        return client;
    }

    private Duration longestTimeout() {
        return functions.functions().stream().map(FunctionDefinition::timeout).max(Duration::compareTo).orElse(Duration.ofSeconds(3));
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(StandIns.ACCESS_KEY_ID, StandIns.SECRET_ACCESS_KEY));
    }
}
