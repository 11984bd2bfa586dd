package io.syncexec.local;

import java.util.List;

/** Closes components in order, every one even when an earlier one fails, then throws the first failure. */
final class Closing {
    private Closing() {
    }

    static void all(List<? extends AutoCloseable> components) {
        RuntimeException failure = null;
        for (AutoCloseable component : components) {
            try {
                if (component != null) {
                    component.close();
                }
            } catch (Exception e) {
                failure = failure == null ? new IllegalStateException("Could not stop every component", e) : failure;
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
