package io.syncexec.local.template;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code AWS::Serverless::Function} of the template, {@code Globals.Function} applied and every
 * value resolved.
 *
 * @param logicalId    the resource's logical id, which is also the function's name here
 * @param arn          {@code arn:aws:lambda:<region>:<account>:function:<logicalId>}
 * @param handlerClass from {@code Handler: package.Class::handleRequest}
 * @param environment  the resolved environment variables, sorted by name
 */
public record FunctionDefinition(String logicalId, String arn, String handlerClass, Duration timeout, int memoryMb,
                                 Map<String, String> environment, List<FunctionEvent> events) {

    public FunctionDefinition {
        environment = Map.copyOf(environment);
        events = List.copyOf(events);
    }

    public String name() {
        return logicalId;
    }

    public List<FunctionEvent.QueueTrigger> queueTriggers() {
        return events(FunctionEvent.QueueTrigger.class);
    }

    public List<FunctionEvent.Schedule> schedules() {
        return events(FunctionEvent.Schedule.class);
    }

    public List<FunctionEvent.HttpRoute> httpRoutes() {
        return events(FunctionEvent.HttpRoute.class);
    }

    private <T extends FunctionEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
