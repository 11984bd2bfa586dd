package io.syncexec.aws;

import java.time.Duration;
import java.util.Map;

/**
 * Resource names and settings from the function's environment, set in template.yaml by
 * {@code !Ref}/{@code !GetAtt}. Read once; a variable a function needs but does not have is a
 * deployment error named in the message.
 */
public record Config(Map<String, String> environment) {

    public static Config fromEnvironment() {
        return new Config(System.getenv());
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

    public Duration executionLock() {
        return Duration.ofSeconds(Long.parseLong(require("EXECUTION_LOCK_SECONDS")));
    }

    private String require(String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("Environment variable " + name + " is not set; see template.yaml.");
        }
        return value;
    }
}
