package io.syncexec.sync;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Clients: who they are and which syncs operators of theirs may run. Versioned saves answer whether they wrote. */
public interface ClientRepository {
    Optional<Client> get(String clientId);

    void put(Client client);

    /**
     * An admin's save: writes {@code client} (its revision the new version) only if the stored version is
     * still {@code expectedVersion} (0: never changed through the API), or, when {@code exists} is false,
     * only if no such client exists. One conditional write.
     *
     * @return false when someone saved meanwhile: nothing was written
     */
    boolean put(Client client, long expectedVersion, boolean exists);

    /** Every client, by id. For admins; the table holds one small item per client. */
    List<Client> all();

    /** The clients among {@code ids} that exist, by id. */
    List<Client> withIds(Collection<String> ids);
}
