package io.syncexec.observability;

import java.util.concurrent.Callable;

/**
 * The correlation id of the work in hand: the API request's id (or the schedule tick's), carried
 * through the state machine's input and the import messages, bound by each handler for the
 * invocation it serves. Every {@link Log} line written inside carries it. A scoped value, so
 * invocations that run side by side (the local mode's in-process functions) never see each
 * other's.
 */
public final class Correlation {
    private static final ScopedValue<String> ID = ScopedValue.newInstance();

    private Correlation() {
    }

    /** The id bound for the work in hand, or null. */
    public static String id() {
        return ID.isBound() ? ID.get() : null;
    }

    /** Runs {@code work} with {@code id} bound (a null id binds nothing). */
    public static <T> T call(String id, Callable<T> work) throws Exception {
        if (id == null || id.isBlank()) {
            return work.call();
        }
        return ScopedValue.where(ID, id).call(work::call);
    }

    /** {@code work}'s answer, computed with {@code id} bound (a null id binds nothing). */
    public static <T> T supply(String id, java.util.function.Supplier<T> work) {
        if (id == null || id.isBlank()) {
            return work.get();
        }
        return ScopedValue.where(ID, id).call(work::get);
    }

    public static void run(String id, Runnable work) {
        if (id == null || id.isBlank()) {
            work.run();
        } else {
            ScopedValue.where(ID, id).run(work);
        }
    }
}
