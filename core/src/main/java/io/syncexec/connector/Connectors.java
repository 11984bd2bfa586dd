package io.syncexec.connector;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The connectors by {@link SyncConnection#connectorType()}: {@code demo} and {@code http}. Built once, shared by every
 * import; the http connector (its HTTP client, the JVM's default TLS) on its first import, so a worker whose first
 * dates are all demo ones never pays for it.
 */
public final class Connectors {
    private final DemoConnector demo;
    private final Supplier<HttpClient> httpClient;
    private final ConnectorUrls urls;
    private final Clock clock;
    private HttpConnector http;

    /**
     * @param demoDestination where the demo connector writes (null when the stack has none)
     * @param http            the client of the http connector, e.g. {@link #defaultHttpClient()}
     * @param urls            where the http connector may send requests ({@link ConnectorUrls#STRICT} on AWS)
     * @param clock           the clock of the imports' deadlines
     */
    public Connectors(DemoDestination demoDestination, HttpClient http, ConnectorUrls urls, Clock clock) {
        this(demoDestination, () -> http, urls, clock);
    }

    /** As above, with the http connector's client built by {@code http} on the connector's first use, e.g. {@code Connectors::defaultHttpClient}. */
    public Connectors(DemoDestination demoDestination, Supplier<HttpClient> http, ConnectorUrls urls, Clock clock) {
        this.demo = new DemoConnector(demoDestination, clock);
        this.httpClient = http;
        this.urls = urls;
        this.clock = clock;
    }

    /** The sync's connector; for an unknown type, one whose every import fails permanently. */
    public Connector forSync(SyncConnection sync) {
        String type = sync.connectorType();
        if (DemoConnector.TYPE.equals(type)) {
            return demo;
        }
        if (HttpConnector.TYPE.equals(type)) {
            return http();
        }
        return context -> {
            throw ConnectorException.permanent("unknown connector type " + type);
        };
    }

    /** Builds every connector now (before a SnapStart snapshot): it sends nothing. */
    public void buildAll() {
        http();
    }

    private synchronized HttpConnector http() {
        if (http == null) {
            http = new HttpConnector(httpClient.get(), urls, clock);
        }
        return http;
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
