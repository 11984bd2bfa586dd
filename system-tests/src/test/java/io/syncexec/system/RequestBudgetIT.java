package io.syncexec.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.dynamodb.DynamoDbLedgerRepository;
import io.syncexec.execution.ExecutionIds;
import io.syncexec.ledger.ImportRecord;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.local.LocalCloudExtension;
import io.syncexec.standins.ApiClient.Answer;
import io.syncexec.system.RequestRecorder.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static io.syncexec.standins.ApiClient.expect;
import static io.syncexec.system.Operator.yesterday;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §7's request budgets, counted by {@link RequestRecorder} on every SDK client of the JVM by
 * the role that signed each request (the function, event source or state machine that made it; idle
 * receives of the event sources apart), and printed as tables. {@code -Dbenchmark.dates=1000} runs the 1,000-date benchmark (default 200).
 */
class RequestBudgetIT {
    private static final int DATES = Integer.getInteger("benchmark.dates", 200);
    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension(options -> options.withPollersPerQueue(Integer.getInteger("benchmark.pollers", 2)));

    @Test
    void aDefaultRunCostsAtMostFourAwsRequestsPerImportedDate() {
        Operator op = new Operator(CLOUD.cloud());
        op.sync("orders", true, DATES, "{\"recordsPerDate\":1}");
        RequestRecorder.reset();
        Instant start = Instant.now();
        Answer started = expect(202, op.create("orders", "{\"mode\":\"DEFAULT\"}"));
        JsonNode done = RequestRecorder.uncounted(() -> op.await("orders", started.id(),
                e -> e.path("status").asText().equals("SUCCEEDED") && !e.path("finishedAt").isNull(), Duration.ofMinutes(5)));
        Duration elapsed = Duration.between(start, Instant.now());
        List<Call> calls = RequestRecorder.calls();
        int imported = done.path("progress").path("imported").asInt();
        assertEquals(DATES, imported);

        // Counted by the role that signed each request (a function, its event source, the state machine).
        // The demo connector's writes stand for the client's tool, not for this system's own work; the
        // event sources' receives that found nothing are pollers waiting (their number grows with the
        // wall time, so with the machine's speed): both are counted apart.
        String destination = CLOUD.cloud().standIns().table("DemoDestinationTable");
        List<Call> unattributed = calls.stream().filter(c -> c.role().isEmpty()).toList();
        List<Call> idle = calls.stream().filter(c -> c.role().isPresent() && c.idleReceive()).toList();
        List<Call> connectorWrites = calls.stream().filter(c -> c.role().isPresent() && c.resources().contains(destination)).toList();
        List<Call> system = calls.stream().filter(c -> c.role().isPresent() && !c.idleReceive() && !c.resources().contains(destination))
                .toList();
        double perDate = (double) system.size() / imported;
        // Windowed dispatch (docs/fairness.md): dispatch sends the run's window, the workers bring each next date
        // as one finishes, in one send per batch; together still one send per ten dates or so.
        long batches = RequestRecorder.count(calls, "Sqs", "SendMessageBatch");
        long dispatchSends = calls.stream()
                .filter(c -> c.operation().equals("SendMessageBatch") && c.role().equals(Optional.of("DispatchFunction"))).count();
        System.out.printf("%n| %d dates, local mode, demo connector | value |%n|---|---|%n", DATES);
        System.out.printf("| wall time | %.2f s |%n| dates/s | %.0f |%n", elapsed.toMillis() / 1000.0, imported * 1000.0 / elapsed.toMillis());
        System.out.printf("| AWS requests, system (all services, idle receives left out) | %d |%n| AWS requests per imported date | %.2f |%n",
                system.size(), perDate);
        System.out.printf("| idle receives of the event sources (apart: they grow with wall time) | %d |%n", idle.size());
        System.out.printf("| demo connector writes (the client's tool) | %d |%n"
                        + "| SQS SendMessageBatch for %d dates (dispatch's window + the workers' refills) | %d (%d + %d) |%n%n",
                connectorWrites.size(), DATES, batches, dispatchSends, batches - dispatchSends);
        System.out.println("| requests by caller (the role that signed them) | count | per date |\n|---|---|---|");
        new TreeMap<>(system.stream().collect(Collectors.groupingBy(c -> c.role().orElseThrow(), Collectors.counting())))
                .forEach((k, v) -> System.out.printf("| %s | %d | %.3f |%n", k, v, (double) v / imported));
        System.out.println("\n| requests by caller, service, operation | count | per date |\n|---|---|---|");
        new TreeMap<>(system.stream().collect(Collectors.groupingBy(c -> c.role().orElseThrow() + " " + c.service() + " " + c.operation(),
                Collectors.counting()))).forEach((k, v) -> System.out.printf("| %s | %d | %.3f |%n", k, v, (double) v / imported));

        assertEquals(List.of(), unattributed, "every request of the run is signed by a function's or the state machine's role");
        assertEquals(imported, connectorWrites.size(), "the demo connector writes each date once to the client's tool");

        assertTrue(dispatchSends <= (DATES + 9) / 10, "dispatching N dates takes at most ceil(N/10) SQS sends: " + dispatchSends);
        assertTrue(perDate <= 4.0, "at most 4 AWS requests per imported date: " + perDate);
        assertEquals(List.of("StartExecution"), stepFunctionsCallsOfTheApi(calls), "a start on a free sync asks nothing else");
    }

    @Test
    void aStartOnALockedSyncAsksStepFunctionsOnceWhetherTheHolderStillRuns() {
        Operator op = new Operator(CLOUD.cloud());
        op.sync("orders", true, 2, "{\"recordsPerDate\":1}");
        Answer waiting = op.awaitingReimport("orders", yesterday());
        RequestRecorder.reset();
        assertEquals(waiting.id(), expect(409, op.create("orders", "{\"mode\":\"DEFAULT\"}")).json()
                .path("error").path("details").path("executionId").asText());
        assertEquals(List.of("DescribeExecution"), stepFunctionsCallsOfTheApi(RequestRecorder.calls()));
        expect(200, op.decline("orders", waiting.json()));
        op.awaitEnd("orders", waiting.id());
    }

    private static List<String> stepFunctionsCallsOfTheApi(List<Call> calls) {
        return calls.stream().filter(c -> c.service().equals("Sfn") && c.role().equals(Optional.of("ExecutionApiFunction")))
                .map(Call::operation).toList();
    }

    @Test
    void aPreviewOfTenYearsReadsTheLedgerInAtMostTwoDynamoDbRequests() throws Exception {
        int days = 3653;
        Operator op = new Operator(CLOUD.cloud());
        op.call("PUT", op.base("decade"), """
                {"name":"Decade","timezone":"Europe/Paris","firstDate":"%s","supportsPeriodExecution":true,"maxRangeDays":3660,
                 "connector":{"type":"demo"}}""".formatted(yesterday().minusDays(days - 1)),
                Map.of("sub", "admin-1", "cognito:groups", "[sync-admins]"));
        importEveryDate(op, "decade", yesterday().minusDays(days - 1), yesterday());
        RequestRecorder.reset();
        JsonNode preview = expect(200, op.create("decade", """
                {"mode":"DATE_RANGE","from":"%s","to":"%s","reimport":true,"dryRun":true}"""
                .formatted(yesterday().minusDays(days - 1), yesterday()))).json();
        List<Call> calls = RequestRecorder.calls();
        long dynamo = calls.stream().filter(c -> c.service().equals("DynamoDb")).count();
        System.out.printf("%n| preview of a %d-day range, every date imported | value |%n|---|---|%n", days);
        System.out.printf("| dates re-imported in the plan | %d |%n| DynamoDB requests | %d |%n| all AWS requests | %d |%n%n",
                preview.path("plan").path("reimportDates").size(), dynamo, calls.size());
        assertEquals(days, preview.path("plan").path("reimportDates").size());
        assertTrue(dynamo <= 2, "a 3,653-day preview takes at most 2 DynamoDB requests: " + calls);
    }

    /** Fills the ledger as workers would (claim, history, commit), four dates at a time, uncounted. */
    private static void importEveryDate(Operator op, String syncId, LocalDate from, LocalDate to) throws Exception {
        LedgerRepository ledger = new DynamoDbLedgerRepository(CLOUD.cloud().standIns().dynamo(), CLOUD.cloud().standIns().table("LedgerTable"), Clock.systemUTC());
        String executionId = ExecutionIds.next(Instant.now());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> done = from.datesUntil(to.plusDays(1)).map(date -> pool.submit(() -> RequestRecorder.uncounted(() -> {
                Instant now = Instant.now();
                ledger.claim(op.clientId, syncId, date, executionId, false, 0, now, now.plusSeconds(60));
                return ledger.commit(op.clientId, syncId, date,
                        new ImportRecord(1, executionId, "MANUAL", "operator-1", null, 12, now, now));
            }))).toList();
            for (Future<Boolean> f : done) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
