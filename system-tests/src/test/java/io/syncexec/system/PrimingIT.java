package io.syncexec.system;

import io.syncexec.lambda.FunctionEnvironment;
import io.syncexec.lambda.Priming;
import io.syncexec.local.LocalCloudExtension;
import io.syncexec.system.RequestRecorder.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each function runs before a SnapStart snapshot: its primings reach DynamoDB through the
 * function's own code and build the SDK clients its adapters would build on first use (so the
 * snapshot holds a warmed SDK and Jackson), and only read. Requests
 * are told apart by thread: the local cloud's queue pollers may be busy with other tests' messages.
 */
class PrimingIT {
    private static final Template TEMPLATE = Template.read();
    private static final Set<String> READS = Set.of("GetItem", "Query", "Scan", "BatchGetItem");
    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension();

    @Test
    void everyFunctionPrimesItsPathWithReadsOnly() throws Exception {
        for (String function : TEMPLATE.ids("AWS::Serverless::Function")) {
            int registered = Priming.registered().size();
            construct(function); // what Lambda's init does
            List<Priming> added = Priming.registered().subList(registered, Priming.registered().size());
            // Its path's priming, and one per SDK client its adapters build on first use (building one sends nothing).
            assertFalse(added.isEmpty(), function + " registers its primings in its constructor");

            RequestRecorder.reset();
            added.forEach(Priming::prime);
            List<Call> calls = RequestRecorder.calls().stream().filter(c -> c.thread() == Thread.currentThread()).toList();
            assertTrue(calls.stream().anyMatch(c -> c.operation().equals("GetItem")), function + " reaches DynamoDB: " + calls);
            assertTrue(calls.stream().allMatch(c -> READS.contains(c.operation())), function + " only reads: " + calls);
        }
    }

    @Test
    void primingIsInertUntilACheckpoint() throws Exception {
        RequestRecorder.reset();
        for (String function : TEMPLATE.ids("AWS::Serverless::Function")) {
            construct(function);
        }
        assertEquals(List.of(), RequestRecorder.calls().stream().filter(c -> c.thread() == Thread.currentThread()).toList(),
                "a constructor alone makes no request (without CRaC no checkpoint ever runs the priming)");
    }

    /** The handler, constructed with the environment Lambda would give it. */
    private static void construct(String function) throws ReflectiveOperationException {
        Class.forName(TEMPLATE.handlerClass(function)).getConstructor(FunctionEnvironment.class)
                .newInstance(CLOUD.cloud().functionEnvironment(CLOUD.cloud().functions().function(function)));
    }
}
