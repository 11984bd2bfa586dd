package io.syncexec.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.util.Map;

/**
 * The anchor of the cold-start figure: a handler written the way the AWS SDK's
 * {@code archetype-lambda} writes one. A static client built once per execution environment
 * (region, credentials and endpoint from the environment, the URLConnection HTTP client), one
 * {@code GetItem}, and Jackson to write the answer. Our functions do more than this on their first
 * call; their ratio to it says what our own code costs on top of a plain SDK handler.
 */
public final class AnchorHandler implements RequestHandler<AnchorHandler.Event, String> {
    private static final DynamoDbClient DYNAMO = DynamoDbClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build();
    private static final String TABLE = System.getenv("CLIENTS_TABLE");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The event: which client to read. */
    public record Event(String clientId) {
    }

    @Override
    public String handleRequest(Event event, Context context) {
        GetItemResponse item = DYNAMO.getItem(request -> request
                .tableName(TABLE)
                .key(Map.of("clientId", AttributeValue.fromS(event.clientId()))));
        try {
            return JSON.writeValueAsString(Map.of("found", item.hasItem() && !item.item().isEmpty()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
