package io.syncexec.local.server;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.function.Supplier;

import static io.syncexec.local.server.HttpExchanges.JSON;
import static io.syncexec.local.server.HttpExchanges.JSON_TYPE;
import static io.syncexec.local.server.HttpExchanges.send;
import static io.syncexec.local.server.HttpExchanges.sendMessage;

/**
 * The local operator's endpoints: {@value #SCHEDULE_PATH} fires the schedule once now (EventBridge's rule,
 * by hand) and {@value #SWEEP_PATH} runs the sweeper once now (each schedule tick runs it too). Both
 * answer their function's result as JSON, to a POST from this machine only.
 *
 * @param schedule fires the schedule once
 * @param sweep    runs the sweeper once
 */
record OperatorEndpoints(Supplier<Object> schedule, Supplier<Object> sweep) {
    static final String SCHEDULE_PATH = "/local/schedule";
    static final String SWEEP_PATH = "/local/sweep";

    /** The action of {@code rawPath}, or null when it is not one of these endpoints. */
    Supplier<Object> action(String rawPath) {
        return switch (rawPath) {
            case SCHEDULE_PATH -> schedule;
            case SWEEP_PATH -> sweep;
            default -> null;
        };
    }

    /** Runs {@code action} for a POST whose Origin, if any, is this server ({@code hosts}). */
    static void serve(HttpExchange exchange, String method, Supplier<Object> action, HostCheck hosts) throws IOException {
        if (!"POST".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "POST");
            sendMessage(exchange, 405, "Method Not Allowed", method);
            return;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !hosts.allows(origin.replaceFirst("^https?://", ""))) {
            // Not behind the authorizer (EventBridge is not): no other site may trigger it from a browser.
            sendMessage(exchange, 403, "Forbidden", method);
            return;
        }
        send(exchange, 200, JSON_TYPE, JSON.writeValueAsBytes(action.get()), method);
    }
}
