package io.syncexec.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.syncexec.local.events.ScheduleExpression;
import io.syncexec.local.events.ScheduleRule;
import io.syncexec.local.lambda.LambdaHost;
import io.syncexec.local.sqs.SqsEventSource;
import io.syncexec.local.template.FunctionDefinition;
import io.syncexec.local.template.FunctionEvent;
import io.syncexec.local.template.TemplateFunctions;
import io.syncexec.standins.StandIns;
import io.syncexec.stepfunctions.engine.Scheduler;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * What invokes the functions besides the API, wired as template.yaml wires it: an
 * {@link SqsEventSource} per enabled SQS event (polling with {@code sqs} of its function: its role's client), a {@link ScheduleRule} per enabled Schedule event (on
 * the Step Functions stand-in's time), and the schedule's manual trigger.
 */
final class Triggers implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TemplateFunctions functions;
    private final LambdaHost lambda;
    private final List<SqsEventSource> eventSources = new ArrayList<>();
    private final List<ScheduleRule> scheduleRules = new ArrayList<>();

    private Triggers(TemplateFunctions functions, LambdaHost lambda) {
        this.functions = functions;
        this.lambda = lambda;
    }

    /**
     * Starts them all. An enabled rule whose expression cannot run here (not a valid rate(), or a
     * cron()) fails the start, after stopping what had started; a disabled one is not parsed: it never
     * fires by itself.
     */
    static Triggers start(TemplateFunctions functions, LambdaHost lambda, Function<FunctionDefinition, SqsClient> sqs,
                          Scheduler scheduler, int pollersPerQueue, PrintStream log) {
        Triggers triggers = new Triggers(functions, lambda);
        try {
            for (FunctionDefinition function : functions.functions()) {
                for (FunctionEvent.QueueTrigger trigger : function.queueTriggers()) {
                    if (trigger.enabled()) {
                        triggers.eventSources.add(SqsEventSource.start(sqs.apply(function), function.name(), trigger,
                                event -> lambda.invoke(function.name(), event, SQSBatchResponse.class),
                                pollersPerQueue, function.timeout(), log));
                    }
                }
                for (FunctionEvent.Schedule schedule : function.schedules()) {
                    if (schedule.enabled()) {
                        triggers.scheduleRules.add(ScheduleRule.start(schedule.ruleName(), expression(function, schedule), scheduler,
                                time -> triggers.fire(function, schedule, time).toString(), function.timeout(), log));
                    }
                }
            }
            return triggers;
        } catch (RuntimeException | Error e) {
            triggers.close();
            throw e;
        }
    }

    private static ScheduleExpression expression(FunctionDefinition function, FunctionEvent.Schedule schedule) {
        try {
            return ScheduleExpression.parse(schedule.expression());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(function.logicalId() + ".Events." + schedule.name() + ": " + e.getMessage(), e);
        }
    }

    List<ScheduleRule> scheduleRules() {
        return List.copyOf(scheduleRules);
    }

    int eventSourceCount() {
        return eventSources.size();
    }

    /** The template's one scheduled function (the manual trigger and the sweep run as it). */
    FunctionDefinition scheduledFunction() {
        List<FunctionDefinition> scheduled = functions.functions().stream().filter(function -> !function.schedules().isEmpty()).toList();
        if (scheduled.size() != 1 || scheduled.get(0).schedules().size() != 1) {
            throw new IllegalStateException("The template has " + scheduled.size() + " scheduled functions; the local mode needs exactly one schedule");
        }
        return scheduled.get(0);
    }

    /** Fires the template's one schedule as EventBridge would at {@code time}, enabled or not, and returns the function's result. */
    JsonNode fireSchedule(Instant time) {
        FunctionDefinition function = scheduledFunction();
        return fire(function, function.schedules().get(0), time);
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
        return lambda.invoke(function.name(), event, JsonNode.class);
    }

    /** Stops the schedule rules, then the event sources, each waiting for its tick or batch in flight. */
    @Override
    public void close() {
        List<AutoCloseable> started = new ArrayList<>(scheduleRules);
        started.addAll(eventSources);
        Closing.all(started);
    }
}
