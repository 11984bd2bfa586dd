package io.syncexec.standins;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The AWS stand-ins on loopback: dynalite for DynamoDB and ElasticMQ for SQS, with the tables and
 * queues of template.yaml already created.
 *
 * <p>{@link #get()} gives the one instance of this JVM, started on first use (tests reach it through
 * {@link StandInsExtension}). Physical names are {@code local-<logicalId>} (see {@link #table}).
 */
public final class StandIns implements AutoCloseable {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "123456789012";
    public static final String ACCESS_KEY_ID = "local";
    public static final String SECRET_ACCESS_KEY = "local";
    /** Prefix of every physical table and queue name. */
    public static final String NAME_PREFIX = "local-";

    private static StandIns instance;

    private final Dynalite dynalite;
    private final ElasticMq elasticMq;
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;
    private final TemplateResources template;
    private final Map<String, String> tables = new LinkedHashMap<>();
    private final Map<String, String> queueUrls = new LinkedHashMap<>();
    private volatile boolean closed;

    private StandIns(Dynalite dynalite, ElasticMq elasticMq, TemplateResources template) {
        this.dynalite = dynalite;
        this.elasticMq = elasticMq;
        this.template = template;
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
        this.dynamo = DynamoDbClient.builder()
                .endpointOverride(dynalite.endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        this.sqs = SqsClient.builder()
                .endpointOverride(elasticMq.endpoint())
                .region(Region.of(REGION))
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** The stand-ins of this JVM, started (with the template's tables and queues) on the first call. */
    public static synchronized StandIns get() {
        if (instance == null || instance.closed) {
            instance = start(RepositoryRoot.find());
        }
        return instance;
    }

    /**
     * Starts a new, independent set of stand-ins for the repository at {@code root} and creates the
     * resources of {@code root/template.yaml}. Most callers want {@link #get()}; close what this returns.
     */
    public static StandIns start(Path root) {
        TemplateResources template = TemplateResources.read(root.resolve("template.yaml"));
        Dynalite dynalite = Dynalite.start(root);
        ElasticMq elasticMq;
        try {
            elasticMq = ElasticMq.start(REGION, ACCOUNT_ID);
        } catch (RuntimeException e) {
            dynalite.close();
            throw e;
        }
        StandIns standIns = new StandIns(dynalite, elasticMq, template);
        try {
            standIns.createResources();
            return standIns;
        } catch (RuntimeException e) {
            standIns.close();
            throw e;
        }
    }

    private void createResources() {
        for (String id : template.tableIds()) {
            String name = NAME_PREFIX + id;
            dynamo.createTable(template.createTableRequest(id, name));
            dynamo.waiter().waitUntilTableExists(request -> request.tableName(name));
            tables.put(id, name);
        }
        for (String id : template.queueIds()) {
            String url = sqs.createQueue(template.createQueueRequest(id, NAME_PREFIX + id, this::queueArn)).queueUrl();
            queueUrls.put(id, url);
        }
    }

    private String queueArn(String logicalId) {
        return sqs.getQueueAttributes(request -> request
                        .queueUrl(queueUrl(logicalId))
                        .attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    public URI dynamoEndpoint() {
        return dynalite.endpoint();
    }

    public URI sqsEndpoint() {
        return elasticMq.endpoint();
    }

    /** A client for dynalite; shared, do not close it. */
    public DynamoDbClient dynamo() {
        return dynamo;
    }

    /** A client for ElasticMQ; shared, do not close it. */
    public SqsClient sqs() {
        return sqs;
    }

    /** The physical name of the template's table {@code logicalId}: {@code local-<logicalId>}. */
    public String table(String logicalId) {
        return lookUp(tables, logicalId, "table");
    }

    /** The URL of the template's queue {@code logicalId}. */
    public String queueUrl(String logicalId) {
        return lookUp(queueUrls, logicalId, "queue");
    }

    /** What {@code !Ref logicalId} gives in AWS: a table's name or a queue's URL. */
    public String ref(String logicalId) {
        return tables.containsKey(logicalId) ? tables.get(logicalId) : queueUrl(logicalId);
    }

    /** The template's tables: logical id to physical name, in template order. */
    public Map<String, String> tables() {
        return Collections.unmodifiableMap(tables);
    }

    /**
     * The settings a production client factory reads from the environment (the SDK's standard names),
     * pointing at the stand-ins.
     */
    public Map<String, String> environment() {
        Map<String, String> environment = new TreeMap<>();
        environment.put("AWS_REGION", REGION);
        environment.put("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID);
        environment.put("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY);
        environment.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoEndpoint().toString());
        environment.put("AWS_ENDPOINT_URL_SQS", sqsEndpoint().toString());
        return environment;
    }

    /**
     * Every item of every template table, keyed by logical id, items sorted by primary key: compare two
     * snapshots to check that something wrote nothing.
     */
    public Map<String, List<Map<String, AttributeValue>>> snapshot() {
        Map<String, List<Map<String, AttributeValue>>> snapshot = new TreeMap<>();
        tables.forEach((id, name) -> {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            dynamo.scanPaginator(request -> request.tableName(name).consistentRead(true))
                    .items().forEach(items::add);
            List<KeySchemaElement> key = dynamo.describeTable(request -> request.tableName(name)).table().keySchema();
            items.sort(byKey(key));
            snapshot.put(id, List.copyOf(items));
        });
        return snapshot;
    }

    /** Stops ElasticMQ and dynalite (the node process is gone when this returns). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        dynamo.close();
        sqs.close();
        try {
            elasticMq.close();
        } finally {
            dynalite.close();
        }
    }

    /** The dynalite node process, e.g. to check that it is gone after {@link #close()}. */
    public ProcessHandle dynaliteProcess() {
        return dynalite.process();
    }

    private static Comparator<Map<String, AttributeValue>> byKey(List<KeySchemaElement> key) {
        Comparator<Map<String, AttributeValue>> comparator = (a, b) -> 0;
        for (KeySchemaElement element : key) {
            comparator = comparator.thenComparing(item -> item.get(element.attributeName()), StandIns::compareKeyValues);
        }
        return comparator;
    }

    private static int compareKeyValues(AttributeValue a, AttributeValue b) {
        if (a.s() != null && b.s() != null) {
            return a.s().compareTo(b.s());
        }
        if (a.n() != null && b.n() != null) {
            return new BigDecimal(a.n()).compareTo(new BigDecimal(b.n()));
        }
        return a.toString().compareTo(b.toString()); // binary keys: any stable order will do
    }

    private static String lookUp(Map<String, String> names, String logicalId, String kind) {
        String name = names.get(logicalId);
        if (name == null) {
            throw new IllegalArgumentException("No " + kind + " " + logicalId + " in template.yaml; it has " + names.keySet());
        }
        return name;
    }
}
