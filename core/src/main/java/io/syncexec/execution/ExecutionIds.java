package io.syncexec.execution;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/** UUIDv7 execution ids: time-ordered, so sorting by id sorts by creation. */
public final class ExecutionIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ExecutionIds() {
    }

    public static String next(Instant now) {
        long millis = now.toEpochMilli();
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** The id of the scheduled run of {@code syncKey} for the tick at {@code tick}: the same tick gives the same id. */
    public static String forTick(String syncKey, Instant tick) {
        byte[] hash;
        try {
            hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((syncKey + "|" + tick.toEpochMilli()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        java.nio.ByteBuffer bits = java.nio.ByteBuffer.wrap(hash);
        long high = (tick.toEpochMilli() << 16) | 0x7000L | (bits.getShort() & 0x0FFFL);
        long low = (bits.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    /** Whether {@code text} looks like an id this class made (checked before any lookup). */
    public static boolean valid(String text) {
        return text != null && text.matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }
}
