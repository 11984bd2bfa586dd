package io.syncexec.local.template;

/** An entry of a function's {@code Events}: what invokes it. */
public sealed interface FunctionEvent {

    /** The event's name in the template (the key under {@code Events}). */
    String name();

    /**
     * {@code Type: SQS}: an event source mapping.
     *
     * @param queueLogicalId          the template queue the mapping polls
     * @param batchSize               {@code BatchSize} (default 10)
     * @param reportBatchItemFailures whether {@code FunctionResponseTypes} has {@code ReportBatchItemFailures}
     * @param enabled                 {@code Enabled} (default true)
     */
    record QueueTrigger(String name, String queueLogicalId, String queueUrl, String queueArn, int batchSize,
                        boolean reportBatchItemFailures, boolean enabled) implements FunctionEvent {
    }

    /**
     * {@code Type: Schedule}: an EventBridge rule.
     *
     * @param ruleName   the rule's name here: {@code <stack>-<function><event>}
     * @param expression {@code rate(...)} or {@code cron(...)}
     * @param enabled    {@code State: ENABLED} or {@code Enabled: true} (default enabled)
     */
    record Schedule(String name, String ruleName, String expression, boolean enabled) implements FunctionEvent {
    }

    /**
     * {@code Type: HttpApi}: a route of the HTTP API ({@code ANY $default} when neither method nor path is given),
     * as the template declares it. Requests are matched, and their route keys made, by
     * {@link io.syncexec.standins.HttpApiRoutes}, the repository's one route matcher.
     */
    record HttpRoute(String name, String method, String path) implements FunctionEvent {
    }
}
