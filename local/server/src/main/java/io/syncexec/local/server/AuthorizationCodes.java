package io.syncexec.local.server;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The local provider's authorization codes: random, single-use (a code is gone after its first
 * redemption, whatever its outcome) and short-lived ({@link #LIFETIME} on the issuer's clock).
 */
final class AuthorizationCodes {
    static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the code was given for: the token request must match it. */
    record Grant(String clientId, String redirectUri, String codeChallenge, String nonce, SignInIdentity identity, Instant expiresAt) {
    }

    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final Supplier<Instant> now;

    AuthorizationCodes(Supplier<Instant> now) {
        this.now = now;
    }

    /** A new code for {@code grant} (its expiry is set here). */
    String issue(String clientId, String redirectUri, String codeChallenge, String nonce, SignInIdentity identity) {
        Instant at = now.get();
        grants.values().removeIf(g -> !g.expiresAt().isAfter(at));
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        grants.put(code, new Grant(clientId, redirectUri, codeChallenge, nonce, identity, at.plus(LIFETIME)));
        return code;
    }

    /** The code's grant, once: the code is removed; empty when unknown, spent or expired. */
    Optional<Grant> redeem(String code) {
        if (code == null) {
            return Optional.empty();
        }
        Grant grant = grants.remove(code);
        return grant != null && grant.expiresAt().isAfter(now.get()) ? Optional.of(grant) : Optional.empty();
    }
}
