package io.syncexec.api;

import io.syncexec.connector.ConnectorUrls;
import io.syncexec.connector.DemoConnector;
import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import io.syncexec.execution.Execution;
import io.syncexec.execution.ExecutionFilter;
import io.syncexec.execution.ExecutionRepository;
import io.syncexec.execution.ExecutionService;
import io.syncexec.execution.ExecutionStatus;
import io.syncexec.execution.Trigger;
import io.syncexec.json.StrictObject;
import io.syncexec.ledger.DateHistory;
import io.syncexec.ledger.LedgerEntry;
import io.syncexec.ledger.LedgerRepository;
import io.syncexec.plan.ExecutionRequestParser;
import io.syncexec.plan.SyncCalendar;
import io.syncexec.sync.Client;
import io.syncexec.sync.ClientRepository;
import io.syncexec.sync.Sync;
import io.syncexec.sync.ChangeLog;
import io.syncexec.sync.Definitions;
import io.syncexec.sync.SyncRepository;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.syncexec.api.QueryParameters.FIRST_DATE;
import static io.syncexec.api.QueryParameters.LAST_DATE;
import static io.syncexec.api.QueryParameters.decodeToken;
import static io.syncexec.api.QueryParameters.enumValues;
import static io.syncexec.api.QueryParameters.onlyQuery;
import static io.syncexec.api.QueryParameters.queryDate;
import static io.syncexec.api.QueryParameters.single;

/**
 * The routes of SPEC §4. Each route checks identity and access first, then input, then reads or
 * writes through one service or repository call. It dispatches on the route API Gateway matched (its
 * {@code routeKey}) and reads ids from the path parameters API Gateway parsed; nothing here knows about
 * API Gateway events.
 */
public final class ExecutionApi {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 100;
    static final int DEFAULT_LEDGER_DAYS = 31;
    /** Outcomes per page of the outcomes route: a page stays a few tens of KB whatever the run. */
    static final int OUTCOMES_PAGE = 500;
    /** Entries of a plan's per-date lists an execution shows (a dry run's preview shows them all). */
    static final int PLAN_DATES_SHOWN = 31;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    // The routes of template.yaml's HttpApi events, as API Gateway writes them in the event's routeKey.
    static final String LIST_CLIENTS = "GET /clients";
    static final String PUT_CLIENT = "PUT /clients/{clientId}";
    static final String LIST_SYNCS = "GET /clients/{clientId}/syncs";
    static final String GET_SYNC = "GET /clients/{clientId}/syncs/{syncId}";
    static final String PUT_SYNC = "PUT /clients/{clientId}/syncs/{syncId}";
    static final String GET_LEDGER = "GET /clients/{clientId}/syncs/{syncId}/ledger";
    static final String GET_LEDGER_DATE = "GET /clients/{clientId}/syncs/{syncId}/ledger/{date}";
    static final String CREATE_EXECUTION = "POST /clients/{clientId}/syncs/{syncId}/executions";
    static final String LIST_EXECUTIONS = "GET /clients/{clientId}/syncs/{syncId}/executions";
    static final String GET_EXECUTION = "GET /clients/{clientId}/syncs/{syncId}/executions/{executionId}";
    static final String LIST_EXECUTION_OUTCOMES = "GET /clients/{clientId}/syncs/{syncId}/executions/{executionId}/outcomes";
    static final String CONFIRM_EXECUTION = "POST /clients/{clientId}/syncs/{syncId}/executions/{executionId}/confirmation";
    static final String CANCEL_EXECUTION = "POST /clients/{clientId}/syncs/{syncId}/executions/{executionId}/cancel";
    static final String LIST_CHANGES = "GET /clients/{clientId}/syncs/{syncId}/changes";
    /** Every route this API answers: template.yaml's {@code HttpApi} events must be exactly these (a system test checks). */
    public static final Set<String> ROUTE_KEYS = Set.of(LIST_CLIENTS, PUT_CLIENT, LIST_SYNCS, GET_SYNC, PUT_SYNC, GET_LEDGER,
            GET_LEDGER_DATE, CREATE_EXECUTION, LIST_EXECUTIONS, GET_EXECUTION, LIST_EXECUTION_OUTCOMES, CONFIRM_EXECUTION,
            CANCEL_EXECUTION, LIST_CHANGES);

    private final ClientRepository clients;
    private final SyncRepository syncs;
    private final LedgerRepository ledger;
    private final ExecutionService executions;
    private final SyncCalendar calendar;
    private final AdminRoutes admin;

    /**
     * @param connectorUrls   where an http connector may point: {@link ConnectorUrls#STRICT} on AWS
     * @param changes         the audit trail of client and sync definitions
     * @param allowDemoFaults whether a sync definition may set the demo connector's
     *                        {@link DemoConnector#FAULT_SETTINGS} (the stack's AllowDemoFaults; off by default)
     */
    public ExecutionApi(ClientRepository clients, SyncRepository syncs, LedgerRepository ledger,
                        ExecutionService executions, SyncCalendar calendar, ConnectorUrls connectorUrls, ChangeLog changes,
                        boolean allowDemoFaults) {
        this.admin = new AdminRoutes(new Definitions(clients, syncs, changes, calendar::now), changes, executions, calendar,
                connectorUrls, allowDemoFaults);
        this.clients = clients;
        this.syncs = syncs;
        this.ledger = ledger;
        this.executions = executions;
        this.calendar = calendar;
    }

    public ApiResponse handle(ApiRequest request) {
        try {
            return route(request);
        } catch (Refusal e) {
            return ApiResponse.error(e);
        }
    }

    private ApiResponse route(ApiRequest request) {
        if (request.caller() == null) {
            throw new Refusal(Reason.UNAUTHENTICATED, "Sign in to use this API.");
        }
        if (request.body() != null && request.body().getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw new Refusal(Reason.PAYLOAD_TOO_LARGE,
                    "The request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB.", Map.of("limitBytes", MAX_BODY_BYTES));
        }
        return switch (request.routeKey()) {
            case LIST_CLIENTS -> listClients(request.caller());
            case PUT_CLIENT -> admin.putClient(request, clientId(request));
            case LIST_SYNCS -> listSyncs(request.caller(), clientId(request));
            case GET_SYNC -> ApiResponse.json(200, SyncViews.sync(sync(request), calendar, request.caller()));
            case PUT_SYNC -> putSync(request, clientId(request), id(request, "sync"));
            case LIST_CHANGES -> admin.listChanges(request, sync(request));
            case GET_LEDGER -> ledger(request, sync(request));
            case GET_LEDGER_DATE -> dateHistory(sync(request), request.pathParameters().get("date"));
            case LIST_EXECUTIONS -> listExecutions(request, sync(request));
            case CREATE_EXECUTION -> createExecution(request, sync(request));
            case GET_EXECUTION -> ApiResponse.json(200, withSourcePause(view(execution(request))));
            case LIST_EXECUTION_OUTCOMES -> outcomes(request, execution(request));
            case CONFIRM_EXECUTION -> confirm(request, execution(request));
            case CANCEL_EXECUTION -> ApiResponse.json(202, view(executions.cancel(execution(request), request.caller().subject())));
            // API Gateway sends only the template's routes: this API and template.yaml disagree.
            case null, default -> throw notFound("route", String.valueOf(request.routeKey()));
        };
    }

    /** The path's client id, once the caller may see that client (403 before anything about it is read). */
    private static String clientId(ApiRequest request) {
        String clientId = id(request, "client");
        authorize(request.caller(), clientId);
        return clientId;
    }

    private ApiResponse listClients(Caller caller) {
        List<Client> visible = caller.admin() ? clients.all() : clients.withIds(caller.clients());
        // Who the page is signed in as: it shows the admin views to admins only (the API refuses others anyway).
        Map<String, Object> you = new LinkedHashMap<>();
        you.put("subject", caller.subject());
        you.put("admin", caller.admin());
        return ApiResponse.json(200, Map.of("clients", visible.stream().map(SyncViews::client).toList(), "caller", you));
    }

    private ApiResponse listSyncs(Caller caller, String clientId) {
        if (clients.get(clientId).isEmpty()) {
            throw notFound("client", clientId);
        }
        List<Map<String, Object>> views = new ArrayList<>();
        for (Sync sync : syncs.list(clientId)) {
            views.add(SyncViews.sync(sync, calendar, caller));
        }
        return ApiResponse.json(200, Map.of("syncs", views));
    }

    private ApiResponse putSync(ApiRequest request, String clientId, String syncId) {
        return admin.putSync(request, clientId, syncId, () -> {
            if (clients.get(clientId).isEmpty()) {
                throw notFound("client", clientId);
            }
        });
    }

    private ApiResponse ledger(ApiRequest request, Sync sync) {
        onlyQuery(request, Set.of("from", "to"));
        LocalDate to = queryDate(request, "to");
        LocalDate from = queryDate(request, "from");
        if (to == null) {
            to = from == null ? calendar.lastCompleteDate(sync.timezone()) : min(from.plusDays(DEFAULT_LEDGER_DAYS - 1), LAST_DATE);
        }
        if (from == null) {
            from = max(to.minusDays(DEFAULT_LEDGER_DAYS - 1), FIRST_DATE);
        }
        if (from.isAfter(to)) {
            throw new Refusal(Reason.INVALID_RANGE, "from (" + from + ") is after to (" + to + ").",
                    Map.of("from", from.toString(), "to", to.toString()));
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > Sync.MAX_RANGE_DAYS_LIMIT) {
            throw new Refusal(Reason.RANGE_TOO_LONG, "The ledger shows at most " + Sync.MAX_RANGE_DAYS_LIMIT
                    + " days at a time; this range has " + days + ".", Map.of("days", days, "maxRangeDays", Sync.MAX_RANGE_DAYS_LIMIT));
        }
        Map<LocalDate, LedgerEntry> entries = ledger.read(sync.clientId(), sync.syncId(), from, to);
        List<LedgerEntry> all = from.datesUntil(to.plusDays(1))
                .map(date -> entries.getOrDefault(date, LedgerEntry.missing(date)))
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("clientId", sync.clientId());
        body.put("syncId", sync.syncId());
        body.put("timezone", sync.timezone().getId());
        body.put("today", calendar.today(sync.timezone()));
        body.put("from", from);
        body.put("to", to);
        body.put("entries", all);
        return ApiResponse.json(200, body);
    }

    /** One date of the ledger with what happened to it: its imports and its failed attempts, newest first. */
    private ApiResponse dateHistory(Sync sync, String dateText) {
        LocalDate date = StrictObject.parseDate(dateText);
        if (date == null) {
            throw new Refusal(Reason.INVALID_REQUEST, "The date in the path must be a calendar date written YYYY-MM-DD.",
                    Map.of("field", "date"));
        }
        DateHistory history = ledger.dateHistory(sync.clientId(), sync.syncId(), date, calendar.now());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("clientId", sync.clientId());
        body.put("syncId", sync.syncId());
        body.put("timezone", sync.timezone().getId());
        body.put("date", date);
        body.put("entry", history.entry());
        body.put("imports", history.imports());
        body.put("importsShown", history.imports().size());
        body.put("failedAttempts", history.failedAttempts());
        body.put("failures", history.failures());
        return ApiResponse.json(200, body);
    }

    private ApiResponse createExecution(ApiRequest request, Sync sync) {
        ExecutionService.Created created = executions.create(sync, ExecutionRequestParser.parse(request.body()),
                Trigger.MANUAL, request.caller().subject());
        if (created instanceof ExecutionService.DryRun dryRun) {
            return ApiResponse.json(200, dryRun.preview());
        }
        return ApiResponse.json(202, view(((ExecutionService.Started) created).execution()));
    }

    private ApiResponse listExecutions(ApiRequest request, Sync sync) {
        onlyQuery(request, Set.of("limit", "nextToken", "status", "trigger"));
        int limit = QueryParameters.limit(request, DEFAULT_PAGE, MAX_PAGE);
        ExecutionFilter filter = new ExecutionFilter(
                enumValues(request, "status", ExecutionStatus.class), single(enumValues(request, "trigger", Trigger.class), "trigger"));
        String startAfter = decodeToken(request.query().get("nextToken"));
        ExecutionRepository.Page page = executions.list(sync.clientId(), sync.syncId(), limit, startAfter, filter);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("executions", page.executions().stream().map(ExecutionApi::view).toList());
        body.put("nextToken", page.lastExecutionId() == null ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(page.lastExecutionId().getBytes(StandardCharsets.UTF_8)));
        return ApiResponse.json(200, body);
    }

    private ApiResponse confirm(ApiRequest request, Execution execution) {
        StrictObject json = StrictObject.parse(request.body(), Set.of("confirm", "planDigest"));
        Boolean confirm = json.bool("confirm");
        if (confirm == null) {
            throw json.missing("confirm");
        }
        String digest = json.string("planDigest");
        if (confirm && digest == null) {
            throw json.invalid("planDigest", "is required to confirm: quote the plan you reviewed.");
        }
        return ApiResponse.json(200, view(executions.decide(execution, confirm, digest, request.caller().subject())));
    }

    /** The next page of an execution's per-date outcomes, in date order: {@code nextToken} comes from the execution or the previous page. */
    private ApiResponse outcomes(ApiRequest request, Execution execution) {
        onlyQuery(request, Set.of("nextToken"));
        String token = request.query().get("nextToken");
        LocalDate after = null;
        if (token != null && !token.isEmpty()) {
            after = StrictObject.parseDate(token);
            if (after == null) {
                throw new Refusal(Reason.INVALID_REQUEST, "nextToken is not one this API gave out.", Map.of("field", "nextToken"));
            }
        }
        ExecutionRepository.OutcomePage page = executions.outcomes(execution, after, OUTCOMES_PAGE);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("executionId", execution.executionId());
        body.put("status", execution.status());
        body.put("progress", execution.progress());
        body.put("outcomes", page.outcomes());
        body.put("nextToken", page.lastDate() == null ? null : page.lastDate().toString());
        return ApiResponse.json(200, body);
    }

    /**
     * An execution as the API shows it, bounded whatever its number of dates (SPEC invariant 10): the
     * plan's {@code dates} and {@code reimportDates} keep their first {@link #PLAN_DATES_SHOWN} entries
     * ({@code plan.truncated} says when more exist; {@code datesCount} counts them all), and
     * {@code outcomes} is the first page (the outcomes route pages the rest from {@code outcomesNextToken}).
     */
    static com.fasterxml.jackson.databind.JsonNode view(Execution execution) {
        com.fasterxml.jackson.databind.node.ObjectNode node = io.syncexec.json.Json.MAPPER.valueToTree(execution);
        com.fasterxml.jackson.databind.JsonNode plan = node.path("plan");
        if (plan instanceof com.fasterxml.jackson.databind.node.ObjectNode p) {
            boolean truncated = false;
            for (String list : List.of("dates", "reimportDates")) {
                if (p.path(list) instanceof com.fasterxml.jackson.databind.node.ArrayNode all && all.size() > PLAN_DATES_SHOWN) {
                    com.fasterxml.jackson.databind.node.ArrayNode first = p.arrayNode();
                    for (int i = 0; i < PLAN_DATES_SHOWN; i++) {
                        first.add(all.get(i));
                    }
                    p.set(list, first);
                    truncated = true;
                }
            }
            p.put("reimportDatesCount", execution.plan().reimportDates().size());
            p.put("truncated", truncated);
        }
        return node;
    }

    private Execution execution(ApiRequest request) {
        Sync sync = sync(request);
        return executions.get(sync.clientId(), sync.syncId(), request.pathParameters().get("executionId"));
    }

    /**
     * A running execution whose source asked to wait ({@code 429}/{@code 503}) shows until when:
     * {@code pausedBySourceUntil} (null otherwise). One small read, only for a run still going.
     */
    private com.fasterxml.jackson.databind.JsonNode withSourcePause(com.fasterxml.jackson.databind.JsonNode view) {
        java.time.Instant until = null;
        if ("RUNNING".equals(view.path("status").asText())) {
            until = syncs.sourcePausedUntil(view.path("clientId").asText(), view.path("syncId").asText());
        }
        String shown = until != null && until.isAfter(calendar.now()) ? until.toString() : null;
        ((com.fasterxml.jackson.databind.node.ObjectNode) view).put("pausedBySourceUntil", shown);
        return view;
    }

    private Sync sync(ApiRequest request) {
        return sync(clientId(request), id(request, "sync"));
    }

    private Sync sync(String clientId, String syncId) {
        return syncs.get(clientId, syncId).orElseThrow(() -> notFound("sync", syncId));
    }

    private static void authorize(Caller caller, String clientId) {
        if (!caller.maySee(clientId)) {
            throw new Refusal(Reason.FORBIDDEN, "You do not have access to client " + clientId + ".",
                    Map.of("clientId", clientId));
        }
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    /** The {@code what}Id path parameter (e.g. {@code clientId}), refused as not found unless it is an id this API makes. */
    private static String id(ApiRequest request, String what) {
        String text = String.valueOf(request.pathParameters().get(what + "Id"));
        if (!ID.matcher(text).matches()) {
            throw notFound(what, text.length() > 64 ? text.substring(0, 64) : text);
        }
        return text;
    }

    private static Refusal notFound(String what, String id) {
        return new Refusal(Reason.NOT_FOUND, "No " + what + " " + id + ".", Map.of(what + "Id", id));
    }
}
