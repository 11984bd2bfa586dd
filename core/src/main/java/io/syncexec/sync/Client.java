package io.syncexec.sync;

/** A client of the platform, as the consumer page lists it, and the version of its record. */
public record Client(String clientId, String name, Revision revision) {
    public Client {
        revision = revision == null ? Revision.NONE : revision;
    }

    public Client(String clientId, String name) {
        this(clientId, name, Revision.NONE);
    }
}
