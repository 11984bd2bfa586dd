package io.syncexec.sync;

import io.syncexec.connector.ConnectorSecrets;
import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An admin's saves of client and sync definitions: each reads the stored definition, refuses an edit
 * of an older version ({@code 409 VERSION_CONFLICT}, naming who saved last and when), writes the new
 * version with one conditional write (so of two admins saving the same version, exactly one wins) and
 * records what changed in the {@link ChangeLog}. A save that changes nothing writes nothing. Every
 * check that can refuse runs before the first write.
 */
public final class Definitions {
    /** How often a save without a version tries again when someone else saved between its read and its write. */
    private static final int ATTEMPTS = 3;

    private final ClientRepository clients;
    private final SyncRepository syncs;
    private final ChangeLog log;
    private final Supplier<Instant> clock;

    /** @param clock now, as the caller's clock says */
    public Definitions(ClientRepository clients, SyncRepository syncs, ChangeLog log, Supplier<Instant> clock) {
        this.clients = clients;
        this.syncs = syncs;
        this.log = log;
        this.clock = clock;
    }

    /** How many dates the next default run of a definition would import (its plan, computed now). */
    public interface Backfill {
        int nextDefaultRunDates(Sync definition);
    }

    /** What a save did: the definition as stored now, whether it created it, and the change it recorded (null: none). */
    public record Saved<T>(T saved, boolean created, Change change) {
    }

    public Saved<Client> saveClient(String clientId, String name, Long expected, String by) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.get();
            Client current = clients.get(clientId).orElse(null);
            long version = current == null ? 0 : current.revision().version();
            checkVersion("client", clientId, expected, version, current == null ? null : current.revision());
            Map<String, Object> before = current == null ? Map.of() : Map.of("name", current.name());
            List<FieldChange> fields = ChangedFields.between(before, Map.of("name", name));
            if (current != null && fields.isEmpty()) {
                return new Saved<>(current, false, null);
            }
            Client next = new Client(clientId, name, new Revision(version + 1, by, now));
            if (clients.put(next, version, current != null)) {
                Change change = new Change(version + 1, now, by, fields, null);
                log.record(ChangeLog.ofClient(clientId), change);
                return new Saved<>(next, current == null, change);
            }
            refuseIfPinned("client", clientId, expected, () -> clients.get(clientId).map(Client::revision));
        }
        throw busy("client", clientId);
    }

    /**
     * Saves {@code submitted} (as {@link SyncDefinitionParser#parseEdit} read it): secrets it leaves out
     * are kept, its pause gets its author (or keeps the one it had), and a first date moved earlier is
     * noted with the number of dates the next default run will import.
     */
    public Saved<Sync> saveSync(Sync submitted, Long expected, String by, Backfill backfill) {
        String clientId = submitted.clientId();
        String syncId = submitted.syncId();
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.get();
            Sync current = syncs.get(clientId, syncId).orElse(null);
            long version = current == null ? 0 : current.revision().version();
            checkVersion("sync", syncId, expected, version, current == null ? null : current.revision());
            Map<String, Object> storedConfig = current != null && current.connectorType().equals(submitted.connectorType())
                    ? current.connectorConfig() : Map.of();
            SyncPause pause = submitted.paused();
            if (pause != null) {
                pause = current != null && current.paused() != null && current.paused().reason().equals(pause.reason())
                        ? current.paused() : new SyncPause(pause.reason(), by, now);
            }
            Sync next = submitted.administered(ConnectorSecrets.merge(storedConfig, submitted.connectorConfig()), pause,
                    new Revision(version + 1, by, now));
            List<FieldChange> fields = ChangedFields.between(ChangedFields.of(current), ChangedFields.of(next));
            if (current != null && fields.isEmpty()) {
                return new Saved<>(current, false, null);
            }
            boolean earlier = current != null && next.firstDate().isBefore(current.firstDate());
            String note = earlier ? "firstDate moved earlier, from " + current.firstDate() + " to " + next.firstDate()
                    + ": the next default run will import " + backfill.nextDefaultRunDates(next) + " dates." : null;
            if (syncs.putDefinition(next, now, version, current != null, earlier)) {
                Change change = new Change(version + 1, now, by, fields, note);
                log.record(ChangeLog.ofSync(clientId, syncId), change);
                return new Saved<>(syncs.get(clientId, syncId).orElse(next), current == null, change);
            }
            refuseIfPinned("sync", syncId, expected, () -> syncs.get(clientId, syncId).map(Sync::revision));
        }
        throw busy("sync", syncId);
    }

    private static void checkVersion(String what, String id, Long expected, long version, Revision revision) {
        if (expected != null && expected != version) {
            throw conflict(what, id, expected, revision == null ? Revision.NONE : revision);
        }
    }

    /** After a lost race: an edit of a stated version is refused with the winner's revision; one without a version tries again. */
    private static void refuseIfPinned(String what, String id, Long expected, Supplier<Optional<Revision>> now) {
        if (expected != null) {
            throw conflict(what, id, expected, now.get().orElse(Revision.NONE));
        }
    }

    private static Refusal conflict(String what, String id, long yours, Revision current) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", "version");
        details.put("yourVersion", yours);
        details.put("currentVersion", current.version());
        details.put("changedBy", current.by());
        details.put("changedAt", current.at());
        details.values().removeIf(java.util.Objects::isNull);
        String message = current.version() == 0 && yours > 0
                ? "The " + what + " " + id + " has no version " + yours + ": it does not exist (any more). Reload it before saving."
                : yours == 0 && current.version() > 0 && current.by() == null
                ? "The " + what + " " + id + " exists already."
                : "The " + what + " " + id + " was changed" + (current.by() == null ? "" : " by " + current.by())
                + (current.at() == null ? "" : " at " + current.at()) + " (version " + current.version() + "); you edited version "
                + yours + ". Review their change, then apply yours again.";
        return new Refusal(Reason.VERSION_CONFLICT, message, details);
    }

    private static Refusal busy(String what, String id) {
        return new Refusal(Reason.VERSION_CONFLICT, "The " + what + " " + id
                + " is being changed by someone else right now; reload it and try again.", Map.of("field", "version"));
    }
}
