package io.syncexec.local.server;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import io.syncexec.standins.HttpApiRoutes;
import io.syncexec.standins.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.syncexec.local.server.OidcClient.json;
import static io.syncexec.local.server.OidcClient.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local OpenID Connect provider as the page meets it (LocalModeIT reads the real API with its token):
 * discovery, the one-time link's session, the chooser, codes for the right PKCE verifier only, once and
 * for a short time, and tokens the gateway accepts. On a clock the test moves, so expiry needs no waiting.
 */
class LocalSignInIT {
    private static final ManualClock clock = new ManualClock(Instant.parse("2026-03-29T00:30:00Z"));
    private static final List<APIGatewayV2HTTPEvent> calls = new CopyOnWriteArrayList<>();
    private static final SignInKey signInKey = new SignInKey();
    private static LocalServer server;
    private static LocalIssuer issuer;
    private static OidcClient page;

    @TempDir
    static Path folder;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(folder.resolve("index.html"), "<!doctype html><head><title>page</title></head>");
        var http = LocalServer.bind(0);
        int port = http.getAddress().getPort();
        issuer = new LocalIssuer(LocalIssuer.issuerFor(port), clock);
        PrintStream log = new PrintStream(OutputStream.nullOutputStream());
        server = LocalServer.start(http, new ApiGateway(new HttpApiRoutes(List.of(new HttpApiRoutes.Route("Api", "GET", "/clients"))),
                        event -> {
                            calls.add(event);
                            return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withBody("{}").build();
                        }, issuer, clock, "123456789012", log),
                new OperatorEndpoints(Map::of, Map::of),
                new SignInPage(signInKey),
                new OidcProvider(issuer, signInKey, () -> List.of(SignInIdentity.admin(), SignInIdentity.operatorOf("acme")),
                        "http://127.0.0.1:" + port),
                new StaticFiles(folder, SignInPage.HINT_TAG, Map.of("/config.json", "{\"issuer\":\"here\"}".getBytes())), log);
        page = new OidcClient(URI.create("http://127.0.0.1:" + port));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void discoveryNamesTheEndpointsAndOnlyS256() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(page.base().resolve("/local-issuer/.well-known/openid-configuration")));
        assertEquals(200, response.statusCode());
        JsonNode discovery = json(response);
        assertEquals(issuer.issuer(), discovery.path("issuer").asText());
        assertEquals("[\"S256\"]", discovery.path("code_challenge_methods_supported").toString());
        assertEquals(issuer.issuer() + "/token", discovery.path("token_endpoint").asText());
        JsonNode keys = json(send(HttpRequest.newBuilder(URI.create(discovery.path("jwks_uri").asText()))));
        assertEquals("RSA", keys.path("keys").path(0).path("kty").asText());
        assertFalse(keys.path("keys").path(0).has("d"), "the public key only");
    }

    @Test
    void withoutTheSignInSessionThereIsNoCode() throws Exception {
        HttpResponse<String> noSession = page.authorize(null, Map.of("login_hint", "admin"));
        assertEquals(403, noSession.statusCode());
        assertTrue(noSession.headers().firstValue("location").isEmpty(), "no redirect, no code");
        assertTrue(noSession.body().contains("./run-local"), noSession.body());
        assertEquals(403, page.authorize("local-sign-in=forged", Map.of("login_hint", "admin")).statusCode());
    }

    @Test
    void theOneTimeLinkOpensTheSessionOnceAndLeadsToThePage() throws Exception {
        String key = signInKey.anotherKey();
        URI link = page.base().resolve(SignInPage.PATH + "?key=" + key);
        assertEquals(403, send(HttpRequest.newBuilder(link).header("Sec-Fetch-Site", "cross-site")).statusCode(), "not from another site");
        HttpResponse<String> opened = send(HttpRequest.newBuilder(link));
        assertEquals(303, opened.statusCode());
        assertEquals("/", opened.headers().firstValue("location").orElseThrow(), "to the page, no token in the address");
        String cookie = opened.headers().firstValue("set-cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/;"), cookie);
        assertEquals(403, send(HttpRequest.newBuilder(link)).statusCode(), "the key works once");
        assertEquals(403, send(HttpRequest.newBuilder(page.base().resolve(SignInPage.PATH))).statusCode(), "nothing without key or session");
        assertEquals(303, send(HttpRequest.newBuilder(page.base().resolve(SignInPage.PATH))
                .header("Cookie", cookie.substring(0, cookie.indexOf(';')))).statusCode(), "the session's browser goes to the page");
    }

    @Test
    void theChooserOffersTheAdminAndEachClientsOperator() throws Exception {
        String session = OidcClient.openSession(page.base().resolve(SignInPage.PATH + "?key=" + signInKey.anotherKey()));
        HttpResponse<String> chooser = page.authorize(session, Map.of());
        assertEquals(200, chooser.statusCode());
        assertTrue(chooser.body().contains("data-login-hint=\"admin\"") && chooser.body().contains("Operator of acme"), chooser.body());
        assertFalse(chooser.body().contains("code="), "choosing gives the code, not the list");
        assertEquals(200, page.authorize(session, Map.of("login_hint", "initech")).statusCode(), "an unknown hint: the chooser again");
    }

    @Test
    void aCodeGivesTokensForTheRightVerifierOnlyAndOnlyOnce() throws Exception {
        String session = OidcClient.openSession(page.base().resolve(SignInPage.PATH + "?key=" + signInKey.anotherKey()));

        String code = page.code(session, "acme");
        assertInvalidGrant(page.token(code, OidcClient.VERIFIER + "x"));
        assertInvalidGrant(page.token(code, OidcClient.VERIFIER)); // spent by the wrong attempt

        code = page.code(session, "acme");
        HttpResponse<String> tokens = page.token(code, OidcClient.VERIFIER);
        assertEquals(200, tokens.statusCode(), tokens.body());
        assertEquals("no-store", tokens.headers().firstValue("cache-control").orElseThrow());
        assertInvalidGrant(page.token(code, OidcClient.VERIFIER));

        String idToken = json(tokens).path("id_token").asText();
        var claims = SignedJWT.parse(idToken).getJWTClaimsSet();
        assertEquals("nonce-1", claims.getStringClaim("nonce"), "the page's nonce, for it to check");
        assertEquals("operator-acme", claims.getSubject());
        assertEquals(List.of(LocalIssuer.AUDIENCE), claims.getAudience(), "audience: the page's client id");

        calls.clear();
        HttpResponse<String> api = send(HttpRequest.newBuilder(page.base().resolve("/clients")).header("Authorization", "Bearer " + idToken));
        assertEquals(200, api.statusCode(), "the gateway accepts the token");
        assertEquals("acme", calls.get(0).getRequestContext().getAuthorizer().getJwt().getClaims().get("clients"));
    }

    @Test
    void aCodeExpiresAfterAMinute() throws Exception {
        String session = OidcClient.openSession(page.base().resolve(SignInPage.PATH + "?key=" + signInKey.anotherKey()));
        String code = page.code(session, "admin");
        clock.advance(AuthorizationCodes.LIFETIME.plusSeconds(1));
        assertInvalidGrant(page.token(code, OidcClient.VERIFIER));
    }

    @Test
    void authorizeSendsCodesToThisOriginOnlyAndWantsS256() throws Exception {
        String session = OidcClient.openSession(page.base().resolve(SignInPage.PATH + "?key=" + signInKey.anotherKey()));
        HttpResponse<String> elsewhere = page.authorize(session, Map.of("login_hint", "admin", "redirect_uri", "https://evil.example/"));
        assertEquals(400, elsewhere.statusCode());
        assertTrue(elsewhere.headers().firstValue("location").isEmpty());
        assertEquals(400, page.authorize(session, Map.of("login_hint", "admin", "client_id", "other")).statusCode());

        HttpResponse<String> plain = page.authorize(session, Map.of("login_hint", "admin", "code_challenge_method", "plain"));
        assertEquals(303, plain.statusCode());
        String location = plain.headers().firstValue("location").orElseThrow();
        assertTrue(location.contains("error=invalid_request") && !location.contains("code="), location);

        HttpResponse<String> badRequest = send(HttpRequest.newBuilder(page.base().resolve("/local-issuer/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("grant_type=password")));
        assertEquals(400, badRequest.statusCode());
        assertEquals("invalid_request", json(badRequest).path("error").asText());
    }

    @Test
    void thePagesSettingsAreServedBesideIt() throws Exception {
        HttpResponse<String> config = send(HttpRequest.newBuilder(page.base().resolve("/config.json")));
        assertEquals(200, config.statusCode());
        assertEquals("application/json", config.headers().firstValue("content-type").orElseThrow());
        assertEquals("here", json(config).path("issuer").asText());
        HttpResponse<String> index = send(HttpRequest.newBuilder(page.base().resolve("/")));
        assertTrue(index.headers().firstValue("content-security-policy").orElseThrow().contains("script-src 'self';"));
    }

    private static void assertInvalidGrant(HttpResponse<String> response) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("{\"error\":\"invalid_grant\"}", response.body());
    }
}
