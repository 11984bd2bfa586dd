package io.syncexec.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.local.events.EventBus;
import io.syncexec.local.events.ScheduleExpression;
import io.syncexec.local.events.ScheduleRule;
import io.syncexec.local.lambda.LambdaHost;
import io.syncexec.local.sqs.SqsEventSource;
import io.syncexec.local.template.FunctionDefinition;
import io.syncexec.local.template.FunctionEvent;
import io.syncexec.local.template.Stack;
import io.syncexec.local.template.StateMachineDefinition;
import io.syncexec.local.template.TemplateFunctions;
import io.syncexec.standins.RepositoryRoot;
import io.syncexec.standins.StandIns;
import io.syncexec.standins.TemplateResources;
import io.syncexec.stepfunctions.StepFunctionsServer;
import io.syncexec.stepfunctions.engine.AwsClients;
import io.syncexec.stepfunctions.engine.Scheduler;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The template deployed on one machine: the production handler classes run in-process, wired from
 * template.yaml as AWS would wire them, against the stand-ins. One entry point for the integration
 * tests and the local mode:
 *
 * <pre>{@code
 * try (LocalCloud cloud = LocalCloud.start(LocalCloud.Options.defaults().withEnvironment("RETRY_DELAY_SECONDS", "0"))) {
 *     APIGatewayV2HTTPResponse response = cloud.api(event);
 * }
 * }</pre>
 *
 * <p>It starts (or reuses) the {@link StandIns}, serves the functions on the Lambda Invoke API
 * ({@link LambdaHost}), starts the Step Functions stand-in calling that host and ElasticMQ, creates the
 * template's state machines through CreateStateMachine, runs an {@link SqsEventSource} per SQS event and a
 * {@link ScheduleRule} per enabled Schedule event (on the Step Functions stand-in's time).
 * Production code finds everything through JVM system properties, the way the SDK and {@code Config}
 * read them: {@value #REGION_PROPERTY}, the credentials, the service endpoints
 * ({@value #DYNAMODB_ENDPOINT_PROPERTY}, {@value #SQS_ENDPOINT_PROPERTY}, {@value #SFN_ENDPOINT_PROPERTY},
 * {@value #LAMBDA_ENDPOINT_PROPERTY}) and every function's environment variables. {@link #close()}
 * restores them.
 *
 * <p>System properties are global, so one {@code LocalCloud} runs at a time per JVM. The production
 * SDK clients are built once per JVM and keep their endpoints, so later starts in the same JVM reuse
 * the same Lambda and Step Functions ports and must run on the same stand-ins.
 */
public final class LocalCloud implements AutoCloseable {

    /** The SDK 2.x system properties (see {@code SdkSystemSetting} and each client's endpoint resolution). */
    public static final String REGION_PROPERTY = "aws.region";
    public static final String ACCESS_KEY_PROPERTY = "aws.accessKeyId";
    public static final String SECRET_KEY_PROPERTY = "aws.secretAccessKey";
    public static final String DYNAMODB_ENDPOINT_PROPERTY = "aws.endpointUrlDynamoDb";
    public static final String SQS_ENDPOINT_PROPERTY = "aws.endpointUrlSqs";
    public static final String SFN_ENDPOINT_PROPERTY = "aws.endpointUrlSfn";
    public static final String LAMBDA_ENDPOINT_PROPERTY = "aws.endpointUrlLambda";
    public static final String EVENTBRIDGE_ENDPOINT_PROPERTY = "aws.endpointUrlEventBridge";

    /** The stack name that {@code ${AWS::StackName}} gives. */
    public static final String STACK_NAME = "local";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalCloud running;
    /** Endpoints handed to production code earlier in this JVM: its SDK clients may still hold them. */
    private static final Map<String, String> ENDPOINTS_GIVEN = new HashMap<>();
    private static int lambdaPort;
    private static int stepFunctionsPort;
    private static int eventBusPort;

    private final Options options;
    private final StandIns standIns;
    private final TemplateFunctions functions;
    private final Map<String, String> previousProperties = new LinkedHashMap<>();
    private final List<SqsEventSource> eventSources = new ArrayList<>();
    private final List<ScheduleRule> scheduleRules = new ArrayList<>();
    private LambdaHost lambdaHost;
    private LambdaClient lambdaClient;
    private StepFunctionsServer stepFunctions;
    private EventBus eventBus;
    private SfnClient sfn;
    private boolean closed;

    /**
     * How to start.
     *
     * @param root            the repository root (template.yaml, statemachine/); null: {@link RepositoryRoot#find()}
     * @param parameters      template parameter values, over their defaults
     * @param environment     function environment variables to replace, by name (e.g. {@code RETRY_DELAY_SECONDS=0})
     * @param scheduler       the Step Functions stand-in's time; null: the wall clock
     * @param pollersPerQueue concurrent pollers per SQS event source (default 2)
     * @param freshStandIns   start a set of stand-ins of its own (closed with it) instead of the JVM's shared one
     * @param log             where function logs and the start line go (default System.out)
     */
    public record Options(Path root, Map<String, String> parameters, Map<String, String> environment, Scheduler scheduler,
                          int pollersPerQueue, boolean freshStandIns, PrintStream log) {

        public Options {
            parameters = Map.copyOf(parameters);
            environment = Map.copyOf(environment);
        }

        public static Options defaults() {
            return new Options(null, Map.of(), Map.of(), null, 2, false, System.out);
        }

        public Options withRoot(Path value) {
            return new Options(value, parameters, environment, scheduler, pollersPerQueue, freshStandIns, log);
        }

        public Options withParameter(String name, String value) {
            return withParameters(with(parameters, name, value));
        }

        public Options withParameters(Map<String, String> values) {
            return new Options(root, values, environment, scheduler, pollersPerQueue, freshStandIns, log);
        }

        public Options withEnvironment(String name, String value) {
            return withEnvironment(with(environment, name, value));
        }

        public Options withEnvironment(Map<String, String> values) {
            return new Options(root, parameters, values, scheduler, pollersPerQueue, freshStandIns, log);
        }

        public Options withScheduler(Scheduler value) {
            return new Options(root, parameters, environment, value, pollersPerQueue, freshStandIns, log);
        }

        public Options withPollersPerQueue(int value) {
            return new Options(root, parameters, environment, scheduler, value, freshStandIns, log);
        }

        public Options withFreshStandIns(boolean value) {
            return new Options(root, parameters, environment, scheduler, pollersPerQueue, value, log);
        }

        public Options withLog(PrintStream value) {
            return new Options(root, parameters, environment, scheduler, pollersPerQueue, freshStandIns, value);
        }

        private static Map<String, String> with(Map<String, String> map, String name, String value) {
            Map<String, String> copy = new HashMap<>(map);
            copy.put(name, value);
            return copy;
        }
    }

    private LocalCloud(Options options, StandIns standIns, TemplateFunctions functions) {
        this.options = options;
        this.standIns = standIns;
        this.functions = functions;
    }

    /** Starts with {@link Options#defaults()}. */
    public static LocalCloud start() {
        return start(Options.defaults());
    }

    public static LocalCloud start(Options options) {
        synchronized (LocalCloud.class) {
            if (running != null) {
                throw new IllegalStateException("A LocalCloud is already running in this JVM (system properties are global); close it first");
            }
            Path root = options.root() != null ? options.root() : RepositoryRoot.find();
            StandIns standIns = options.freshStandIns() ? StandIns.start(root) : StandIns.get();
            LocalCloud cloud = null;
            try {
                Path template = root.resolve("template.yaml");
                cloud = new LocalCloud(options, standIns, TemplateFunctions.read(template, stack(template, standIns, options)));
                cloud.startComponents();
                running = cloud;
                return cloud;
            } catch (RuntimeException | Error e) {
                if (cloud != null) {
                    cloud.stopComponents();
                } else if (options.freshStandIns()) {
                    standIns.close();
                }
                throw e;
            }
        }
    }

    private static Stack stack(Path template, StandIns standIns, Options options) {
        Map<String, String> queueUrls = new LinkedHashMap<>();
        for (String queue : TemplateResources.read(template).queueIds()) {
            queueUrls.put(queue, standIns.queueUrl(queue));
        }
        return new Stack(STACK_NAME, StandIns.REGION, StandIns.ACCOUNT_ID, options.parameters(), options.environment(),
                standIns.tables(), queueUrls);
    }

    private void startComponents() {
        checkEndpointsUnchanged(DYNAMODB_ENDPOINT_PROPERTY, standIns.dynamoEndpoint().toString());
        checkEndpointsUnchanged(SQS_ENDPOINT_PROPERTY, standIns.sqsEndpoint().toString());
        Map<String, String> environment = functions.environment();

        lambdaHost = LambdaHost.start(functions.functions(), lambdaPort, options.log());
        lambdaPort = lambdaHost.port();
        lambdaHost.checkHandlerClasses();
        lambdaClient = LambdaClient.builder()
                .endpointOverride(lambdaHost.endpoint())
                .region(Region.of(StandIns.REGION))
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(longestTimeout().plusSeconds(10)).build())
                .build();
        stepFunctions = StepFunctionsServer.start(stepFunctionsPort, StepFunctionsServer.Options.defaults()
                .withRegion(StandIns.REGION)
                .withAccountId(StandIns.ACCOUNT_ID)
                .withScheduler(options.scheduler())
                .withClients(AwsClients.of(lambdaClient, standIns.sqs())));
        stepFunctionsPort = stepFunctions.port();
        eventBus = EventBus.start(eventBusPort, options.log());
        eventBusPort = eventBus.port();

        setProperty(REGION_PROPERTY, StandIns.REGION);
        setProperty(ACCESS_KEY_PROPERTY, StandIns.ACCESS_KEY_ID);
        setProperty(SECRET_KEY_PROPERTY, StandIns.SECRET_ACCESS_KEY);
        setEndpoint(DYNAMODB_ENDPOINT_PROPERTY, standIns.dynamoEndpoint());
        setEndpoint(SQS_ENDPOINT_PROPERTY, standIns.sqsEndpoint());
        setEndpoint(SFN_ENDPOINT_PROPERTY, stepFunctions.endpoint());
        setEndpoint(LAMBDA_ENDPOINT_PROPERTY, lambdaHost.endpoint());
        setEndpoint(EVENTBRIDGE_ENDPOINT_PROPERTY, eventBus.endpoint());
        environment.forEach(this::setProperty);

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

        for (FunctionDefinition function : functions.functions()) {
            for (FunctionEvent.QueueTrigger trigger : function.queueTriggers()) {
                if (trigger.enabled()) {
                    eventSources.add(SqsEventSource.start(standIns.sqs(), function.name(), trigger,
                            event -> lambdaHost.invoke(function.name(), event, SQSBatchResponse.class),
                            options.pollersPerQueue(), function.timeout(), options.log()));
                }
            }
        }
        startScheduleRules();
        options.log().println("Local cloud: " + functions.functions().size() + " functions on " + lambdaHost.endpoint()
                + ", Step Functions on " + stepFunctions.endpoint() + ", " + eventSources.size() + " SQS event source(s), "
                + scheduleRules.size() + " schedule rule(s) enabled");
    }

    /**
     * One rule per Schedule event whose state resolved to ENABLED, on the Step Functions stand-in's time.
     * An enabled rule whose expression cannot run here (not a valid rate(), or a cron()) fails the start;
     * a disabled one is not parsed: it never fires by itself.
     */
    private void startScheduleRules() {
        for (FunctionDefinition function : functions.functions()) {
            for (FunctionEvent.Schedule schedule : function.schedules()) {
                if (schedule.enabled()) {
                    ScheduleExpression expression;
                    try {
                        expression = ScheduleExpression.parse(schedule.expression());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(function.logicalId() + ".Events." + schedule.name() + ": " + e.getMessage(), e);
                    }
                    scheduleRules.add(ScheduleRule.start(schedule.ruleName(), expression, stepFunctions.engine().scheduler(),
                            time -> fire(function, schedule, time).toString(), function.timeout(), options.log()));
                }
            }
        }
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
        return List.copyOf(scheduleRules);
    }

    /** The Lambda Invoke API of the template's functions. */
    public URI lambdaEndpoint() {
        return lambdaHost.endpoint();
    }

    public URI stepFunctionsEndpoint() {
        return stepFunctions.endpoint();
    }

    /** The Step Functions stand-in, e.g. {@code stepFunctions().engine().awaitIdle(...)} on virtual time. */
    /** The account's default event bus: the status events the functions put on it. */
    public EventBus eventBus() {
        return eventBus;
    }

    public StepFunctionsServer stepFunctions() {
        return stepFunctions;
    }

    public LambdaHost lambdaHost() {
        return lambdaHost;
    }

    /** A client for the Step Functions stand-in; shared, do not close it. */
    public SfnClient sfn() {
        return sfn;
    }

    /** Invokes a function in-process; see {@link LambdaHost#invoke}. */
    public <O> O invoke(String function, Object event, Class<O> resultType) {
        return lambdaHost.invoke(function, event, resultType);
    }

    /**
     * What the HTTP API does with a request: calls the function whose {@code HttpApi} route matches the
     * event's method and path, in-process; 404 {@code {"message":"Not Found"}} when no route does.
     */
    public APIGatewayV2HTTPResponse api(APIGatewayV2HTTPEvent event) {
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : null;
        String path = event.getRawPath();
        for (FunctionDefinition function : functions.functions()) {
            for (FunctionEvent.HttpRoute route : function.httpRoutes()) {
                if (method != null && path != null && route.matches(method, path)) {
                    return lambdaHost.invoke(function.name(), event, APIGatewayV2HTTPResponse.class);
                }
            }
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
        List<FunctionDefinition> scheduled = new ArrayList<>();
        List<FunctionEvent.Schedule> schedules = new ArrayList<>();
        for (FunctionDefinition function : functions.functions()) {
            for (FunctionEvent.Schedule schedule : function.schedules()) {
                scheduled.add(function);
                schedules.add(schedule);
            }
        }
        if (schedules.size() != 1) {
            throw new IllegalStateException("The template has " + schedules.size() + " schedules; fireSchedule needs exactly one");
        }
        return fire(scheduled.get(0), schedules.get(0), time);
    }

    /**
     * Runs the sweeper once now, as each schedule tick runs it after its starts (the scheduled-runs
     * function's code, with its environment): ends the runs that can no longer end by themselves.
     */
    public JsonNode sweep() {
        return JSON.valueToTree(io.syncexec.lambda.Wiring.production().sweeper().sweep());
    }

    /** Invokes {@code function} with the "Scheduled Event" EventBridge sends for {@code schedule}'s rule at {@code time}. */
    private JsonNode fire(FunctionDefinition function, FunctionEvent.Schedule schedule, Instant time) {
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", "Scheduled Event");
        event.put("source", "aws.events");
        event.put("account", StandIns.ACCOUNT_ID);
        event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", StandIns.REGION);
        event.putArray("resources").add("arn:aws:events:" + StandIns.REGION + ":" + StandIns.ACCOUNT_ID + ":rule/"
                + schedule.ruleName());
        event.putObject("detail");
        return lambdaHost.invoke(function.name(), event, JsonNode.class);
    }

    /**
     * Stops the schedule rules and the event sources (waiting for ticks and batches in flight), Step
     * Functions and the Lambda host, restores the system properties, and closes the stand-ins if they
     * were its own.
     */
    @Override
    public void close() {
        synchronized (LocalCloud.class) {
            if (closed) {
                return;
            }
            try {
                stopComponents();
            } finally {
                if (running == this) {
                    running = null;
                }
            }
        }
    }

    private void stopComponents() {
        closed = true;
        RuntimeException failure = null;
        List<AutoCloseable> components = new ArrayList<>(scheduleRules);
        components.addAll(eventSources);
        components.addAll(Arrays.asList(sfn, stepFunctions, eventBus, lambdaClient, lambdaHost));
        for (AutoCloseable component : components) {
            try {
                if (component != null) {
                    component.close();
                }
            } catch (Exception e) {
                failure = failure == null ? new IllegalStateException("Could not stop every component", e) : failure;
                failure.addSuppressed(e);
            }
        }
        previousProperties.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
        if (options.freshStandIns()) {
            standIns.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void setProperty(String name, String value) {
        if (!previousProperties.containsKey(name)) {
            previousProperties.put(name, System.getProperty(name));
        }
        System.setProperty(name, value);
    }

    private void setEndpoint(String property, URI endpoint) {
        setProperty(property, endpoint.toString());
        ENDPOINTS_GIVEN.put(property, endpoint.toString());
    }

    private static void checkEndpointsUnchanged(String property, String endpoint) {
        String given = ENDPOINTS_GIVEN.get(property);
        if (given != null && !given.equals(endpoint)) {
            throw new IllegalStateException(property + " was " + given + " for an earlier LocalCloud of this JVM and would be "
                    + endpoint + " now; production SDK clients (io.syncexec.lambda.AwsClients) are built once per JVM and keep "
                    + "their endpoint, so every LocalCloud of a JVM must run on the same stand-ins (StandIns.get())");
        }
    }

    private Duration longestTimeout() {
        return functions.functions().stream().map(FunctionDefinition::timeout).max(Duration::compareTo).orElse(Duration.ofSeconds(3));
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(StandIns.ACCESS_KEY_ID, StandIns.SECRET_ACCESS_KEY));
    }
}
