package io.syncexec.api;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who calls, from the claims API Gateway's JWT authorizer hands over (payload 2.0 renders arrays as "[a b]"). */
class CallerTest {

    @Test
    void aCognitoIdTokensCustomClientsAttributeGrantsItsClients() {
        Caller caller = Caller.fromClaims(Map.of("sub", "4f1c-person", "custom:clients", "acme globex", "aud", "pageclient"));
        assertEquals(Set.of("acme", "globex"), caller.clients());
        assertTrue(caller.maySee("globex"));
        assertFalse(caller.maySee("initech"));
        assertFalse(caller.admin());
    }

    @Test
    void theSyncAdminsGroupOfACognitoTokenMakesAnAdmin() {
        Caller caller = Caller.fromClaims(Map.of("sub", "admin-person", "cognito:groups", "[sync-admins other]"));
        assertTrue(caller.admin());
        assertTrue(caller.maySee("any-client"));
    }

    @Test
    void theClientsClaimOfAnotherProviderStillGrantsItsClients() {
        Caller caller = Caller.fromClaims(Map.of("sub", "op", "clients", "acme,globex"));
        assertEquals(Set.of("acme", "globex"), caller.clients());
        assertFalse(caller.admin());
    }

    @Test
    void noSubjectIsNoCaller() {
        assertNull(Caller.fromClaims(Map.of("custom:clients", "acme")));
        assertNull(Caller.fromClaims(null));
    }
}
