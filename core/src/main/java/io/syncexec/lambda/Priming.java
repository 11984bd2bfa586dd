package io.syncexec.lambda;

import io.syncexec.json.Json;
import io.syncexec.workflow.WorkflowStep;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Priming for Lambda SnapStart. With SnapStart on (template.yaml), Lambda initializes a function
 * once when a version is published, snapshots the JVM and starts new execution environments from
 * that snapshot. A JVM pays for a code path the first time it runs it (class loading, Jackson's
 * introspection, the SDK's first request), so each handler registers here a harmless pass through
 * its own path, read-only, and it runs just before the snapshot (CRaC's {@code beforeCheckpoint}).
 * On a JVM without CRaC (tests, the local mode) nothing runs unless {@link #primeAll()} is called.
 */
public final class Priming implements Resource {
    /** The id primings read: nothing is ever written under it, and reading it changes nothing. */
    public static final String NO_SUCH_ID = "_priming";
    /** CRaC contexts hold resources weakly: this list keeps them alive. */
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final Runnable prime;

    private Priming(Runnable prime) {
        this.prime = prime;
    }

    /** Runs {@code prime} before a SnapStart snapshot is taken. */
    public static void register(Runnable prime) {
        Priming priming = new Priming(prime);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    /**
     * What every function reads first: a {@link WorkflowStep} through the project's mapper and an
     * execution from DynamoDB (one {@code GetItem} of an item that does not exist), which loads
     * Jackson, the DynamoDB client, request signing and the HTTP client.
     */
    public static void registerReads(Wiring wiring) {
        register(() -> {
            try {
                WorkflowStep step = Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(
                        new WorkflowStep(NO_SUCH_ID, NO_SUCH_ID, NO_SUCH_ID, null, new WorkflowStep.Ending("COMPLETED", null))),
                        WorkflowStep.class);
                wiring.executions().get(step.clientId(), step.syncId(), step.executionId());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The primings registered so far, oldest first. */
    public static List<Priming> registered() {
        return List.copyOf(REGISTERED);
    }

    /**
     * Runs every registered priming now, as a checkpoint would, but lets a failure through (the
     * tests and the cold start benchmark call it; a checkpoint only logs it).
     */
    public static void primeAll() {
        REGISTERED.forEach(Priming::prime);
    }

    /** Runs this priming; a failure is thrown. */
    public void prime() {
        prime.run();
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            prime.run();
        } catch (RuntimeException e) {
            // Priming only saves time: a snapshot without it is still correct.
            System.out.println("priming skipped: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to restore: SDK clients reconnect on their own, credentials come from the
        // container credentials endpoint (see AwsClients).
    }
}
