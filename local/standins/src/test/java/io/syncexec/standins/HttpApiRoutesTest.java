package io.syncexec.standins;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests matched to template.yaml's routes as API Gateway matches them, and the event fields it fills in. */
class HttpApiRoutesTest {
    private static final HttpApiRoutes TEMPLATE = HttpApiRoutes.read(RepositoryRoot.find().resolve("template.yaml"));

    @Test
    void aRequestGetsItsRouteKeyAndDecodedPathParameters() {
        HttpApiRoutes.Match outcomes = TEMPLATE.match("GET", "/clients/c1/syncs/s1/executions/e1/outcomes").orElseThrow();
        assertEquals("ExecutionApiFunction", outcomes.function());
        assertEquals("GET /clients/{clientId}/syncs/{syncId}/executions/{executionId}/outcomes", outcomes.routeKey());
        assertEquals(Map.of("clientId", "c1", "syncId", "s1", "executionId", "e1"), outcomes.pathParameters());

        assertEquals("GET /clients/{clientId}/syncs/{syncId}/executions/{executionId}",
                TEMPLATE.match("GET", "/clients/c1/syncs/s1/executions/e1").orElseThrow().routeKey());
        assertEquals(Map.of("clientId", "a b/c+d", "syncId", "s1", "date", "%zz"),
                TEMPLATE.match("GET", "/clients/a%20b%2Fc+d/syncs/s1/ledger/%zz").orElseThrow().pathParameters(),
                "percent-decoded, a + kept, an invalid escape left as sent");
        assertEquals(Map.of(), TEMPLATE.match("GET", "/clients").orElseThrow().pathParameters());
    }

    @Test
    void aMethodOrPathNoRouteTakesIsNotMatched() {
        assertEquals(Optional.empty(), TEMPLATE.match("GET", "/clients/c1/syncs/s1/executions/e1/confirmation"));
        assertEquals(Optional.empty(), TEMPLATE.match("POST", "/clients/c1/syncs/s1/executions/e1"));
        assertEquals(Optional.empty(), TEMPLATE.match("POST", "/clients/c1/syncs/s1/ledger/2026-11-03"));
        assertEquals(Optional.empty(), TEMPLATE.match("GET", "/clients/"), "a trailing slash is another path");
        assertEquals(Optional.empty(), TEMPLATE.match("GET", "/clients//syncs"), "a parameter is never empty");
        assertEquals(Optional.empty(), TEMPLATE.match("GET", "/nothing"));
        assertEquals(14, TEMPLATE.routeKeys().size(), "the 13 routes and GET …/changes");
        assertTrue(TEMPLATE.routeKeys().contains("PUT /clients/{clientId}"));
    }

    @Test
    void literalSegmentsWinOverParametersAndAGreedyParameterTakesTheRest() {
        HttpApiRoutes routes = new HttpApiRoutes(List.of(
                new HttpApiRoutes.Route("Proxy", "ANY", "/files/{proxy+}"),
                new HttpApiRoutes.Route("One", "GET", "/files/{name}"),
                new HttpApiRoutes.Route("Readme", "GET", "/files/readme")));
        assertEquals("Readme", routes.match("GET", "/files/readme").orElseThrow().function());
        assertEquals("One", routes.match("GET", "/files/other").orElseThrow().function());
        HttpApiRoutes.Match rest = routes.match("DELETE", "/files/a/b%20c").orElseThrow();
        assertEquals("ANY /files/{proxy+}", rest.routeKey());
        assertEquals(Map.of("proxy", "a/b c"), rest.pathParameters());
        assertEquals(Optional.empty(), routes.match("GET", "/files"));
    }

    @Test
    void aTemplateWithoutLiteralRoutesIsRefused() {
        assertThrows(IllegalStateException.class, () -> HttpApiRoutes.of(TemplateResources.parse("""
                Resources:
                  Api:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        Everything: {Type: HttpApi}
                """)));
        assertThrows(IllegalArgumentException.class, () -> new HttpApiRoutes(List.of()));
    }
}
