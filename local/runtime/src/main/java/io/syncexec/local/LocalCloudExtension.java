package io.syncexec.local;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.UnaryOperator;

/**
 * Starts a {@link LocalCloud} before a test class's tests and closes it after them:
 *
 * <pre>
 * class WorkflowIT {
 *     &#64;RegisterExtension
 *     static final LocalCloudExtension CLOUD = new LocalCloudExtension(options -&gt; options.withEnvironment("RETRY_DELAY_SECONDS", "0"));
 *
 *     &#64;Test
 *     void runs() { ... CLOUD.cloud().api(event) ... }
 * }
 * </pre>
 *
 * A class that needs other options per test starts its own clouds with {@link LocalCloud#start(LocalCloudOptions)}.
 */
public final class LocalCloudExtension implements BeforeAllCallback, AfterAllCallback {
    private final UnaryOperator<LocalCloudOptions> options;
    private LocalCloud cloud;

    /** With {@link LocalCloudOptions#defaults()}. */
    public LocalCloudExtension() {
        this(UnaryOperator.identity());
    }

    /** With the defaults changed by {@code options}. */
    public LocalCloudExtension(UnaryOperator<LocalCloudOptions> options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cloud = LocalCloud.start(options.apply(LocalCloudOptions.defaults()));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (cloud != null) {
            cloud.close();
            cloud = null;
        }
    }

    /** The running cloud (between the class's first and last test). */
    public LocalCloud cloud() {
        if (cloud == null) {
            throw new IllegalStateException("The local cloud runs only while the test class does");
        }
        return cloud;
    }
}
