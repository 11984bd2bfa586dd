package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.dynamodb.DynamoDbClientRepository;
import io.syncexec.dynamodb.DynamoDbExecutionRepository;
import io.syncexec.dynamodb.DynamoDbSyncRepository;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.Trigger;
import io.syncexec.local.LocalCloud;
import io.syncexec.local.LocalCloudOptions;
import io.syncexec.local.events.ScheduleRule;
import io.syncexec.scheduling.StartQueue;
import io.syncexec.standins.Await;
import io.syncexec.standins.StandIns;
import io.syncexec.stepfunctions.engine.VirtualScheduler;
import io.syncexec.sync.Client;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncRepository;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static io.syncexec.system.Operator.yesterday;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The template's EventBridge schedule in the local cloud, on a virtual clock: with
 * {@code ScheduleEnabled=true} its rule fires by itself once per period, as the deployed rule does, and
 * the start queue's consumer starts a default run of every due sync whose schedule is enabled; with the
 * template's defaults it never fires by itself.
 */
class ScheduleIT {
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void anEnabledHourlyScheduleStartsADefaultRunOfEachSyncWhoseScheduleIsEnabledWhenTheHourHasPassed() {
        Instant started = Instant.now();
        VirtualScheduler time = new VirtualScheduler(started);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.defaults()
                .withScheduler(time)
                .withParameter("ScheduleEnabled", "true")
                .withParameter("ScheduleExpression", "rate(1 hour)")
                .withEnvironment("RETRY_DELAY_SECONDS", "0")
                .withLog(tee(log)))) {
            Operator op = new Operator(cloud);
            op.sync("orders", true, 3, "{\"recordsPerDate\":2}");
            op.sync("invoices", false, 3, "{}", false);
            assertEquals(1, cloud.scheduleRules().size(), cloud.scheduleRules().toString());
            ScheduleRule rule = cloud.scheduleRules().get(0);
            assertEquals("rate(1 hour)", rule.expression().text());
            Instant due = time.now().plus(HOUR);
            Instant tick = due.truncatedTo(ChronoUnit.SECONDS);

            time.advance(HOUR.minusMinutes(1));
            assertEquals(due, rule.nextTick(), "the rule has not fired before its hour");
            assertEquals(0, op.executions("orders").size());

            time.advance(Duration.ofMinutes(1));
            String fired = "schedule: " + rule.name() + " fired at " + tick + ": {\"started\":";
            Await.until(Duration.ofSeconds(60), "the tick at " + tick + " to be done", () -> text(log).contains(fired));
            assertEquals(due.plus(HOUR), rule.nextTick());

            // The heartbeat enqueued the start; the start queue's consumer starts the run.
            Await.until(Duration.ofSeconds(60), "the scheduled run of orders to start", () -> op.executions("orders").size() > 0);
            JsonNode runs = op.executions("orders");
            assertEquals(1, runs.size(), runs.toString());
            JsonNode run = runs.get(0);
            assertEquals("SCHEDULE", run.path("trigger").asText(), run.toString());
            assertEquals("DEFAULT", run.path("mode").asText(), run.toString());
            assertEquals(0, op.executions("invoices").size(), "a sync whose schedule is disabled gets no run");

            JsonNode done = op.awaitEnd("orders", run.path("executionId").asText());
            assertEquals("SUCCEEDED", done.path("status").asText(), done.toString());
            assertEquals(3, done.path("progress").path("imported").asInt(), done.toString());
            assertEquals(2, op.records("orders", yesterday()));
            awaitEveryRunOf(cloud, started);
        }
    }

    @Test
    void withTheTemplateDefaultsTheScheduleNeverFiresByItself() {
        VirtualScheduler time = new VirtualScheduler(Instant.now());
        try (LocalCloud cloud = LocalCloud.start(LocalCloudOptions.defaults().withScheduler(time))) {
            Operator op = new Operator(cloud);
            op.sync("orders", true, 3, "{\"recordsPerDate\":1}");
            assertEquals(List.of(), cloud.scheduleRules());

            time.advance(Duration.ofHours(3));
            assertEquals(0, time.pending(), "no rule armed a timer");
            assertEquals(0, op.executions("orders").size());
        }
    }

    @Test
    void anEnabledCronScheduleIsRefusedAtStartPointingAtRateOrTheManualTrigger() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> LocalCloud.start(
                LocalCloudOptions.defaults()
                        .withParameter("ScheduleEnabled", "true")
                        .withParameter("ScheduleExpression", "cron(0 12 * * ? *)")
                        .withLog(new PrintStream(OutputStream.nullOutputStream()))).close());
        String message = refused.getMessage();
        assertTrue(message.startsWith("ScheduledRunsFunction.Events.Tick: Schedule expression \"cron(0 12 * * ? *)\""), message);
        assertTrue(message.contains("use a rate() expression locally"), message);
        assertTrue(message.contains("POST /local/schedule"), message);
    }

    /**
     * The tick enqueued a start for every due sync in the stand-ins, those of the test classes that ran
     * before in this JVM included: waits until the start queue is consumed and every scheduled run started
     * since {@code since} has ended, so that none is still importing when this cloud closes and the next test class starts.
     */
    private static void awaitEveryRunOf(LocalCloud cloud, Instant since) {
        StandIns standIns = cloud.standIns();
        Await.until(Duration.ofSeconds(60), "the start queue to be consumed", () -> standIns.sqs()
                .getQueueAttributes(r -> r.queueUrl(standIns.queueUrl("StartQueue")).attributeNames(
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes().values().stream().allMatch("0"::equals));
        SyncRepository syncs = new DynamoDbSyncRepository(standIns.dynamo(), standIns.table("SyncsTable"));
        ExecutionRepository executions = new DynamoDbExecutionRepository(standIns.dynamo(), standIns.table("ExecutionsTable"), Clock.systemUTC());
        for (Client client : new DynamoDbClientRepository(standIns.dynamo(), standIns.table("ClientsTable")).all()) {
            for (Sync sync : syncs.list(client.clientId())) {
                // Only the runs this tick started: a run of an earlier test class whose cloud closed under it never ends.
                Await.until(Duration.ofSeconds(60), "the scheduled runs of " + sync.key() + " to end", () ->
                        executions.list(sync.clientId(), sync.syncId(), 20, null).executions().stream()
                                .noneMatch(run -> run.trigger() == Trigger.SCHEDULE && run.finishedAt() == null
                                        && !run.createdAt().isBefore(since)));
            }
        }
    }

    private static PrintStream tee(ByteArrayOutputStream captured) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                captured.write(b);
                System.out.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                captured.write(bytes, offset, length);
                System.out.write(bytes, offset, length);
            }
        }, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream log) {
        return log.toString(StandardCharsets.UTF_8);
    }
}
