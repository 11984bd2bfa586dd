package io.syncexec.sync;

import io.syncexec.connector.ConnectorSecrets;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the audit trail records of an edit, and how a connector's secrets are kept, replaced and cleared. */
class ChangedFieldsTest {
    private static Sync sync(String name, Map<String, Object> config, SyncPause pause) {
        return new Sync("acme", "orders", name, ZoneId.of("Europe/Paris"), LocalDate.of(2026, 11, 1), true, 31, false, "http",
                config, null, null, null, null, 0, null, null, pause, Revision.NONE);
    }

    @Test
    void onlyTheFieldsThatChangeAreRecordedAndSecretsNeverWithTheirValue() {
        Sync before = sync("Orders", Map.of("sourceUrl", "https://a.example/{date}", "sourceToken", "old-s3cret", "timeoutSeconds", 5), null);
        Sync after = sync("Orders", Map.of("sourceUrl", "https://b.example/{date}", "sourceToken", "new-s3cret", "timeoutSeconds", 5L),
                new SyncPause("Migration", "admin-1", null));
        List<FieldChange> changes = ChangedFields.between(ChangedFields.of(before), ChangedFields.of(after));
        assertEquals(List.of(
                new FieldChange("connector.config.sourceToken", "set", "changed"),
                new FieldChange("connector.config.sourceUrl", "https://a.example/{date}", "https://b.example/{date}"),
                new FieldChange("paused.reason", null, "Migration")), changes, "5 and 5L are the same number; config keys in order");
        assertEquals(List.of(new FieldChange("connector.config.sourceToken", "set", "not set")),
                ChangedFields.between(Map.of("connector.config.sourceToken", "x"), Map.of()));
    }

    @Test
    void aSecretLeftOutIsKeptAnEmptyOneIsClearedAndNoneIsReadable() {
        Map<String, Object> stored = Map.of("sourceUrl", "https://a.example/", "sourceToken", "s1", "destinationToken", "d1");
        Map<String, Object> merged = ConnectorSecrets.merge(stored, Map.of("sourceUrl", "https://b.example/", "destinationToken", ""));
        assertEquals(Map.of("sourceUrl", "https://b.example/", "sourceToken", "s1"), merged);
        assertEquals(Map.of("sourceUrl", "https://b.example/"), ConnectorSecrets.readable(merged));
        assertEquals(Map.of("sourceToken", "set"), ConnectorSecrets.status(merged));
    }
}
