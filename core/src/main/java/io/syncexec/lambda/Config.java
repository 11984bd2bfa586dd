package io.syncexec.lambda;

import java.time.Duration;
import java.util.Map;

/**
 * Resource names and settings from the function's environment, set in template.yaml by
 * {@code !Ref}/{@code !GetAtt}. Read once; a variable a function needs but does not have is a
 * deployment error named in the message.
 */
public record Config(Map<String, String> environment) {

    public Config {
        environment = Map.copyOf(environment);
    }

    /** A variable, or null when it is not set. */
    public String get(String name) {
        return environment.get(name);
    }

    public String clientsTable() {
        return require("CLIENTS_TABLE");
    }

    public String syncsTable() {
        return require("SYNCS_TABLE");
    }

    public String ledgerTable() {
        return require("LEDGER_TABLE");
    }

    public String executionsTable() {
        return require("EXECUTIONS_TABLE");
    }

    public String stateMachineArn() {
        return require("STATE_MACHINE_ARN");
    }

    public Duration confirmationTimeout() {
        return Duration.ofSeconds(Long.parseLong(require("CONFIRMATION_TIMEOUT_SECONDS")));
    }

    public String importQueueUrl() {
        return require("IMPORT_QUEUE_URL");
    }

    public String startQueueUrl() {
        return require("START_QUEUE_URL");
    }

    public String demoDestinationTable() {
        return require("DEMO_DESTINATION_TABLE");
    }

    /**
     * Whether the demo connector's fault settings may be stored (ALLOW_DEMO_FAULTS, from the stack's
     * AllowDemoFaults parameter, "false" by default): "true" or "false", anything else fails at start.
     */
    public boolean allowDemoFaults() {
        String value = require("ALLOW_DEMO_FAULTS");
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalStateException("Environment variable ALLOW_DEMO_FAULTS must be true or false, not " + value + ".");
        }
        return value.equals("true");
    }

    public Duration lease() {
        return Duration.ofSeconds(Long.parseLong(require("LEASE_SECONDS")));
    }

    public int maxReceiveCount() {
        return Integer.parseInt(require("MAX_RECEIVE_COUNT"));
    }

    public Duration retryDelay() {
        return Duration.ofSeconds(Long.parseLong(require("RETRY_DELAY_SECONDS")));
    }

    /** The most one date's import may take (CONNECTOR_TIMEOUT_SECONDS; below the import worker's function timeout). */
    public Duration connectorTimeout() {
        return Duration.ofSeconds(Long.parseLong(require("CONNECTOR_TIMEOUT_SECONDS")));
    }

    private String require(String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + name + " is not set; see template.yaml.");
        }
        return value;
    }
}
