package io.syncexec.connector;

import java.util.Map;

/**
 * What a connector knows of a sync: whose data it is, which connector imports it and that
 * connector's config. Built from the sync, so that connectors know nothing else of it.
 */
public record SyncConnection(String clientId, String syncId, String connectorType, Map<String, Object> connectorConfig) {

    public SyncConnection {
        connectorConfig = connectorConfig == null ? Map.of() : connectorConfig;
    }
}
