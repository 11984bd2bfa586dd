package io.syncexec.connector;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The connectors by {@link SyncConnection#connectorType()}: {@code demo} and {@code http}. Built once, shared by every import. */
public final class Connectors {
    private final Map<String, Connector> byType;

    /**
     * @param demoDestination where the demo connector writes (null when the stack has none)
     * @param http            the client of the http connector, e.g. {@link #defaultHttpClient()}
     * @param urls            where the http connector may send requests ({@link ConnectorUrls#STRICT} on AWS)
     * @param clock           the clock of the imports' deadlines
     */
    public Connectors(DemoDestination demoDestination, HttpClient http, ConnectorUrls urls, Clock clock) {
        this.byType = Map.of(
                DemoConnector.TYPE, new DemoConnector(demoDestination, clock),
                HttpConnector.TYPE, new HttpConnector(http, urls, clock));
    }

    /** The sync's connector; for an unknown type, one whose every import fails permanently. */
    public Connector forSync(SyncConnection sync) {
        String type = sync.connectorType();
        Connector connector = type == null ? null : byType.get(type);
        if (connector != null) {
            return connector;
        }
        return context -> {
            throw ConnectorException.permanent("unknown connector type " + type);
        };
    }

    /**
     * An HTTP client for the http connector, to build once per execution environment: HTTP/1.1,
     * a 10 s connect timeout, no redirects (a redirect is reported, not followed with the token).
     */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }
}
