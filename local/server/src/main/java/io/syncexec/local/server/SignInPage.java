package io.syncexec.local.server;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.syncexec.local.server.HttpExchanges.query;
import static io.syncexec.local.server.HttpExchanges.send;
import static io.syncexec.local.server.HttpExchanges.sendMessage;

/**
 * The door to the local sign-in, at {@value #PATH}, and the hint that leads to it on the consumer page
 * ({@value #HINT_PATH}, a script the local server adds to the page it serves: the deployed page knows
 * nothing of the local mode).
 *
 * <p>Only the person who started the local mode may sign in: the one-time key of the link it printed
 * ({@code ?key=…}, refused after its first use) opens a sign-in session in that browser (an HttpOnly,
 * SameSite=Strict cookie, {@link SignInKey}) and sends it to the page, whose "Sign in" goes through the
 * local OpenID Connect provider ({@link OidcProvider}), which gives codes inside that session only. With
 * the session already open the link just leads to the page; anyone else gets 403. Only this origin (the
 * Host is checked before) and not another site (Sec-Fetch-Site) may open the session. No token ever
 * travels in an address.
 */
final class SignInPage {
    static final String PATH = "/local/sign-in";
    /** The script that adds "Running locally? …" to the page's sign-in card. */
    static final String HINT_PATH = "/local/sign-in-hint.js";
    /** What the local server adds to the page's {@code <head>}. */
    static final String HINT_TAG = "<script src=\"" + HINT_PATH + "\" defer></script>";

    private static final byte[] HINT_SCRIPT = hintScript();

    private final SignInKey signInKey;

    /** @param signInKey the one-time key of the sign-in link printed at start */
    SignInPage(SignInKey signInKey) {
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
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Map<String, String> headers = new LinkedHashMap<>(Map.of("cache-control", "no-store", "referrer-policy", "no-referrer"));
        String key = query == null ? null : query.get("key");
        if (key != null && signInKey.redeem(key)) {
            headers.put("set-cookie", SignInKey.COOKIE + "=" + signInKey.openSession() + "; Path=/; HttpOnly; SameSite=Strict");
        } else if (!signInKey.hasSession(exchange.getRequestHeaders().getFirst("Cookie"))) {
            OidcProvider.sendHtml(exchange, 403, "<p>Only the person who started <code>./run-local</code> may sign in: "
                    + "open the sign-in link it printed (its key works once, then this browser stays allowed). "
                    + "Restart <code>./run-local</code> for a new link.</p>");
            return;
        }
        headers.put("location", "/");
        send(exchange, 303, headers, new byte[0], method);
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
