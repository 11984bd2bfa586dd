package io.syncexec.local.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page's side of the local sign-in, request by request, as oidc-client-ts makes them (no browser). */
record OidcClient(URI base) {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String VERIFIER = "a-verifier-of-at-least-43-characters-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Opens the sign-in session with a one-time link; answers the {@code Cookie} header to send. */
    static String openSession(URI link) throws Exception {
        HttpResponse<String> opened = send(HttpRequest.newBuilder(link).GET());
        assertEquals(303, opened.statusCode(), opened.body());
        String cookie = opened.headers().firstValue("set-cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    /** {@code GET /local-issuer/authorize} with the page's parameters (code flow, S256 of {@link #VERIFIER}) and these. */
    HttpResponse<String> authorize(String cookie, Map<String, String> parameters) throws Exception {
        Map<String, String> all = new java.util.LinkedHashMap<>(Map.of("response_type", "code", "client_id", LocalIssuer.AUDIENCE,
                "redirect_uri", base.resolve("/").toString(), "scope", "openid", "state", "state-1", "nonce", "nonce-1",
                "code_challenge", OidcProvider.challenge(VERIFIER), "code_challenge_method", "S256"));
        all.putAll(parameters);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(OidcProvider.PREFIX + "/authorize?" + form(all))).GET();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return send(request);
    }

    /** A code for {@code loginHint}, from the redirect to the page. */
    String code(String cookie, String loginHint) throws Exception {
        HttpResponse<String> answer = authorize(cookie, Map.of("login_hint", loginHint));
        assertEquals(303, answer.statusCode(), answer.body());
        URI back = URI.create(answer.headers().firstValue("location").orElseThrow());
        assertEquals("/", back.getPath(), back.toString());
        Map<String, String> query = HttpExchanges.query(back.getRawQuery());
        assertEquals("state-1", query.get("state"), "the state comes back as it was sent");
        assertTrue(query.containsKey("code"), back.toString());
        return query.get("code");
    }

    /** {@code POST /local-issuer/token} for {@code code} with {@code verifier}. */
    HttpResponse<String> token(String code, String verifier) throws Exception {
        return send(HttpRequest.newBuilder(base.resolve(OidcProvider.PREFIX + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code", code,
                        "redirect_uri", base.resolve("/").toString(), "client_id", LocalIssuer.AUDIENCE, "code_verifier", verifier)))));
    }

    /** The ID token of a sign-in as {@code loginHint}, through the whole flow. */
    String idToken(String cookie, String loginHint) throws Exception {
        HttpResponse<String> tokens = token(code(cookie, loginHint), VERIFIER);
        assertEquals(200, tokens.statusCode(), tokens.body());
        return JSON.readTree(tokens.body()).path("id_token").asText();
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String form(Map<String, String> parameters) {
        return parameters.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
