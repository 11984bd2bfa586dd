package io.syncexec.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The digest of a plan: the same plan gives the same digest; any change to what would run (a
 * date added or removed, a date imported once more in between) gives another. It covers the sync,
 * the mode, whether it is forced, and every planned date with its import count at plan time.
 */
final class PlanDigest {
    private PlanDigest() {
    }

    static String of(String clientId, String syncId, ExecutionRequest request, List<LocalDate> dates,
                     Map<LocalDate, Integer> importCounts) {
        StringBuilder canonical = new StringBuilder(32 + dates.size() * 14)
                .append("v1|").append(clientId).append('|').append(syncId).append('|')
                .append(request.mode()).append('|').append(request.forced() ? "forced" : "missing-only");
        for (LocalDate date : dates) {
            canonical.append('|').append(date).append(':').append(importCounts.getOrDefault(date, 0));
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
