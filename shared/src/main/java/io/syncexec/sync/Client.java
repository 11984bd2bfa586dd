package io.syncexec.sync;

/** A client of the platform, as the consumer page lists it. */
public record Client(String clientId, String name) {
}
