package io.syncexec.sync;

import java.time.Instant;
import java.util.List;

/**
 * One change of a client or a sync definition, as the audit trail keeps it: the version it made, when,
 * who (the caller's subject), the fields it set, and a note for what the change will do beyond itself
 * (a first date moved earlier: how many dates the next default run will import).
 */
public record Change(long version, Instant at, String by, List<FieldChange> fields, String note) {
    public Change {
        fields = List.copyOf(fields);
    }
}
