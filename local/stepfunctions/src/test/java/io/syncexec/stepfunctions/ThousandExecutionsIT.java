package io.syncexec.stepfunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * 1,000 concurrent executions of a 5-state machine (Pass, Lambda Task, Choice, Wait, Succeed), all
 * started through the API, all must succeed. Prints the rate; asserts no timing.
 */
class ThousandExecutionsIT {

    private static final int EXECUTIONS = 1000;
    private static final int CLIENT_THREADS = 16;
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:echo";
    private static final String DEFINITION = """
            {
              "StartAt": "Prepare",
              "States": {
                "Prepare": { "Type": "Pass", "Parameters": { "n.$": "$.n", "kind": "load" }, "Next": "Call" },
                "Call": { "Type": "Task", "Resource": "%s", "ResultPath": "$.echo", "Next": "Route",
                          "Retry": [ { "ErrorEquals": ["Lambda.ServiceException"], "MaxAttempts": 2 } ] },
                "Route": { "Type": "Choice",
                           "Choices": [ { "Variable": "$.echo.kind", "StringEquals": "load", "Next": "Pause" } ],
                           "Default": "Pause" },
                "Pause": { "Type": "Wait", "Seconds": 1, "Next": "Done" },
                "Done": { "Type": "Succeed" }
              }
            }
            """.formatted(FUNCTION);

    private TestBed bed;

    @BeforeEach
    void start() {
        bed = new TestBed();
        bed.lambda.define(FUNCTION, FakeLambda.Reply::returns);
    }

    @AfterEach
    void stop() {
        bed.close();
    }

    @Test
    void thousandConcurrentExecutionsAllSucceed() throws Exception {
        String stateMachineArn = bed.sfn.createStateMachine(request -> request.name("load")
                .definition(DEFINITION).roleArn("arn:aws:iam::123456789012:role/sfn")).stateMachineArn();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        long begin = System.nanoTime();
        try {
            List<Future<String>> started = new ArrayList<>();
            for (int i = 0; i < EXECUTIONS; i++) {
                int n = i;
                started.add(clients.submit(() -> bed.sfn.startExecution(request -> request
                        .stateMachineArn(stateMachineArn).name("run-" + n).input("{\"n\":" + n + "}")).executionArn()));
            }
            for (Future<String> future : started) {
                future.get();
            }
        } finally {
            clients.shutdown();
        }
        long allStarted = System.nanoTime();

        int succeeded = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            bed.settle();
            succeeded = count(stateMachineArn, ExecutionStatus.SUCCEEDED);
            if (succeeded == EXECUTIONS || !bed.clock.advanceToNext()) {
                break;
            }
        }
        long end = System.nanoTime();

        double seconds = (end - begin) / 1e9;
        System.out.printf("%n| executions | states each | client threads | cores | start (s) | total (s) | executions/s | states/s |%n");
        System.out.printf("|-----------:|------------:|---------------:|------:|----------:|----------:|-------------:|---------:|%n");
        System.out.printf("| %10d | %11d | %14d | %5d | %9.2f | %9.2f | %12.0f | %8.0f |%n%n", EXECUTIONS, 5,
                CLIENT_THREADS, Runtime.getRuntime().availableProcessors(), (allStarted - begin) / 1e9, seconds,
                EXECUTIONS / seconds, EXECUTIONS * 5 / seconds);
        assertEquals(EXECUTIONS, succeeded, "executions that succeeded");
    }

    private int count(String stateMachineArn, ExecutionStatus status) {
        int total = 0;
        String token = null;
        do {
            String next = token;
            var page = bed.sfn.listExecutions(request -> request.stateMachineArn(stateMachineArn).statusFilter(status)
                    .maxResults(1000).nextToken(next));
            total += page.executions().size();
            token = page.nextToken();
        } while (token != null);
        return total;
    }
}
