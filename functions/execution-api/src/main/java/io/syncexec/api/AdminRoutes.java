package io.syncexec.api;

import io.syncexec.connector.ConnectorUrls;
import io.syncexec.connector.DemoConnector;
import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import io.syncexec.execution.ExecutionService;
import io.syncexec.json.StrictObject;
import io.syncexec.plan.ExecutionRequest;
import io.syncexec.plan.Mode;
import io.syncexec.plan.SyncCalendar;
import io.syncexec.sync.ChangeLog;
import io.syncexec.sync.Client;
import io.syncexec.sync.Definitions;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncDefinitionParser;

import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The sync admins' routes: saving clients and syncs (versioned, audited) and reading a sync's changes.
 * The edited version comes from the body's {@code version} or the {@code If-Match} header.
 */
final class AdminRoutes {
    static final int CHANGES_PAGE = 20;

    private final Definitions definitions;
    private final ChangeLog changes;
    private final ExecutionService executions;
    private final SyncCalendar calendar;
    private final ConnectorUrls connectorUrls;

    /** Whether a sync may set the demo connector's {@link DemoConnector#FAULT_SETTINGS} (the stack's AllowDemoFaults). */
    private final boolean allowDemoFaults;

    AdminRoutes(Definitions definitions, ChangeLog changes, ExecutionService executions, SyncCalendar calendar,
                ConnectorUrls connectorUrls, boolean allowDemoFaults) {
        this.allowDemoFaults = allowDemoFaults;
        this.definitions = definitions;
        this.changes = changes;
        this.executions = executions;
        this.calendar = calendar;
        this.connectorUrls = connectorUrls;
    }

    ApiResponse putClient(ApiRequest request, String clientId) {
        requireAdmin(request.caller());
        StrictObject json = StrictObject.parse(request.body(), Set.of("clientId", "name", "version"));
        String name = json.requiredString("name");
        if (name.isBlank() || name.length() > 200 || !Sync.printable(name)) {
            throw json.invalid("name", "must be 1 to 200 printable characters.");
        }
        if (json.has("clientId") && !clientId.equals(json.string("clientId"))) {
            throw json.invalid("clientId", "must match the client id in the path (" + clientId + ").");
        }
        Long version = version(request, SyncDefinitionParser.version(json));
        Definitions.Saved<Client> saved = definitions.saveClient(clientId, name, version, request.caller().subject());
        Map<String, Object> body = SyncViews.client(saved.saved());
        body.put("change", saved.change());
        return ApiResponse.json(saved.created() ? 201 : 200, body);
    }

    /** @param clientExists checked after the body (a bad body is a 400 whether or not the client exists) */
    ApiResponse putSync(ApiRequest request, String clientId, String syncId, Runnable clientExists) {
        requireAdmin(request.caller());
        SyncDefinitionParser.Edit edit = SyncDefinitionParser.parseEdit(clientId, syncId, request.body(),
                calendar.today(ZoneOffset.UTC), connectorUrls);
        refuseDemoFaults(edit.definition());
        Long version = version(request, edit.version());
        clientExists.run();
        Definitions.Saved<Sync> saved = definitions.saveSync(edit.definition(), version, request.caller().subject(),
                this::nextDefaultRunDates);
        Map<String, Object> body = SyncViews.sync(saved.saved(), calendar, request.caller());
        body.put("change", saved.change());
        return ApiResponse.json(saved.created() ? 201 : 200, body);
    }

    /** A deployed stack refuses the demo connector's settings that make it fail or slow down on purpose. */
    private void refuseDemoFaults(Sync definition) {
        if (allowDemoFaults || !DemoConnector.TYPE.equals(definition.connectorType()) || definition.connectorConfig() == null) {
            return;
        }
        for (String setting : DemoConnector.FAULT_SETTINGS) {
            if (definition.connectorConfig().containsKey(setting)) {
                throw new Refusal(Reason.INVALID_REQUEST, "connector.config." + setting + " makes the demo source fail or"
                        + " slow down on purpose; this stack does not allow it (deploy with AllowDemoFaults=true).",
                        Map.of("field", "connector.config." + setting));
            }
        }
    }

    /** The sync's changes, newest first: {@code limit} (1–100) a page, {@code nextToken} from the previous page. */
    ApiResponse listChanges(ApiRequest request, Sync sync) {
        QueryParameters.onlyQuery(request, Set.of("limit", "nextToken"));
        int limit = QueryParameters.limit(request, CHANGES_PAGE, ExecutionApi.MAX_PAGE);
        String token = request.query().get("nextToken");
        Long below = null;
        if (token != null && !token.isEmpty()) {
            if (!token.matches("[0-9]{1,18}")) {
                throw new Refusal(Reason.INVALID_REQUEST, "nextToken is not one this API gave out.", Map.of("field", "nextToken"));
            }
            below = Long.parseLong(token);
        }
        ChangeLog.Page page = changes.page(ChangeLog.ofSync(sync.clientId(), sync.syncId()), limit, below);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("clientId", sync.clientId());
        body.put("syncId", sync.syncId());
        body.put("changes", page.changes());
        body.put("nextToken", page.nextBelow() == null ? null : page.nextBelow().toString());
        return ApiResponse.json(200, body);
    }

    private int nextDefaultRunDates(Sync definition) {
        ExecutionRequest preview = new ExecutionRequest(Mode.DEFAULT, null, null, null, false, true, null);
        ExecutionService.Created created = executions.create(definition, preview, io.syncexec.execution.Trigger.MANUAL, "preview");
        return ((ExecutionService.DryRun) created).preview().plan().datesCount();
    }

    /**
     * The version the caller edited: the body's {@code version} or the {@code If-Match} header ({@code 3},
     * {@code "3"} or {@code W/"3"}); both must agree when both are given. Null: no version, the save applies
     * to whatever is stored.
     */
    private static Long version(ApiRequest request, Long fromBody) {
        String header = request.headers().get("if-match");
        if (header == null) {
            return fromBody;
        }
        String text = header.strip();
        text = text.startsWith("W/") ? text.substring(2) : text;
        text = text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1) : text;
        if (!text.matches("[0-9]{1,18}")) {
            throw new Refusal(Reason.INVALID_REQUEST, "If-Match must be the version you edited, e.g. \"3\".",
                    Map.of("field", "version"));
        }
        long version = Long.parseLong(text);
        if (fromBody != null && fromBody != version) {
            throw new Refusal(Reason.INVALID_REQUEST, "version (" + fromBody + ") and If-Match (" + version
                    + ") name different versions.", Map.of("field", "version"));
        }
        return version;
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.admin()) {
            throw new Refusal(Reason.FORBIDDEN, "Only sync admins may change sync definitions.");
        }
    }
}
