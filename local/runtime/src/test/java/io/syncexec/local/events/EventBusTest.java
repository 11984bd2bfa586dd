package io.syncexec.local.events;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local default event bus answers the SDK's PutEvents as EventBridge does. */
class EventBusTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private EventBus bus;
    private EventBridgeClient client;

    @BeforeEach
    void start() {
        bus = EventBus.start(0, new PrintStream(log, true, StandardCharsets.UTF_8));
        client = EventBridgeClient.builder()
                .endpointOverride(bus.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        bus.close();
    }

    @Test
    void anAcceptedEventIsKeptAndLogged() {
        PutEventsResponse response = client.putEvents(r -> r.entries(e -> e.source("sync-executions")
                .detailType("Sync Execution Status Change").detail("{\"executionId\":\"e1\",\"status\":\"SUCCEEDED\"}")));
        assertEquals(0, response.failedEntryCount());
        assertEquals(bus.events().get(0).id(), response.entries().get(0).eventId());
        assertEquals("SUCCEEDED", bus.events().get(0).detail().path("status").asText());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("event: {\"source\":\"sync-executions\",\"detail-type\":\"Sync Execution Status Change\""),
                log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anEntryWithoutAJsonObjectDetailOrOnAnotherBusIsRefusedAndCounted() {
        PutEventsResponse response = client.putEvents(r -> r.entries(
                e -> e.source("sync-executions").detailType("x").detail("not json"),
                e -> e.source("sync-executions").detailType("x").detail("{}").eventBusName("other-bus"),
                e -> e.source("sync-executions").detailType("x").detail("{}")));
        assertEquals(2, response.failedEntryCount());
        assertEquals("MalformedDetail", response.entries().get(0).errorCode());
        assertEquals("ResourceNotFoundException", response.entries().get(1).errorCode());
        assertNull(response.entries().get(2).errorCode());
        assertEquals(1, bus.events().size());
    }
}
