package io.syncexec.lambda;

import java.time.Clock;

/**
 * Builds one adapter to an AWS service from the function's configuration and clock, e.g.
 * {@code DynamoDbStores::new}. A function's module names the adapters its jar carries.
 */
@FunctionalInterface
public interface Adapter<T> {
    T build(Config config, Clock clock);
}
