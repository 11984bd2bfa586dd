package io.syncexec.standins;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the {@link StandIns} once per test run and injects them into constructors, lifecycle methods
 * and test methods that take a {@code StandIns} parameter:
 *
 * <pre>
 * &#64;ExtendWith(StandInsExtension.class)
 * class LedgerRepositoryIT {
 *     &#64;Test
 *     void claims(StandIns aws) { ... aws.dynamo() ... aws.table("LedgerTable") ... }
 * }
 * </pre>
 *
 * The instance lives in the root context's store, which closes it (it is {@link AutoCloseable}) when
 * the whole run ends, not after each class.
 */
public final class StandInsExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StandInsExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        standIns(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == StandIns.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return standIns(context);
    }

    private static StandIns standIns(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(StandIns.class, key -> StandIns.get(), StandIns.class);
    }
}
