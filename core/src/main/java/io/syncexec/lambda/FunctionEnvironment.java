package io.syncexec.lambda;

import io.syncexec.connector.ConnectorUrls;

import java.time.Clock;
import java.util.Map;

/**
 * What a function is given when its execution environment starts: its environment variables (as
 * template.yaml sets them), the clock it reads the time from, and where its connectors may send
 * requests. On Lambda that is {@link #onLambda}: the process's variables, the system clock and
 * strict connector URLs. The local runtime builds its own (a clock started at a chosen instant,
 * connectors allowed to reach servers on the same machine), so production code has no setting
 * that turns a guard off.
 */
public record FunctionEnvironment(Map<String, String> variables, Clock clock, ConnectorUrls connectorUrls) {

    public FunctionEnvironment {
        variables = Map.copyOf(variables);
    }

    /** As Lambda runs the function: {@code variables} are the process's environment. */
    public static FunctionEnvironment onLambda(Map<String, String> variables) {
        return new FunctionEnvironment(variables, Clock.systemUTC(), ConnectorUrls.STRICT);
    }
}
