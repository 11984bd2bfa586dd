package io.syncexec.dynamodb;

import io.syncexec.aws.AwsClients;
import io.syncexec.connector.DemoDestination;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.lambda.Config;
import io.syncexec.lambda.Stores;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.sync.ChangeLog;
import io.syncexec.sync.ClientRepository;
import io.syncexec.sync.SourceGate;
import io.syncexec.sync.SyncRepository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;

/** The tables on DynamoDB, by the names in the function's environment ({@code CLIENTS_TABLE}, {@code SYNCS_TABLE}, …). */
public final class DynamoDbStores implements Stores {
    private final DynamoDbClient dynamo;
    private final Config config;
    private final Clock clock;

    /** With a client of its own, built from the function's environment ({@link AwsClients}). */
    public DynamoDbStores(Config config, Clock clock) {
        this(AwsClients.build(DynamoDbClient.builder(), "DYNAMODB", config), config, clock);
    }

    /** Each table is looked up when first asked for: a function's environment names only the tables it uses. */
    public DynamoDbStores(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public ClientRepository clients() {
        return new DynamoDbClientRepository(dynamo, config.clientsTable());
    }

    @Override
    public SyncRepository syncs() {
        return new DynamoDbSyncRepository(dynamo, config.syncsTable());
    }

    @Override
    public LedgerRepository ledger() {
        return new DynamoDbLedgerRepository(dynamo, config.ledgerTable(), clock);
    }

    @Override
    public ExecutionRepository executions() {
        return new DynamoDbExecutionRepository(dynamo, config.executionsTable(), clock);
    }

    @Override
    public ChangeLog changes() {
        return new DynamoDbChangeLog(dynamo, config.syncsTable());
    }

    @Override
    public SourceGate sourceGate() {
        return new DynamoDbSourceGate(dynamo, config.syncsTable());
    }

    @Override
    public DemoDestination demoDestination() {
        String table = config.demoDestinationTable();
        return table == null || table.isBlank() ? null : new DynamoDbDemoDestination(dynamo, table);
    }
}
