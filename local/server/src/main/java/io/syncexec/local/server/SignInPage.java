package io.syncexec.local.server;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import static io.syncexec.local.server.HttpExchanges.query;
import static io.syncexec.local.server.HttpExchanges.send;
import static io.syncexec.local.server.HttpExchanges.sendMessage;

/**
 * The local stand-in for the identity provider's sign-in, at {@value #PATH}, and the hint that leads to it
 * on the consumer page ({@value #HINT_PATH}, a script the local server adds to the page it serves: the
 * deployed page knows nothing of the local mode).
 *
 * <p>{@code GET /local/sign-in} lists who one can be; {@code ?as=admin} or {@code ?as=<clientId>}
 * answers 303 to the page with that identity's token in the address fragment, which the page
 * keeps and removes from the address. So the terminal never shows a token. Only the person
 * who started the local mode may sign in: with the one-time key of the link it printed
 * ({@code ?key=…}, refused after its first use), or later from the browser that used it (its
 * sign-in session cookie, {@link SignInKey}); anyone else gets 403. Only this origin (the Host is
 * checked before) and not another site (Sec-Fetch-Site) may sign the browser in.
 */
final class SignInPage {
    static final String PATH = "/local/sign-in";
    /** The script that adds "Running locally? …" to the page's sign-in card. */
    static final String HINT_PATH = "/local/sign-in-hint.js";
    /** What the local server adds to the page's {@code <head>}. */
    static final String HINT_TAG = "<script src=\"" + HINT_PATH + "\" defer></script>";

    private static final byte[] HINT_SCRIPT = hintScript();

    private final Supplier<Map<String, String>> identities;
    private final SignInKey signInKey;

    /**
     * @param identities who one can sign in as ({@code admin}, client ids) → their token
     * @param signInKey  the one-time key of the sign-in link printed at start
     */
    SignInPage(Supplier<Map<String, String>> identities, SignInKey signInKey) {
        this.identities = identities;
        this.signInKey = signInKey;
    }

    /** Whether {@code rawPath} is one of this class's paths. */
    static boolean serves(String rawPath) {
        return PATH.equals(rawPath) || HINT_PATH.equals(rawPath);
    }

    void serve(HttpExchange exchange, String method, String rawPath) throws IOException {
        if (!"GET".equals(method)) {
            exchange.getResponseHeaders().set("Allow", "GET");
            sendMessage(exchange, 405, "Method Not Allowed", method);
        } else if (HINT_PATH.equals(rawPath)) {
            send(exchange, 200, Map.of("content-type", "text/javascript; charset=utf-8", "cache-control", "no-store",
                    "x-content-type-options", "nosniff"), HINT_SCRIPT, method);
        } else if ("cross-site".equals(exchange.getRequestHeaders().getFirst("Sec-Fetch-Site"))) {
            sendMessage(exchange, 403, "Forbidden", method);
        } else {
            signIn(exchange, method);
        }
    }

    private void signIn(HttpExchange exchange, String method) throws IOException {
        Map<String, String> tokens = identities.get();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String as = query == null ? null : query.get("as");
        Map<String, String> noStore = new LinkedHashMap<>(Map.of("cache-control", "no-store", "referrer-policy", "no-referrer"));
        String key = query == null ? null : query.get("key");
        if (key != null && signInKey.redeem(key)) {
            noStore.put("set-cookie", SignInKey.COOKIE + "=" + signInKey.openSession()
                    + "; Path=" + PATH + "; HttpOnly; SameSite=Strict");
        } else if (!signInKey.hasSession(exchange.getRequestHeaders().getFirst("Cookie"))) {
            sendHtml(exchange, 403, noStore, "<p>Only the person who started <code>./run-local</code> may sign in: "
                    + "open the sign-in link it printed (its key works once, then this browser stays allowed). "
                    + "Restart <code>./run-local</code> for a new link.</p>", method);
            return;
        }
        if (as == null) {
            StringBuilder list = new StringBuilder();
            tokens.keySet().forEach(who -> list.append("<li><a href=\"").append(PATH).append("?as=")
                    .append(URLEncoder.encode(who, StandardCharsets.UTF_8)).append("\">")
                    .append(who.equals("admin") ? "Admin (every client, sync settings)" : "Operator of " + who.replace("<", "&lt;"))
                    .append("</a></li>"));
            sendHtml(exchange, 200, noStore, "<p>On AWS this is your identity provider's sign-in.</p><ul>" + list + "</ul>", method);
            return;
        }
        String token = tokens.get(as);
        if (token == null) {
            sendMessage(exchange, 404, "No such identity: sign in at " + PATH, method);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>(noStore);
        headers.put("location", "/#token=" + token);
        send(exchange, 303, headers, new byte[0], method);
    }

    private static void sendHtml(HttpExchange exchange, int status, Map<String, String> noStore, String content, String method)
            throws IOException {
        String html = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Sign in (local mode)</title>"
                + "<main><h1>Sign in (local mode)</h1>" + content + "</main></html>";
        Map<String, String> headers = new LinkedHashMap<>(noStore);
        headers.put("content-type", "text/html; charset=utf-8");
        send(exchange, status, headers, html.getBytes(StandardCharsets.UTF_8), method);
    }

    private static byte[] hintScript() {
        try (InputStream in = SignInPage.class.getResourceAsStream("/local-page/sign-in-hint.js")) {
            if (in == null) {
                throw new IllegalStateException("local-page/sign-in-hint.js is missing from the local server's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
