package io.syncexec.local.server;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static io.syncexec.local.server.HttpExchanges.JSON;
import static io.syncexec.local.server.HttpExchanges.query;
import static io.syncexec.local.server.HttpExchanges.send;
import static io.syncexec.local.server.HttpExchanges.sendMessage;

/**
 * The local mode's OpenID Connect provider at its issuer ({@link LocalIssuer#issuerFor}), so the page
 * signs in locally exactly as on AWS: discovery, JWKS, an authorize endpoint (authorization code with
 * PKCE S256 only) that shows a chooser of identities or takes {@code login_hint} ({@code admin} or a
 * client id), a token endpoint that checks the code verifier, and an end-session endpoint.
 *
 * <p>Codes are given only inside the sign-in session opened by the one-time link {@code ./run-local}
 * prints ({@link SignInKey}); without it the authorize endpoint answers 403 and no code. Codes are
 * single-use and live {@link AuthorizationCodes#LIFETIME}; a wrong verifier, a spent or expired code
 * gets {@code 400 {"error":"invalid_grant"}}. The only client is the page: client id
 * {@link LocalIssuer#AUDIENCE}, redirect URIs on this server's origin.
 */
final class OidcProvider {
    static final String PREFIX = "/local-issuer";
    private static final Map<String, String> NO_STORE = Map.of("cache-control", "no-store", "referrer-policy", "no-referrer");

    private final LocalIssuer issuer;
    private final SignInKey signInKey;
    private final Supplier<List<SignInIdentity>> identities;
    private final AuthorizationCodes codes;
    private final String origin;

    /**
     * @param identities who the chooser offers (the admin, each client's operator)
     * @param origin     this server's origin, {@code http://127.0.0.1:<port>}: where codes may be sent
     */
    OidcProvider(LocalIssuer issuer, SignInKey signInKey, Supplier<List<SignInIdentity>> identities, String origin) {
        this.issuer = issuer;
        this.signInKey = signInKey;
        this.identities = identities;
        this.origin = origin;
        this.codes = new AuthorizationCodes(issuer::now);
    }

    static boolean serves(String rawPath) {
        return rawPath.startsWith(PREFIX + "/");
    }

    void serve(HttpExchange exchange, String method, String rawPath) throws IOException {
        String endpoint = rawPath.substring(PREFIX.length());
        String allowed = endpoint.equals("/token") ? "POST" : "GET";
        if (!List.of("/.well-known/openid-configuration", "/jwks", "/authorize", "/token", "/logout").contains(endpoint)) {
            sendMessage(exchange, 404, "Not Found", method);
        } else if (!allowed.equals(method)) {
            exchange.getResponseHeaders().set("Allow", allowed);
            sendMessage(exchange, 405, "Method Not Allowed", method);
        } else {
            switch (endpoint) {
                case "/.well-known/openid-configuration" -> sendJson(exchange, 200, discovery());
                case "/jwks" -> send(exchange, 200, Map.of("content-type", "application/json", "cache-control", "no-store"),
                        issuer.jwks().getBytes(StandardCharsets.UTF_8), method);
                case "/authorize" -> authorize(exchange);
                case "/token" -> token(exchange);
                default -> logout(exchange);
            }
        }
    }

    private Map<String, Object> discovery() {
        String base = issuer.issuer();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", base);
        d.put("authorization_endpoint", base + "/authorize");
        d.put("token_endpoint", base + "/token");
        d.put("jwks_uri", base + "/jwks");
        d.put("end_session_endpoint", base + "/logout");
        d.put("response_types_supported", List.of("code"));
        d.put("grant_types_supported", List.of("authorization_code"));
        d.put("subject_types_supported", List.of("public"));
        d.put("id_token_signing_alg_values_supported", List.of("RS256"));
        d.put("scopes_supported", List.of("openid"));
        d.put("token_endpoint_auth_methods_supported", List.of("none"));
        d.put("code_challenge_methods_supported", List.of("S256"));
        return d;
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = Optional.ofNullable(query(exchange.getRequestURI().getRawQuery())).orElse(Map.of());
        String redirectUri = q.get("redirect_uri");
        if ("cross-site".equals(exchange.getRequestHeaders().getFirst("Sec-Fetch-Site"))) {
            sendHtml(exchange, 403, "<p>Another site cannot sign this browser in.</p>");
        } else if (!LocalIssuer.AUDIENCE.equals(q.get("client_id"))) {
            sendHtml(exchange, 400, "<p>Unknown client_id: the local mode knows the consumer page only.</p>");
        } else if (!onThisOrigin(redirectUri)) {
            sendHtml(exchange, 400, "<p>The redirect_uri must be a page of " + origin + ".</p>");
        } else if (!signInKey.hasSession(exchange.getRequestHeaders().getFirst("Cookie"))) {
            sendHtml(exchange, 403, "<p>Only the person who started <code>./run-local</code> may sign in: open the sign-in link it "
                    + "printed once (its key works once, then this browser stays allowed), then sign in again. "
                    + "Restart <code>./run-local</code> for a new link.</p>");
        } else if (!"code".equals(q.get("response_type"))) {
            redirect(exchange, redirectUri, Map.of("error", "unsupported_response_type"), q.get("state"));
        } else if (!"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null
                || !q.get("code_challenge").matches("[A-Za-z0-9_-]{43}")) {
            redirect(exchange, redirectUri, Map.of("error", "invalid_request", "error_description", "PKCE with S256 is required"), q.get("state"));
        } else {
            List<SignInIdentity> who = identities.get();
            Optional<SignInIdentity> chosen = who.stream().filter(i -> i.hint().equals(q.get("login_hint"))).findFirst();
            if (chosen.isPresent()) {
                String code = codes.issue(LocalIssuer.AUDIENCE, redirectUri, q.get("code_challenge"), q.get("nonce"), chosen.get());
                redirect(exchange, redirectUri, Map.of("code", code), q.get("state"));
            } else {
                sendHtml(exchange, 200, chooser(who, q));
            }
        }
    }

    private String chooser(List<SignInIdentity> who, Map<String, String> q) {
        StringBuilder list = new StringBuilder("<p>On AWS this is your identity provider's sign-in. Sign in as:</p><ul>");
        for (SignInIdentity identity : who) {
            Map<String, String> with = new LinkedHashMap<>(q);
            with.put("login_hint", identity.hint());
            list.append("<li><a data-login-hint=\"").append(escape(identity.hint())).append("\" href=\"").append(PREFIX)
                    .append("/authorize?").append(escape(form(with))).append("\">").append(escape(identity.label())).append("</a></li>");
        }
        return list.append("</ul>").toString();
    }

    private void token(HttpExchange exchange) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        Map<String, String> form = type != null && type.startsWith("application/x-www-form-urlencoded")
                ? query(new String(exchange.getRequestBody().readNBytes(16_384), StandardCharsets.UTF_8)) : null;
        if (form == null || form.get("code") == null || form.get("code_verifier") == null) {
            sendJson(exchange, 400, Map.of("error", "invalid_request"));
            return;
        }
        if (!"authorization_code".equals(form.get("grant_type"))) {
            sendJson(exchange, 400, Map.of("error", "unsupported_grant_type"));
            return;
        }
        Optional<AuthorizationCodes.Grant> grant = codes.redeem(form.get("code"));
        if (grant.isEmpty() || !grant.get().clientId().equals(form.get("client_id"))
                || !grant.get().redirectUri().equals(form.get("redirect_uri"))
                || !MessageDigest.isEqual(challenge(form.get("code_verifier")).getBytes(StandardCharsets.US_ASCII),
                grant.get().codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
            sendJson(exchange, 400, Map.of("error", "invalid_grant"));
            return;
        }
        SignInIdentity identity = grant.get().identity();
        Map<String, Object> idClaims = new HashMap<>(identity.claims());
        if (grant.get().nonce() != null) {
            idClaims.put("nonce", grant.get().nonce());
        }
        Map<String, Object> tokens = new LinkedHashMap<>();
        tokens.put("access_token", issuer.sign(identity.subject(), identity.claims(), LocalIssuer.LIFETIME));
        tokens.put("id_token", issuer.sign(identity.subject(), idClaims, LocalIssuer.LIFETIME));
        tokens.put("token_type", "Bearer");
        tokens.put("expires_in", LocalIssuer.LIFETIME.toSeconds());
        tokens.put("scope", "openid");
        sendJson(exchange, 200, tokens);
    }

    /** Ends nothing (the local sign-in session is the run-local person's browser, not a login): back to the page. */
    private void logout(HttpExchange exchange) throws IOException {
        Map<String, String> q = Optional.ofNullable(query(exchange.getRequestURI().getRawQuery())).orElse(Map.of());
        String back = q.get("post_logout_redirect_uri");
        redirect(exchange, onThisOrigin(back) ? back : origin + "/", Map.of(), q.get("state"));
    }

    /** The S256 code challenge of a verifier (RFC 7636): BASE64URL(SHA-256(ASCII(verifier))). */
    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean onThisOrigin(String uri) {
        if (uri == null) {
            return false;
        }
        try {
            URI parsed = URI.create(uri);
            return parsed.getRawFragment() == null && (parsed.getScheme() + "://" + parsed.getRawAuthority()).equals(origin)
                    && parsed.getRawPath() != null && parsed.getRawPath().startsWith("/");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void redirect(HttpExchange exchange, String to, Map<String, String> parameters, String state) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(parameters);
        if (state != null) {
            all.put("state", state);
        }
        Map<String, String> headers = new LinkedHashMap<>(NO_STORE);
        headers.put("location", all.isEmpty() ? to : to + (to.contains("?") ? "&" : "?") + form(all));
        send(exchange, 303, headers, new byte[0], "GET");
    }

    private static String form(Map<String, String> parameters) {
        StringBuilder out = new StringBuilder();
        parameters.forEach((name, value) -> out.append(out.isEmpty() ? "" : "&").append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return out.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(NO_STORE);
        headers.put("content-type", "application/json");
        send(exchange, status, headers, JSON.writeValueAsBytes(body), "GET");
    }

    static void sendHtml(HttpExchange exchange, int status, String content) throws IOException {
        String html = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Sign in (local mode)</title>"
                + "<main><h1>Sign in (local mode)</h1>" + content + "</main></html>";
        Map<String, String> headers = new LinkedHashMap<>(NO_STORE);
        headers.put("content-type", "text/html; charset=utf-8");
        headers.put("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
        send(exchange, status, headers, html.getBytes(StandardCharsets.UTF_8), "GET");
    }
}
