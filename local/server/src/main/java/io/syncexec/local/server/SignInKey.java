package io.syncexec.local.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may sign a browser in to the local mode: the person who started {@code ./run-local}. A
 * random key is made at start and printed in the sign-in link (a key, not a token: it signs in
 * nobody by itself and is worth nothing once used). Its first use opens a sign-in session in that
 * browser (an HttpOnly, SameSite=Strict cookie), inside which the local OpenID Connect provider
 * gives codes, so its person can sign in and switch identity later; the key is refused after that first use, and a sign-in
 * without the key or the session is refused. Another user of the machine has neither.
 */
final class SignInKey {
    static final String COOKIE = "local-sign-in";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String key = random();
    private final Set<String> unused = ConcurrentHashMap.newKeySet();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    SignInKey() {
        unused.add(key);
    }

    /** The key of the printed link. */
    String key() {
        return key;
    }

    /** Another one-time key, for a second browser of the same person (the browser tests' fresh profiles). */
    String anotherKey() {
        String another = random();
        unused.add(another);
        return another;
    }

    /** Whether {@code candidate} is a key, unused until now; true at most once per key. */
    boolean redeem(String candidate) {
        if (candidate == null) {
            return false;
        }
        for (String k : unused) {
            if (MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8), k.getBytes(StandardCharsets.UTF_8))) {
                return unused.remove(k);
            }
        }
        return false;
    }

    /** A new session for the browser that redeemed the key. */
    String openSession() {
        String session = random();
        sessions.add(session);
        return session;
    }

    /** Whether a {@code Cookie} header carries an open session. */
    boolean hasSession(String cookieHeader) {
        if (cookieHeader == null) {
            return false;
        }
        for (String part : cookieHeader.split(";")) {
            String cookie = part.strip();
            if (cookie.startsWith(COOKIE + "=")) {
                String value = cookie.substring(COOKIE.length() + 1);
                for (String session : sessions) {
                    if (MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), session.getBytes(StandardCharsets.UTF_8))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
