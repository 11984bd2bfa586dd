package io.syncexec.system;

import io.syncexec.execution.ExecutionRepository;
import io.syncexec.local.lambda.LambdaEnvironment;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every AWS request the SDK sends in this JVM (each HTTP attempt, retries included), with the
 * role that signed it and the code that sent it: registered for all SDK clients through the SDK's
 * global interceptor file ({@code software/amazon/awssdk/global/handlers/execution.interceptors} in
 * the test resources). SQS receives are recorded once answered, marked idle when they found nothing.
 */
public final class RequestRecorder implements ExecutionInterceptor {
    /**
     * One request: service, operation, the resource it names, the class and the thread that made
     * it, whether it names an item of the confirmation-token partition
     * ({@code ExecutionRepository.TOKEN_PARTITION_PREFIX}), the access key id that signed it, and
     * whether it was a receive that found no message (a poller waiting, not work done).
     */
    public record Call(String service, String operation, List<String> resources, String caller, Thread thread,
                       boolean tokenPartition, String accessKeyId, boolean idleReceive) {

        /**
         * The template resource (a function, the state machine) whose role signed the request, read
         * from its signature as AWS reads it: every function signs with its own role's key
         * ({@link LambdaEnvironment}), whatever thread sends it. Empty for any other key (the test's own).
         */
        public Optional<String> role() {
            return LambdaEnvironment.roleOf(accessKeyId);
        }
    }

    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/");
    private static final ExecutionAttribute<List<Call>> RECEIVES = new ExecutionAttribute<>("RequestRecorder.receives");

    private static final String TOKEN_PREFIX = io.syncexec.dynamodb.DynamoDbExecutionRepository.TOKEN_PARTITION_PREFIX;

    /** Classes a call is attributed to: the function handlers and the local AWS services. */
    private static final Set<String> CALLERS = Set.of(
            "io.syncexec.api.ExecutionApiHandler",
            "io.syncexec.confirmation.ConfirmationRequestHandler",
            "io.syncexec.dispatch.DispatchHandler",
            "io.syncexec.importer.ImportWorkerHandler",
            "io.syncexec.finalize.FinalizeHandler",
            "io.syncexec.scheduledruns.ScheduledRunsHandler",
            "io.syncexec.scheduledstarts.ScheduledStartsHandler",
            // The heartbeat reads and claims the due index's shards on threads of its own.
            "io.syncexec.scheduling.ScheduleService",
            "io.syncexec.local.sqs.SqsEventSource");
    private static final ConcurrentLinkedQueue<Call> CALLS = new ConcurrentLinkedQueue<>();
    // Inherited: the local Lambda host runs each invocation on a thread of its own (to enforce the timeout).
    private static final InheritableThreadLocal<Boolean> UNCOUNTED = new InheritableThreadLocal<>() {
        @Override
        protected Boolean initialValue() {
            return false;
        }
    };
    private static final ConcurrentLinkedQueue<Fault> FAULTS = new ConcurrentLinkedQueue<>();

    /** The next {@code times} requests {@code service}/{@code operation} sent by {@code caller} fail. */
    private record Fault(String service, String operation, String caller, AtomicInteger times) {
    }

    /**
     * Makes the next {@code times} requests {@code operation} of {@code service} (e.g. "Sfn",
     * "SendTaskSuccess") that {@code callerClass} sends fail before they leave, with a 503 the SDK
     * does not retry: what a throttled or failing AWS service looks like after the SDK's retries.
     */
    public static void failNext(String service, String operation, String callerClass, int times) {
        FAULTS.add(new Fault(service, operation, callerClass, new AtomicInteger(times)));
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (FAULTS.isEmpty()) {
            return;
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        for (Fault fault : FAULTS) {
            if (fault.service().equals(service) && fault.operation().equals(operation) && caller().equals(fault.caller())
                    && fault.times().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw AwsServiceException.builder().statusCode(503)
                        .message("injected fault: " + service + " " + operation + " is unavailable").build();
            }
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        if (UNCOUNTED.get()) {
            return;
        }
        // Signed by now: the Authorization header names the access key that signed it.
        String accessKeyId = context.httpRequest().firstMatchingHeader("Authorization")
                .map(CREDENTIAL::matcher).filter(Matcher::find).map(m -> m.group(1)).orElse(null);
        Call call = new Call(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), resources(context.request()), caller(),
                Thread.currentThread(), tokenPartition(context.request()), accessKeyId, false);
        if (!(context.request() instanceof ReceiveMessageRequest)) {
            CALLS.add(call);
            return;
        }
        // A receive is recorded once answered, when it is known whether it found anything: a poller's
        // long poll still waiting when a test reads the calls is not counted yet.
        List<Call> attempts = attributes.getAttribute(RECEIVES);
        if (attempts == null) {
            attempts = new ArrayList<>();
            attributes.putAttribute(RECEIVES, attempts);
        }
        attempts.add(call);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        boolean idle = context.response() instanceof ReceiveMessageResponse received && received.messages().isEmpty();
        recordReceives(attributes, idle);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        recordReceives(attributes, false);
    }

    private static void recordReceives(ExecutionAttributes attributes, boolean idle) {
        List<Call> attempts = attributes.getAttribute(RECEIVES);
        if (attempts != null) {
            attempts.forEach(c -> CALLS.add(new Call(c.service(), c.operation(), c.resources(), c.caller(), c.thread(),
                    c.tokenPartition(), c.accessKeyId(), idle)));
        }
    }

    /** Runs {@code work} without recording its requests (a test looking, not the system working). */
    public static <T> T uncounted(Supplier<T> work) {
        UNCOUNTED.set(true);
        try {
            return work.get();
        } finally {
            UNCOUNTED.set(false);
        }
    }

    public static void reset() {
        CALLS.clear();
        FAULTS.clear();
    }

    public static List<Call> calls() {
        return new ArrayList<>(CALLS);
    }

    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName)
                .filter(name -> CALLERS.contains(name) || name.startsWith("io.syncexec.stepfunctions."))
                .map(name -> name.startsWith("io.syncexec.stepfunctions.") ? "StepFunctions" : name)
                .findFirst().orElse("other"));
    }

    /** The tables, queue, state machine, execution or function a request names. */
    private static List<String> resources(SdkRequest request) {
        List<String> resources = new ArrayList<>();
        for (String getter : List.of("tableName", "queueUrl", "stateMachineArn", "executionArn", "functionName")) {
            try {
                Method method = request.getClass().getMethod(getter);
                Object value = method.invoke(request);
                if (value != null) {
                    resources.add(value.toString());
                }
            } catch (NoSuchMethodException e) {
                // this request has no such field
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            // A query of an index names the index: IAM grants it apart from its table ("<table>/index/<name>").
            Object index = request.getClass().getMethod("indexName").invoke(request);
            if (index != null && !resources.isEmpty()) {
                resources.set(0, resources.get(0) + "/index/" + index);
            }
        } catch (NoSuchMethodException e) {
            // not a query or scan
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        try {
            Object items = request.getClass().getMethod("requestItems").invoke(request);
            if (items instanceof Map<?, ?> map) {
                map.keySet().forEach(k -> resources.add(k.toString()));
            }
        } catch (NoSuchMethodException e) {
            // not a batch request
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return resources;
    }

    /** Whether a DynamoDB request's key, item or expression values name the token partition. */
    private static boolean tokenPartition(SdkRequest request) {
        for (String getter : List.of("key", "item", "expressionAttributeValues")) {
            try {
                Object value = request.getClass().getMethod(getter).invoke(request);
                if (value instanceof Map<?, ?> map && map.values().stream().anyMatch(v ->
                        v instanceof software.amazon.awssdk.services.dynamodb.model.AttributeValue a
                                && a.s() != null && a.s().startsWith(TOKEN_PREFIX))) {
                    return true;
                }
            } catch (NoSuchMethodException e) {
                // this request has no such field
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return false;
    }

    static long count(Collection<Call> calls, String service, String operation) {
        return calls.stream().filter(c -> c.service().equals(service) && c.operation().equals(operation)).count();
    }
}
