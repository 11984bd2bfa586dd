package io.syncexec.lambda;

import io.syncexec.connector.DemoDestination;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.sync.ChangeLog;
import io.syncexec.sync.ClientRepository;
import io.syncexec.sync.SourceGate;
import io.syncexec.sync.SyncRepository;

/** The tables a function reads and writes: DynamoDB on AWS ({@code DynamoDbStores} in adapters/dynamodb). */
public interface Stores {
    ClientRepository clients();

    SyncRepository syncs();

    LedgerRepository ledger();

    ExecutionRepository executions();

    /** The audit trail of admins' saves. */
    ChangeLog changes();

    SourceGate sourceGate();

    /** Where the demo connector writes; null when the stack has no such table. */
    DemoDestination demoDestination();
}
