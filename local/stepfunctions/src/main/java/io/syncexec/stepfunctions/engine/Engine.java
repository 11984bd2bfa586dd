package io.syncexec.stepfunctions.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.stepfunctions.definition.InvalidDefinitionException;
import io.syncexec.stepfunctions.definition.ParsedDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The Step Functions service in memory: state machines, executions and callback tokens, with the
 * semantics (and error codes) of AWS's API. The HTTP layer only translates to and from JSON.
 */
public final class Engine implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.~-]{1,80}");
    private static final Pattern STATE_MACHINE_ARN = Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[^:]+");
    private static final Pattern EXECUTION_ARN = Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:execution:[^:]+:[^:]+");

    private final String region;
    private final String accountId;
    private final Scheduler scheduler;
    private final Workers workers;
    private final TaskTokens tokens = new TaskTokens();
    private final Interpreter interpreter;
    private final Map<String, StateMachine> stateMachines = new ConcurrentHashMap<>();
    private final Map<String, ExecutionRun> executions = new ConcurrentHashMap<>();

    public Engine(String region, String accountId, Scheduler scheduler, IntegrationClients clients, int workerThreads) {
        this.region = region;
        this.accountId = accountId;
        this.scheduler = scheduler;
        this.workers = new Workers(workerThreads);
        TaskStates tasks = new TaskStates(scheduler, workers, new ServiceIntegrations(clients), tokens, region);
        this.interpreter = new Interpreter(scheduler, workers, tasks);
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Waits until no state is running and no call is in flight (only timers and callbacks pending). */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return workers.awaitIdle(timeout);
    }

    // --- state machines -------------------------------------------------------------------

    public synchronized StateMachine createStateMachine(String name, String definition, String roleArn, String type) {
        checkName(name);
        if (type != null && !type.equals("STANDARD")) {
            throw new ServiceException("ValidationException",
                    "Only STANDARD state machines are implemented by this Step Functions stand-in, not " + type);
        }
        ParsedDefinition parsed = parse(definition);
        String arn = "arn:aws:states:" + region + ":" + accountId + ":stateMachine:" + name;
        StateMachine existing = stateMachines.get(arn);
        if (existing != null) {
            if (existing.definitionText().equals(definition) && String.valueOf(existing.roleArn()).equals(String.valueOf(roleArn))) {
                return existing;
            }
            throw new ServiceException("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
        }
        Instant now = scheduler.now();
        StateMachine machine = new StateMachine(arn, name, definition, parsed, roleArn, now, now);
        stateMachines.put(arn, machine);
        return machine;
    }

    public synchronized StateMachine updateStateMachine(String arn, String definition, String roleArn) {
        StateMachine current = stateMachine(arn);
        String newDefinition = definition == null ? current.definitionText() : definition;
        ParsedDefinition parsed = definition == null ? current.definition() : parse(definition);
        StateMachine updated = new StateMachine(arn, current.name(), newDefinition, parsed,
                roleArn == null ? current.roleArn() : roleArn, current.creationDate(), scheduler.now());
        stateMachines.put(arn, updated);
        return updated;
    }

    public StateMachine stateMachine(String arn) {
        if (arn == null || !STATE_MACHINE_ARN.matcher(arn).matches()) {
            throw new ServiceException("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + arn + "'");
        }
        StateMachine machine = stateMachines.get(arn);
        if (machine == null) {
            throw new ServiceException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        return machine;
    }

    public void deleteStateMachine(String arn) {
        if (arn == null || !STATE_MACHINE_ARN.matcher(arn).matches()) {
            throw new ServiceException("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + arn + "'");
        }
        stateMachines.remove(arn);
    }

    public List<StateMachine> stateMachines() {
        List<StateMachine> all = new ArrayList<>(stateMachines.values());
        all.sort(Comparator.comparing(StateMachine::name));
        return all;
    }

    private static ParsedDefinition parse(String definition) {
        if (definition == null) {
            throw new ServiceException("ValidationException", "1 validation error detected: Value null at 'definition' "
                    + "failed to satisfy constraint: Member must not be null");
        }
        try {
            return ParsedDefinition.parse(definition);
        } catch (InvalidDefinitionException e) {
            throw new ServiceException("InvalidDefinition", e.getMessage());
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ServiceException("InvalidName", "Invalid Name: '" + name + "'");
        }
    }

    // --- executions -----------------------------------------------------------------------

    /**
     * Starts an execution. A name already used by a running execution with the same input returns
     * that execution (standard workflows' idempotency); any other reuse is ExecutionAlreadyExists.
     */
    public ExecutionRun startExecution(String stateMachineArn, String name, String inputText) {
        StateMachine machine = stateMachine(stateMachineArn);
        String executionName = name == null ? UUID.randomUUID().toString() : name;
        checkName(executionName);
        String text = inputText == null ? "{}" : inputText;
        JsonNode input = parseJson(text, "InvalidExecutionInput", "Invalid State Machine Execution Input: ");
        if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > Interpreter.PAYLOAD_LIMIT_BYTES) {
            throw new ServiceException("InvalidExecutionInput", "The execution input exceeds the maximum size");
        }
        String arn = "arn:aws:states:" + region + ":" + accountId + ":execution:" + machine.name() + ":" + executionName;
        ExecutionRun execution;
        synchronized (this) {
            ExecutionRun existing = executions.get(arn);
            if (existing != null) {
                if (existing.status() == RunStatus.RUNNING && existing.input().equals(input)) {
                    return existing;
                }
                throw new ServiceException("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
            }
            execution = new ExecutionRun(arn, executionName, machine, text, input, scheduler.now(), new History(scheduler));
            executions.put(arn, execution);
        }
        begin(execution);
        return execution;
    }

    private void begin(ExecutionRun execution) {
        ObjectNode started = JSON.createObjectNode();
        started.put("input", execution.inputText());
        started.putObject("inputDetails").put("truncated", false);
        started.put("roleArn", execution.stateMachine().roleArn());
        started.put("stateMachineArn", execution.stateMachine().arn());
        execution.history().add("ExecutionStarted", "executionStartedEventDetails", started);
        Integer timeout = execution.stateMachine().definition().timeoutSeconds();
        if (timeout != null) {
            scheduler.schedule(Duration.ofSeconds(timeout), () -> workers.execute(() ->
                    finish(execution, RunStatus.TIMED_OUT, null, StatesError.TIMEOUT, null)));
        }
        interpreter.runBlock(new Frame(execution, execution.scope()), execution.stateMachine().definition().root(),
                        execution.input())
                .whenComplete((output, failure) -> {
                    Throwable cause = failure == null ? null : Interpreter.unwrap(failure);
                    if (cause == null) {
                        finish(execution, RunStatus.SUCCEEDED, output.toString(), null, null);
                    } else if (cause instanceof StatesError error) {
                        finish(execution, RunStatus.FAILED, null, error.error(), error.cause());
                    } else if (!(cause instanceof CancellationException)) {
                        finish(execution, RunStatus.FAILED, null, StatesError.RUNTIME,
                                "Internal error of the Step Functions stand-in: " + cause);
                    }
                });
    }

    private void finish(ExecutionRun execution, RunStatus status, String output, String error, String cause) {
        if (!execution.finish(status, output, error, cause, scheduler.now())) {
            return;
        }
        tokens.release(execution);
        ObjectNode details = JSON.createObjectNode();
        switch (status) {
            case SUCCEEDED -> {
                details.put("output", output);
                details.putObject("outputDetails").put("truncated", false);
                execution.history().add("ExecutionSucceeded", "executionSucceededEventDetails", details);
            }
            case FAILED -> execution.history().add("ExecutionFailed", "executionFailedEventDetails", errorAndCause(error, cause));
            case ABORTED -> execution.history().add("ExecutionAborted", "executionAbortedEventDetails", errorAndCause(error, cause));
            case TIMED_OUT -> execution.history().add("ExecutionTimedOut", "executionTimedOutEventDetails", errorAndCause(error, cause));
            default -> throw new IllegalStateException("not a final status: " + status);
        }
    }

    private static ObjectNode errorAndCause(String error, String cause) {
        ObjectNode details = JSON.createObjectNode();
        if (error != null) {
            details.put("error", error);
        }
        if (cause != null) {
            details.put("cause", cause);
        }
        return details;
    }

    public ExecutionRun execution(String arn) {
        if (arn == null || !EXECUTION_ARN.matcher(arn).matches()) {
            throw new ServiceException("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + arn + "'");
        }
        ExecutionRun execution = executions.get(arn);
        if (execution == null) {
            throw new ServiceException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
        }
        return execution;
    }

    /** The state machine's executions, newest first, optionally only those with {@code status}. */
    public List<ExecutionRun> executions(String stateMachineArn, RunStatus status) {
        stateMachine(stateMachineArn);
        List<ExecutionRun> matching = new ArrayList<>();
        for (ExecutionRun execution : executions.values()) {
            if (execution.stateMachine().arn().equals(stateMachineArn) && (status == null || execution.status() == status)) {
                matching.add(execution);
            }
        }
        matching.sort(Comparator.comparing(ExecutionRun::startDate).reversed().thenComparing(ExecutionRun::name));
        return matching;
    }

    public ExecutionRun stopExecution(String arn, String error, String cause) {
        ExecutionRun execution = execution(arn);
        finish(execution, RunStatus.ABORTED, null, error, cause);
        return execution;
    }

    // --- callbacks ------------------------------------------------------------------------

    public void sendTaskSuccess(String token, String outputText) {
        TaskTokens.Waiting waiting = tokens.waiting(token);
        JsonNode output = parseJson(outputText, "InvalidOutput", "Invalid Output: ");
        workers.execute(() -> waiting.result().complete(output));
    }

    public void sendTaskFailure(String token, String error, String cause) {
        TaskTokens.Waiting waiting = tokens.waiting(token);
        workers.execute(() -> waiting.result().completeExceptionally(new StatesError(error, cause)));
    }

    public void sendTaskHeartbeat(String token) {
        tokens.waiting(token).onHeartbeat().run();
    }

    private static JsonNode parseJson(String text, String errorType, String prefix) {
        if (text == null) {
            throw new ServiceException(errorType, prefix + "null");
        }
        try {
            JsonNode parsed = JSON.readTree(text);
            if (parsed == null || parsed.isMissingNode()) {
                throw new ServiceException(errorType, prefix + "no JSON value");
            }
            return parsed;
        } catch (JsonProcessingException e) {
            throw new ServiceException(errorType, prefix + e.getOriginalMessage());
        }
    }

    @Override
    public void close() {
        workers.close();
        scheduler.close();
    }
}
