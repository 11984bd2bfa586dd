package io.syncexec.connector;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The write-only part of a connector's config: every key whose name ends with {@code token},
 * {@code secret}, {@code password} or {@code apikey} (any case), e.g. the http connector's
 * {@code sourceToken}. The API shows them as "set" or "not set", never their values. An edit that
 * leaves a secret out keeps the stored one (the page cannot send back what it never read); an
 * empty string clears it.
 */
public final class ConnectorSecrets {
    public static final String SET = "set";
    public static final String NOT_SET = "not set";
    /** How a change log writes a secret that got a new value: its value is never recorded. */
    public static final String CHANGED = "changed";

    private ConnectorSecrets() {
    }

    public static boolean isSecret(String key) {
        String name = key.toLowerCase(Locale.ROOT);
        return name.endsWith("token") || name.endsWith("secret") || name.endsWith("password") || name.endsWith("apikey");
    }

    /**
     * The config to store: {@code submitted}, with each secret it leaves out taken from {@code stored}
     * (the stored config of the same connector type; empty otherwise) and each secret submitted as
     * {@code ""} removed.
     */
    public static Map<String, Object> merge(Map<String, Object> stored, Map<String, Object> submitted) {
        Map<String, Object> merged = new LinkedHashMap<>(submitted);
        stored.forEach((key, value) -> {
            if (isSecret(key) && !submitted.containsKey(key)) {
                merged.put(key, value);
            }
        });
        merged.entrySet().removeIf(entry -> isSecret(entry.getKey()) && "".equals(entry.getValue()));
        return merged;
    }

    /** The config without its secrets: what an admin may read back. */
    public static Map<String, Object> readable(Map<String, Object> config) {
        Map<String, Object> readable = new LinkedHashMap<>();
        config.forEach((key, value) -> {
            if (!isSecret(key)) {
                readable.put(key, value);
            }
        });
        return readable;
    }

    /** Each stored secret's name with "set" (a secret that is not stored is simply absent). */
    public static Map<String, String> status(Map<String, Object> config) {
        Map<String, String> status = new TreeMap<>();
        config.keySet().stream().filter(ConnectorSecrets::isSecret).forEach(key -> status.put(key, SET));
        return status;
    }
}
