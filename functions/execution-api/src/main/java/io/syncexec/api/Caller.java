package io.syncexec.api;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling, from the JWT authorizer's claims: {@code sub}; claim {@code clients} (space- or
 * comma-separated client ids) for the clients they may see; group {@code sync-admins} in
 * {@code cognito:groups} for every client and the admin routes.
 */
public record Caller(String subject, Set<String> clients, boolean admin) {
    public static final String ADMIN_GROUP = "sync-admins";

    /** The caller, or null when the request carries no identity. */
    public static Caller fromClaims(Map<String, String> claims) {
        if (claims == null) {
            return null;
        }
        String subject = claims.get("sub");
        if (subject == null || subject.isBlank()) {
            return null;
        }
        // API Gateway renders an array claim as "[a b]" in payload 2.0.
        Set<String> groups = split(claims.get("cognito:groups"));
        return new Caller(subject, split(claims.get("clients")), groups.contains(ADMIN_GROUP));
    }

    public boolean maySee(String clientId) {
        return admin || clients.contains(clientId);
    }

    private static Set<String> split(String value) {
        if (value == null) {
            return Set.of();
        }
        return Arrays.stream(value.replace("[", " ").replace("]", " ").replace("\"", " ").split("[\\s,]+"))
                .filter(s -> !s.isBlank())
                .collect(Collectors.toUnmodifiableSet());
    }
}
