package io.syncexec.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ConnectorsTest {
    private final Connectors connectors = new Connectors(null, Connectors.defaultHttpClient(),
            ConnectorUrls.STRICT, Clock.systemUTC());

    @Test
    void picksTheConnectorOfTheSyncsType() {
        assertInstanceOf(DemoConnector.class, connectors.forSync(sync("demo")));
        assertInstanceOf(HttpConnector.class, connectors.forSync(sync("http")));
    }

    @Test
    void theHttpConnectorAndItsClientAreBuiltOnItsFirstUseOnce() {
        AtomicInteger built = new AtomicInteger();
        Connectors lazy = new Connectors(null, () -> {
            built.incrementAndGet();
            return Connectors.defaultHttpClient();
        }, ConnectorUrls.STRICT, Clock.systemUTC());

        lazy.forSync(sync("demo"));
        assertEquals(0, built.get(), "a demo import builds no HTTP client");
        assertSame(lazy.forSync(sync("http")), lazy.forSync(sync("http")));
        lazy.buildAll();
        assertEquals(1, built.get());
    }

    @Test
    void anUnknownTypeFailsEveryImportPermanently() {
        SyncConnection sync = sync("ftp");

        ConnectorException error = assertThrows(ConnectorException.class,
                () -> connectors.forSync(sync).importDate(new ImportContext(sync, LocalDate.of(2026, 11, 20), 1, "execution-1")));

        assertFalse(error.retryable());
        assertEquals("unknown connector type ftp", error.getMessage());
    }

    @Test
    void aDemoConnectorWithoutADestinationFailsPermanently() {
        SyncConnection sync = sync("demo");

        ConnectorException error = assertThrows(ConnectorException.class,
                () -> connectors.forSync(sync).importDate(new ImportContext(sync, LocalDate.of(2026, 11, 20), 1, "execution-1")));

        assertFalse(error.retryable());
    }

    private static SyncConnection sync(String connectorType) {
        return new SyncConnection("acme", "orders", connectorType, Map.of());
    }
}
