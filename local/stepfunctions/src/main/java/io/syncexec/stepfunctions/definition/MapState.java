package io.syncexec.stepfunctions.definition;

/**
 * An inline Map state. {@code itemsPath} is null when absent (the items are the effective input);
 * {@code itemSelector} is the ItemSelector or the legacy Parameters, null when neither is given;
 * {@code maxConcurrencyPath}, when set, replaces {@code maxConcurrency} (0: no limit).
 */
public record MapState(String name, IoPaths io, String next, ResultHandling result, String itemsPath,
                       Template itemSelector, int maxConcurrency, String maxConcurrencyPath, StatesBlock processor)
        implements RetryableState {
}
