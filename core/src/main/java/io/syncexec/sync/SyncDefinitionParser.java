package io.syncexec.sync;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.syncexec.connector.ConnectorLimits;
import io.syncexec.connector.ConnectorUrls;
import io.syncexec.json.Json;
import io.syncexec.json.StrictObject;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the body of {@code PUT /clients/{clientId}/syncs/{syncId}} (SPEC §4) strictly. */
public final class SyncDefinitionParser {
    public static final Set<String> CONNECTOR_TYPES = Set.of("demo", "http");
    private static final Set<String> FIELDS = Set.of("syncId", "name", "timezone", "firstDate",
            "supportsPeriodExecution", "maxRangeDays", "schedule", "connector", "paused", "version");

    private SyncDefinitionParser() {
    }

    /** With the strict URL rules of AWS: http connectors only to https public hosts. */
    public static Sync parse(String clientId, String syncId, String body, LocalDate today) {
        return parse(clientId, syncId, body, today, ConnectorUrls.STRICT);
    }

    /**
     * @param today today in UTC, the reference of the {@code firstDate} range: from
     *              {@link Sync#EARLIEST_FIRST_DATE} to {@link Sync#FIRST_DATE_DAYS_AHEAD} days after it
     * @param urls  where an http connector may point ({@link ConnectorUrls#STRICT} on AWS)
     */
    public static Sync parse(String clientId, String syncId, String body, LocalDate today, ConnectorUrls urls) {
        return parseEdit(clientId, syncId, body, today, urls).definition();
    }

    /**
     * A submitted definition and the version it edits ({@code version} in the body, null when absent: the
     * write then applies whatever the current version). Its pause has no author yet, and a connector secret
     * left out of {@code config} means "keep the stored one" ({@code ""} clears it): the admin's save fills both in.
     */
    public record Edit(Sync definition, Long version) {
    }

    public static Edit parseEdit(String clientId, String syncId, String body, LocalDate today, ConnectorUrls urls) {
        StrictObject json = StrictObject.parse(body, FIELDS);
        Long version = version(json);
        SyncPause pause = pause(json);
        String bodySyncId = json.string("syncId");
        if (bodySyncId != null && !bodySyncId.equals(syncId)) {
            throw json.invalid("syncId", "must match the sync id in the path (" + syncId + ").");
        }
        String name = json.requiredString("name");
        if (name.isBlank() || name.length() > 200 || !Sync.printable(name)) {
            throw json.invalid("name", "must be 1 to 200 printable characters.");
        }
        ZoneId zone = zone(json);
        LocalDate firstDate = json.requiredDate("firstDate");
        LocalDate latest = today.plusDays(Sync.FIRST_DATE_DAYS_AHEAD);
        if (firstDate.isBefore(Sync.EARLIEST_FIRST_DATE) || firstDate.isAfter(latest)) {
            // A typo such as 0202-01-01 would make every default run plan centuries of dates.
            throw json.invalid("firstDate", "must be from " + Sync.EARLIEST_FIRST_DATE + " to " + latest
                    + " (at most " + Sync.FIRST_DATE_DAYS_AHEAD + " days after today); got " + firstDate + ".");
        }
        Boolean period = json.bool("supportsPeriodExecution");
        if (period == null) {
            throw json.missing("supportsPeriodExecution");
        }
        Integer maxRangeDays = json.integer("maxRangeDays");
        if (maxRangeDays != null && (maxRangeDays < 1 || maxRangeDays > Sync.MAX_RANGE_DAYS_LIMIT)) {
            throw json.invalid("maxRangeDays", "must be between 1 and " + Sync.MAX_RANGE_DAYS_LIMIT + ".");
        }
        StrictObject schedule = json.object("schedule", Set.of("enabled", "settleMinutes"));
        boolean scheduleEnabled = schedule != null && Boolean.TRUE.equals(schedule.bool("enabled"));
        Integer settle = schedule == null ? null : schedule.integer("settleMinutes");
        if (settle != null && (settle < 0 || settle > SyncSchedule.MAX_SETTLE_MINUTES)) {
            throw schedule.invalid("settleMinutes", "must be between 0 and " + SyncSchedule.MAX_SETTLE_MINUTES
                    + " (minutes after a date ends in the sync's time zone before its scheduled run).");
        }
        StrictObject connector = json.object("connector", Set.of("type", "config", "limits"));
        if (connector == null) {
            throw json.missing("connector");
        }
        String type = connector.requiredString("type");
        if (!CONNECTOR_TYPES.contains(type)) {
            throw connector.invalid("type", "must be one of " + String.join(", ", CONNECTOR_TYPES.stream().sorted().toList()) + ".");
        }
        JsonNode config = connector.raw("config");
        if (config != null && !config.isNull() && !config.isObject()) {
            throw connector.invalid("config", "must be an object.");
        }
        Map<String, Object> configMap = config == null || config.isNull() ? Map.of()
                : Json.MAPPER.convertValue(config, new TypeReference<Map<String, Object>>() { });
        if (type.equals("http")) {
            checkHttpConfig(connector, config, urls);
        }
        ConnectorLimits limits = limits(connector);
        return new Edit(new Sync(clientId, syncId, name, zone, firstDate, period,
                maxRangeDays == null ? Sync.DEFAULT_MAX_RANGE_DAYS : maxRangeDays, scheduleEnabled, type, configMap,
                null, null, null, null, settle == null ? 0 : settle, null, null, pause, Revision.NONE, limits), version);
    }

    /** {@code version}: the version of the definition the edit starts from (0: it must not exist yet). */
    public static Long version(StrictObject json) {
        Integer version = json.integer("version");
        if (version != null && version < 0) {
            throw json.invalid("version", "must be a whole number of at least 0 (the version you edited; 0 to create).");
        }
        return version == null ? null : version.longValue();
    }

    private static SyncPause pause(StrictObject json) {
        StrictObject paused = json.object("paused", Set.of("reason"));
        if (paused == null) {
            return null;
        }
        String reason = paused.requiredString("reason");
        if (reason.isBlank() || reason.length() > SyncPause.MAX_REASON_LENGTH || !Sync.printable(reason)) {
            throw paused.invalid("reason", "must be 1 to " + SyncPause.MAX_REASON_LENGTH
                    + " printable characters: operators see it on the disabled play button.");
        }
        return new SyncPause(reason.strip(), null, null);
    }

    /** {@code connector.limits}: how many dates at once (default 4) and how many source requests a minute (optional). */
    private static ConnectorLimits limits(StrictObject connector) {
        StrictObject limits = connector.object("limits", Set.of("maxConcurrentDates", "requestsPerMinute"));
        if (limits == null) {
            return ConnectorLimits.DEFAULT;
        }
        Integer dates = limits.integer("maxConcurrentDates");
        if (dates != null && (dates < 1 || dates > ConnectorLimits.MAX_CONCURRENT_DATES_LIMIT)) {
            throw limits.invalid("maxConcurrentDates", "must be between 1 and " + ConnectorLimits.MAX_CONCURRENT_DATES_LIMIT
                    + " (dates of this sync imported at once).");
        }
        Integer perMinute = limits.integer("requestsPerMinute");
        if (perMinute != null && (perMinute < 1 || perMinute > ConnectorLimits.MAX_REQUESTS_PER_MINUTE)) {
            throw limits.invalid("requestsPerMinute", "must be between 1 and " + ConnectorLimits.MAX_REQUESTS_PER_MINUTE
                    + " (source requests a minute), or left out for no pacing.");
        }
        return new ConnectorLimits(dates == null ? ConnectorLimits.DEFAULT_MAX_CONCURRENT_DATES : dates, perMinute);
    }

    /**
     * An http connector's URLs are checked when the sync is saved, so a sync can never point a
     * worker inside the network ({@link ConnectorUrls}); the worker checks them again after DNS.
     * Refusals name the field, never the URL or a token.
     */
    private static void checkHttpConfig(StrictObject connector, JsonNode config, ConnectorUrls urls) {
        for (String name : List.of("sourceUrl", "destinationUrl")) {
            JsonNode value = config == null ? null : config.get(name);
            if (value == null || value.isNull()) {
                throw connector.missing("config." + name);
            }
            if (!value.isTextual() || value.textValue().isBlank() || value.textValue().length() > 2048) {
                throw connector.invalid("config." + name, "must be a URL of at most 2048 characters.");
            }
            String sample = value.textValue().replace("{date}", "2026-01-01");
            urls.refusal(sample).ifPresent(reason -> {
                throw connector.invalid("config." + name, reason + ".");
            });
        }
        for (String name : List.of("sourceToken", "destinationToken")) {
            JsonNode value = config.get(name);
            if (value != null && !value.isNull() && (!value.isTextual() || value.textValue().length() > 8192
                    || value.textValue().chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
                throw connector.invalid("config." + name, "must be a string of at most 8192 printable characters.");
            }
        }
    }

    private static ZoneId zone(StrictObject json) {
        String text = json.requiredString("timezone");
        try {
            if (!text.contains("/") && !text.equals("UTC")) {
                throw new DateTimeException("not a region id");
            }
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw json.invalid("timezone", "must be an IANA time zone such as Europe/Paris.");
        }
    }
}
