package io.syncexec.api;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling, from the JWT authorizer's claims: {@code sub}; claim {@code clients} (space- or
 * comma-separated client ids) for the clients they may see, or the Cognito user pool's custom
 * attribute {@code custom:clients} (the stack's own pool: its ID tokens carry it); group
 * {@code sync-admins} in {@code cognito:groups} for every client and the admin routes.
 */
public record Caller(String subject, Set<String> clients, boolean admin) {
    public static final String ADMIN_GROUP = "sync-admins";
    /** The user pool's custom attribute of the client ids a person may see (template.yaml, UserPool). */
    public static final String COGNITO_CLIENTS = "custom:clients";

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
        Set<String> clients = new HashSet<>(split(claims.get("clients")));
        clients.addAll(split(claims.get(COGNITO_CLIENTS)));
        return new Caller(subject, Set.copyOf(clients), groups.contains(ADMIN_GROUP));
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
