package io.syncexec.lambda;

import java.util.function.Supplier;

/** A value built on the first {@code get()}, once, whatever the thread: for what some invocations never need. */
public final class OnFirstUse<T> implements Supplier<T> {
    private final Supplier<? extends T> build;
    private T value;

    private OnFirstUse(Supplier<? extends T> build) {
        this.build = build;
    }

    public static <T> Supplier<T> of(Supplier<? extends T> build) {
        return new OnFirstUse<>(build);
    }

    @Override
    public synchronized T get() {
        if (value == null) {
            value = build.get();
        }
        return value;
    }
}
