package io.syncexec.connector;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * https requests connect to the address checked, not to a second lookup of the name (no DNS
 * rebinding), and TLS still checks the certificate against the URL's name. The names used here
 * exist only in the test's resolver: the system's DNS never answers them.
 */
@Timeout(60)
class PinnedHttpsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path folder;

    private static KeyStore keys;
    private HttpsServer server;
    private SSLContext clientTls;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void certificate() throws Exception {
        Path keystore = folder.resolve("pinned.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=pinned.example.com", "-ext", "SAN=dns:pinned.example.com",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(OutputStream.nullOutputStream());
        assertEquals(0, keytool.waitFor(), "keytool made the test's certificate");
        keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD);
        }
    }

    @BeforeEach
    void start() throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keyManagers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " Host=" + exchange.getRequestHeaders().getFirst("Host"));
            exchange.getRequestBody().readAllBytes();
            byte[] body = "[{\"id\":1},{\"id\":2}]".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", keys.getCertificate("server"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trustManagers.getTrustManagers(), null);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ImportContext context(String host) {
        int port = server.getAddress().getPort();
        Map<String, Object> config = Map.of("sourceUrl", "https://" + host + ":" + port + "/source/{date}",
                "destinationUrl", "https://" + host + ":" + port + "/destination");
        SyncConnection sync = new SyncConnection("acme", "orders", HttpConnector.TYPE, config);
        return new ImportContext(sync, LocalDate.of(2026, 11, 20), 1, "execution-1");
    }

    @Test
    void theRequestGoesToTheCheckedAddressAndTlsChecksTheName() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        // The first answer is checked and kept; a rebinding resolver answers inside afterwards.
        ConnectorUrls.Resolver rebinding = host -> new InetAddress[]{lookups.getAndIncrement() < 2
                ? InetAddress.getByAddress(host, new byte[]{127, 0, 0, 1})
                : InetAddress.getByAddress(host, new byte[]{10, 0, 0, 1})};
        HttpConnector connector = new HttpConnector(Connectors.defaultHttpClient(), new ConnectorUrls(true, rebinding),
                clientTls.getSocketFactory(), Clock.systemUTC());

        assertEquals(2, connector.importDate(context("pinned.example.com")));

        assertEquals(2, lookups.get(), "one lookup per URL, each checked, then no other");
        assertEquals(2, received.size(), received.toString());
        assertTrue(received.get(0).startsWith("GET /source/2026-11-20 Host=pinned.example.com"), received.toString());
        assertTrue(received.get(1).startsWith("POST /destination Host=pinned.example.com"), received.toString());
    }

    @Test
    void aCertificateForAnotherNameIsRefused() {
        ConnectorUrls.Resolver here = host -> new InetAddress[]{InetAddress.getByAddress(host, new byte[]{127, 0, 0, 1})};
        HttpConnector connector = new HttpConnector(Connectors.defaultHttpClient(), new ConnectorUrls(true, here),
                clientTls.getSocketFactory(), Clock.systemUTC());

        ConnectorException error = assertThrows(ConnectorException.class, () -> connector.importDate(context("other.example.com")));

        assertTrue(error.getMessage().startsWith("http connector: source GET https://other.example.com:"), error.getMessage());
        assertEquals(List.of(), received, "no request reached the server over an unverified connection");
    }

    @Test
    void anAddressRefusedAtTheLookupIsNeverConnected() throws IOException {
        ConnectorUrls.Resolver inside = host -> new InetAddress[]{InetAddress.getByAddress(host, new byte[]{127, 0, 0, 1})};
        HttpConnector strict = new HttpConnector(Connectors.defaultHttpClient(), new ConnectorUrls(false, inside),
                clientTls.getSocketFactory(), Clock.systemUTC());

        ConnectorException error = assertThrows(ConnectorException.class, () -> strict.importDate(context("pinned.example.com")));

        assertEquals("http connector: config.sourceUrl resolves to a refused address (a loopback one)", error.getMessage());
        assertEquals(List.of(), received);
    }
}
