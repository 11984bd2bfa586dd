package io.syncexec.local.server;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The local mode's identity provider and JWT authorizer in one: an RSA key made at start signs RS256
 * tokens, and {@link #verify} accepts a token only as API Gateway's JWT authorizer would accept it for
 * issuer {@link #issuer()} and audience {@link #audience()}: a JWS with a known {@code kid} and an RSA
 * signature by our key, {@code iss} equal to the issuer, {@code aud} containing the audience,
 * {@code exp} present and in the future, {@code nbf} and {@code iat} (when present) not in the future.
 */
public final class LocalIssuer {

    public static final String AUDIENCE = "sync-executions-local";
    public static final Duration LIFETIME = Duration.ofHours(12);
    public static final String ADMIN_GROUP = "sync-admins";

    private final RSAKey key;
    private final RSASSAVerifier verifier;
    private final String issuer;
    private final Clock clock;

    public LocalIssuer(String issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
        try {
            this.key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            this.verifier = new RSASSAVerifier(key.toRSAPublicKey());
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not make the local signing key", e);
        }
    }

    /** {@code http://127.0.0.1:<port>/local-issuer}. */
    public static String issuerFor(int port) {
        return "http://127.0.0.1:" + port + "/local-issuer";
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return AUDIENCE;
    }

    /** The issuer's clock (the tokens' {@code iat} and {@code exp}, the sign-in codes' expiry). */
    public Instant now() {
        return clock.instant();
    }

    /** The public key as a JWK Set (what {@code jwks_uri} answers): API Gateway and the page's library read it. */
    public String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** An operator with every client and the admin routes (group {@value #ADMIN_GROUP}). */
    public String adminToken(String subject) {
        return sign(subject, Map.of("cognito:groups", List.of(ADMIN_GROUP)), LIFETIME);
    }

    /** An operator who may see these clients only (claim {@code clients}, space-separated). */
    public String clientToken(String subject, Collection<String> clientIds) {
        return sign(subject, Map.of("clients", String.join(" ", clientIds)), LIFETIME);
    }

    /** A token signed by our key with these extra claims; a negative {@code lifetime} makes an expired one (for tests). */
    public String sign(String subject, Map<String, Object> claims, Duration lifetime) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(Date.from(now.minus(lifetime.isNegative() ? LIFETIME : Duration.ZERO)))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString());
        claims.forEach(builder::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                builder.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("Could not sign a local token", e);
        }
        return jwt.serialize();
    }

    /**
     * The token's claims as its payload has them (JSON types kept), or empty when API Gateway's JWT
     * authorizer would answer 401.
     *
     * @param authorization the {@code Authorization} header: {@code Bearer <jwt>} (API Gateway also
     *                      accepts the bare token)
     */
    public Optional<Map<String, Object>> verify(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        String token = authorization.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSHeader header = jwt.getHeader();
            if (!JWSAlgorithm.RS256.equals(header.getAlgorithm()) || !key.getKeyID().equals(header.getKeyID())
                    || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            if (!issuer.equals(claims.getIssuer())
                    || claims.getAudience() == null || !claims.getAudience().contains(AUDIENCE)
                    || claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(now)
                    || claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now)
                    || claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now)) {
                return Optional.empty();
            }
            return Optional.of(jwt.getPayload().toJSONObject());
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
