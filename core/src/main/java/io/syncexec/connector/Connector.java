package io.syncexec.connector;

/**
 * Imports one date of one sync into the client's tool (SPEC §5). Implementations are stateless
 * and thread-safe: everything about the sync comes with the {@link ImportContext}.
 */
public interface Connector {

    /** Imports all data of one date into the client's tool; returns how many records were written. */
    long importDate(ImportContext context) throws ConnectorException;
}
