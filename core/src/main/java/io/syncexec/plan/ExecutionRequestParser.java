package io.syncexec.plan;

import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import io.syncexec.json.StrictObject;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/** Reads the body of {@code POST …/executions} (SPEC §4) strictly. */
public final class ExecutionRequestParser {
    private static final Set<String> FIELDS = Set.of("mode", "date", "from", "to", "reimport", "dryRun", "planDigest");
    private static final int MAX_DIGEST_LENGTH = 128;

    private ExecutionRequestParser() {
    }

    public static ExecutionRequest parse(String body) {
        StrictObject json = StrictObject.parse(body, FIELDS);
        Mode mode = mode(json);
        boolean dryRun = Boolean.TRUE.equals(json.bool("dryRun"));
        String planDigest = json.string("planDigest");
        if (planDigest != null && (planDigest.isEmpty() || planDigest.length() > MAX_DIGEST_LENGTH)) {
            throw json.invalid("planDigest", "must be the digest of a previewed plan.");
        }
        return switch (mode) {
            case DEFAULT -> {
                refuse(json, mode, "date", "from", "to", "reimport");
                yield new ExecutionRequest(mode, null, null, null, false, dryRun, planDigest);
            }
            case SINGLE_DATE -> {
                refuse(json, mode, "from", "to", "reimport");
                yield new ExecutionRequest(mode, json.requiredDate("date"), null, null, true, dryRun, planDigest);
            }
            case DATE_RANGE -> {
                refuse(json, mode, "date");
                LocalDate from = json.requiredDate("from");
                LocalDate to = json.requiredDate("to");
                if (from.isAfter(to)) {
                    throw new Refusal(Reason.INVALID_RANGE,
                            "The range starts (" + from + ") after it ends (" + to + ").",
                            Map.of("from", from.toString(), "to", to.toString()));
                }
                boolean reimport = Boolean.TRUE.equals(json.bool("reimport"));
                yield new ExecutionRequest(mode, null, from, to, reimport, dryRun, planDigest);
            }
        };
    }

    private static Mode mode(StrictObject json) {
        if (!json.has("mode")) {
            throw new Refusal(Reason.INVALID_MODE, "mode is required: one of " + modes() + ".");
        }
        String text = json.string("mode");
        try {
            return Mode.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new Refusal(Reason.INVALID_MODE, "mode must be one of " + modes() + ".",
                    Map.of("allowed", modes()));
        }
    }

    private static void refuse(StrictObject json, Mode mode, String... fields) {
        for (String field : fields) {
            if (json.has(field)) {
                throw json.invalid(field, "does not apply to mode " + mode + ".");
            }
        }
    }

    private static String modes() {
        return String.join(", ", Arrays.stream(Mode.values()).map(Enum::name).toList());
    }
}
