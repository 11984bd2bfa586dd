package io.syncexec.dynamodb;

import io.syncexec.sync.Client;
import io.syncexec.sync.ClientRepository;
import io.syncexec.sync.Revision;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.syncexec.dynamodb.Attributes.epochSeconds;
import static io.syncexec.dynamodb.Attributes.n;
import static io.syncexec.dynamodb.Attributes.number;
import static io.syncexec.dynamodb.Attributes.s;
import static io.syncexec.dynamodb.Attributes.string;

/** Client records (id, name, version) in the clients table. */
public final class DynamoDbClientRepository implements ClientRepository {
    private static final int BATCH_GET_LIMIT = 100;

    private final DynamoDbClient dynamo;
    private final String table;
    private final ConditionalWrite writes;

    public DynamoDbClientRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.writes = new ConditionalWrite(dynamo, table);
    }

    @Override
    public Optional<Client> get(String clientId) {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(key(clientId))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(client(item));
    }

    @Override
    public void put(Client client) {
        dynamo.putItem(r -> r.tableName(table).item(Map.of("clientId", s(client.clientId()), "name", s(client.name()))));
    }

    @Override
    public boolean put(Client client, long expectedVersion, boolean exists) {
        Map<String, AttributeValue> item = Map.of("clientId", s(client.clientId()), "name", s(client.name()),
                "version", n(client.revision().version()), "updatedBy", s(client.revision().by()),
                "updatedAt", n(client.revision().at().getEpochSecond()));
        String condition = !exists ? "attribute_not_exists(#clientId)"
                : expectedVersion == 0 ? "attribute_exists(#clientId) AND attribute_not_exists(#version)" : "#version = :expected";
        return writes.put(item).when(condition)
                .values(exists && expectedVersion > 0 ? Map.of(":expected", n(expectedVersion)) : Map.of())
                .run().written();
    }

    @Override
    public List<Client> all() {
        List<Client> clients = new ArrayList<>();
        dynamo.scanPaginator(ScanRequest.builder().tableName(table).build())
                .items().forEach(item -> clients.add(client(item)));
        clients.sort(Comparator.comparing(Client::clientId));
        return clients;
    }

    @Override
    public List<Client> withIds(Collection<String> ids) {
        List<Client> clients = new ArrayList<>();
        List<String> remaining = ids.stream().distinct().toList();
        for (int start = 0; start < remaining.size(); start += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> keys = remaining.subList(start, Math.min(remaining.size(), start + BATCH_GET_LIMIT))
                    .stream().map(DynamoDbClientRepository::key).toList();
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> next = request;
                BatchGetItemResponse response = dynamo.batchGetItem(r -> r.requestItems(next));
                response.responses().getOrDefault(table, List.of()).forEach(item -> clients.add(client(item)));
                request = new HashMap<>(response.unprocessedKeys());
            }
        }
        clients.sort(Comparator.comparing(Client::clientId));
        return clients;
    }

    private static Map<String, AttributeValue> key(String clientId) {
        return Map.of("clientId", s(clientId));
    }

    private static Client client(Map<String, AttributeValue> item) {
        return new Client(string(item, "clientId"), string(item, "name"),
                new Revision(number(item, "version", 0), string(item, "updatedBy"), epochSeconds(item, "updatedAt")));
    }
}
