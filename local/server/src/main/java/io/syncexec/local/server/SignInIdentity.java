package io.syncexec.local.server;

import java.util.List;
import java.util.Map;

/**
 * Who one can be in the local mode's sign-in: the admin (group {@value LocalIssuer#ADMIN_GROUP}) or a
 * client's operator (claim {@code clients}), as the identity provider on AWS would say it.
 *
 * @param hint    what {@code login_hint} names it by: {@code admin} or the client id
 * @param subject the tokens' {@code sub}
 * @param label   what the chooser shows
 * @param claims  the claims that say what it may see
 */
record SignInIdentity(String hint, String subject, String label, Map<String, Object> claims) {
    static final String ADMIN = "admin";

    static SignInIdentity admin() {
        return new SignInIdentity(ADMIN, "local-admin", "Admin (every client, sync settings)",
                Map.of("cognito:groups", List.of(LocalIssuer.ADMIN_GROUP)));
    }

    static SignInIdentity operatorOf(String clientId) {
        return operatorOf(clientId, clientId);
    }

    /** The operator of one client, shown by the client's name. */
    static SignInIdentity operatorOf(String clientId, String clientName) {
        String label = clientName.equals(clientId) ? "Operator of " + clientId : "Operator of " + clientName + " (" + clientId + ")";
        return new SignInIdentity(clientId, "operator-" + clientId, label, Map.of("clients", clientId));
    }
}
