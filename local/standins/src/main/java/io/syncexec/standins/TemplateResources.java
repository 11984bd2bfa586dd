package io.syncexec.standins;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The DynamoDB tables and SQS queues of template.yaml, as SDK requests that create them.
 *
 * <p>The template is the one source of truth: nothing here knows a table or a queue by name. Short-form
 * intrinsic functions ({@code !Ref X}, {@code !GetAtt X.Arn}, {@code !Sub ...}) are read into their long
 * JSON form ({@code {"Ref": "X"}}, {@code {"Fn::GetAtt": ["X", "Arn"]}}, {@code {"Fn::Sub": ...}}), as
 * CloudFormation itself does. Properties the stand-ins do not support (point-in-time recovery, TTL,
 * streams, tags, encryption, queue names) are ignored.
 */
public final class TemplateResources {

    public static final String TABLE_TYPE = "AWS::DynamoDB::Table";
    public static final String QUEUE_TYPE = "AWS::SQS::Queue";

    /** CloudFormation queue properties that map one to one onto SQS queue attributes. */
    private static final Map<String, QueueAttributeName> QUEUE_ATTRIBUTES = Map.of(
            "DelaySeconds", QueueAttributeName.DELAY_SECONDS,
            "MaximumMessageSize", QueueAttributeName.MAXIMUM_MESSAGE_SIZE,
            "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD,
            "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
            "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT,
            "FifoQueue", QueueAttributeName.FIFO_QUEUE,
            "ContentBasedDeduplication", QueueAttributeName.CONTENT_BASED_DEDUPLICATION);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode template;

    private TemplateResources(JsonNode template) {
        this.template = template;
    }

    /** Reads a CloudFormation / SAM template in YAML. */
    public static TemplateResources read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    /** Parses a CloudFormation / SAM template given as YAML text. */
    public static TemplateResources parse(String yaml) {
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            parser.nextToken();
            return new TemplateResources(readNode(parser));
        } catch (IOException e) {
            throw new UncheckedIOException("Invalid template YAML", e);
        }
    }

    /** The whole template as JSON, intrinsic functions in their long form. */
    public JsonNode template() {
        return template;
    }

    /** Logical ids of the {@value #TABLE_TYPE} resources, in template order. */
    public List<String> tableIds() {
        return resourceIds(TABLE_TYPE);
    }

    /** Logical ids of the {@value #QUEUE_TYPE} resources, dead-letter queues before the queues using them. */
    public List<String> queueIds() {
        List<String> ordered = new ArrayList<>();
        for (String id : resourceIds(QUEUE_TYPE)) {
            addAfterDeadLetterQueue(id, ordered);
        }
        return ordered;
    }

    /** The request that creates table {@code logicalId} under {@code tableName}. */
    public CreateTableRequest createTableRequest(String logicalId, String tableName) {
        JsonNode properties = properties(logicalId, TABLE_TYPE);
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(tableName)
                .keySchema(keySchema(properties.path("KeySchema")))
                .attributeDefinitions(map(properties.path("AttributeDefinitions"), definition -> AttributeDefinition.builder()
                        .attributeName(text(definition.path("AttributeName")))
                        .attributeType(text(definition.path("AttributeType")))
                        .build()));
        if (properties.has("BillingMode")) {
            request.billingMode(text(properties.path("BillingMode")));
        }
        if (properties.has("ProvisionedThroughput")) {
            request.provisionedThroughput(throughput(properties.path("ProvisionedThroughput")));
        }
        if (properties.has("GlobalSecondaryIndexes")) {
            request.globalSecondaryIndexes(map(properties.path("GlobalSecondaryIndexes"), index -> {
                GlobalSecondaryIndex.Builder gsi = GlobalSecondaryIndex.builder()
                        .indexName(text(index.path("IndexName")))
                        .keySchema(keySchema(index.path("KeySchema")))
                        .projection(projection(index.path("Projection")));
                if (index.has("ProvisionedThroughput")) {
                    gsi.provisionedThroughput(throughput(index.path("ProvisionedThroughput")));
                }
                return gsi.build();
            }));
        }
        if (properties.has("LocalSecondaryIndexes")) {
            request.localSecondaryIndexes(map(properties.path("LocalSecondaryIndexes"), index -> LocalSecondaryIndex.builder()
                    .indexName(text(index.path("IndexName")))
                    .keySchema(keySchema(index.path("KeySchema")))
                    .projection(projection(index.path("Projection")))
                    .build()));
        }
        CreateTableRequest built = request.build();
        if (built.billingMode() != BillingMode.PAY_PER_REQUEST && built.provisionedThroughput() == null) {
            throw new IllegalArgumentException(logicalId + ": neither BillingMode PAY_PER_REQUEST nor ProvisionedThroughput");
        }
        return built;
    }

    /**
     * The request that creates queue {@code logicalId} under {@code queueName} ({@code .fifo} is appended
     * for a FIFO queue). {@code queueArn} turns a logical queue id into its ARN, for {@code !GetAtt X.Arn}
     * in a RedrivePolicy; create the queues in {@link #queueIds()} order so that it can.
     */
    public CreateQueueRequest createQueueRequest(String logicalId, String queueName, Function<String, String> queueArn) {
        JsonNode properties = properties(logicalId, QUEUE_TYPE);
        Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
        QUEUE_ATTRIBUTES.forEach((property, attribute) -> {
            if (properties.has(property)) {
                attributes.put(attribute, text(properties.path(property)));
            }
        });
        JsonNode redrive = properties.path("RedrivePolicy");
        if (redrive.isObject()) {
            ObjectNode policy = NODES.objectNode();
            JsonNode target = redrive.path("deadLetterTargetArn");
            String deadLetterQueue = getAttArnTarget(target);
            policy.put("deadLetterTargetArn", deadLetterQueue != null ? queueArn.apply(deadLetterQueue) : text(target));
            policy.put("maxReceiveCount", Integer.parseInt(text(redrive.path("maxReceiveCount"))));
            attributes.put(QueueAttributeName.REDRIVE_POLICY, policy.toString());
        }
        boolean fifo = "true".equals(attributes.get(QueueAttributeName.FIFO_QUEUE));
        return CreateQueueRequest.builder()
                .queueName(fifo && !queueName.endsWith(".fifo") ? queueName + ".fifo" : queueName)
                .attributes(attributes)
                .build();
    }

    private List<String> resourceIds(String type) {
        List<String> ids = new ArrayList<>();
        template.path("Resources").fields().forEachRemaining(resource -> {
            if (type.equals(resource.getValue().path("Type").asText())) {
                ids.add(resource.getKey());
            }
        });
        return ids;
    }

    private JsonNode properties(String logicalId, String type) {
        JsonNode resource = template.path("Resources").path(logicalId);
        if (!type.equals(resource.path("Type").asText())) {
            throw new IllegalArgumentException("No " + type + " named " + logicalId + " in the template");
        }
        return resource.path("Properties");
    }

    private void addAfterDeadLetterQueue(String id, List<String> ordered) {
        if (ordered.contains(id)) {
            return;
        }
        String deadLetterQueue = getAttArnTarget(properties(id, QUEUE_TYPE).path("RedrivePolicy").path("deadLetterTargetArn"));
        if (deadLetterQueue != null && !deadLetterQueue.equals(id)) {
            addAfterDeadLetterQueue(deadLetterQueue, ordered);
        }
        ordered.add(id);
    }

    /** X for {@code {"Fn::GetAtt": ["X", "Arn"]}}, else null. */
    private static String getAttArnTarget(JsonNode node) {
        JsonNode getAtt = node.path("Fn::GetAtt");
        return getAtt.isArray() && "Arn".equals(getAtt.path(1).asText()) ? getAtt.path(0).asText() : null;
    }

    /** A scalar property: a literal, or {@code !Ref} to a parameter that has a default. */
    private String text(JsonNode node) {
        if (node.isValueNode()) {
            return node.asText();
        }
        JsonNode parameter = template.path("Parameters").path(node.path("Ref").asText());
        if (node.has("Ref") && parameter.has("Default")) {
            return parameter.path("Default").asText();
        }
        throw new IllegalArgumentException("Unsupported value in the template: " + node);
    }

    private List<KeySchemaElement> keySchema(JsonNode keys) {
        return map(keys, key -> KeySchemaElement.builder()
                .attributeName(text(key.path("AttributeName")))
                .keyType(text(key.path("KeyType")))
                .build());
    }

    private Projection projection(JsonNode projection) {
        Projection.Builder builder = Projection.builder().projectionType(text(projection.path("ProjectionType")));
        if (projection.has("NonKeyAttributes")) {
            builder.nonKeyAttributes(map(projection.path("NonKeyAttributes"), this::text));
        }
        return builder.build();
    }

    private ProvisionedThroughput throughput(JsonNode throughput) {
        return ProvisionedThroughput.builder()
                .readCapacityUnits(Long.parseLong(text(throughput.path("ReadCapacityUnits"))))
                .writeCapacityUnits(Long.parseLong(text(throughput.path("WriteCapacityUnits"))))
                .build();
    }

    private static <T> List<T> map(JsonNode array, Function<JsonNode, T> mapper) {
        List<T> result = new ArrayList<>();
        array.forEach(element -> result.add(mapper.apply(element)));
        return result;
    }

    /** Reads the value at the parser's current token; a YAML tag {@code !Name} becomes {@code {"Fn::Name": value}}. */
    private static JsonNode readNode(YAMLParser parser) throws IOException {
        String tag = parser.getTypeId() == null ? null : parser.getTypeId().toString();
        JsonNode value = switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, readNode(parser));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readNode(parser));
                }
                yield array;
            }
            default -> JSON.readTree(parser);
        };
        if (tag == null || tag.startsWith("tag:yaml.org")) {
            return value;
        }
        if (tag.equals("Ref")) {
            return NODES.objectNode().set("Ref", value);
        }
        if (tag.equals("GetAtt") && value.isTextual()) {
            String[] parts = value.asText().split("\\.", 2);
            value = NODES.arrayNode().add(parts[0]).add(parts.length > 1 ? parts[1] : "");
        }
        return NODES.objectNode().set("Fn::" + tag, value);
    }
}
