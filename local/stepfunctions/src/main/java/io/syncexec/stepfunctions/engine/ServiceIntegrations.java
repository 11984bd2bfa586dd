package io.syncexec.stepfunctions.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.model.InvokeRequest;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageResponse;

/**
 * The calls Task states make, blocking, with results and errors shaped as Step Functions shapes
 * them: a Lambda function error becomes its {@code errorType} with the error payload as cause, a
 * service exception becomes {@code Lambda.<code>} or {@code SQS.<code>}.
 */
final class ServiceIntegrations {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final IntegrationClients clients;

    ServiceIntegrations(IntegrationClients clients) {
        this.clients = clients;
    }

    /** A Task whose Resource is the function's ARN: the result is the function's return value. */
    JsonNode invokeFunctionArn(String functionArn, JsonNode payload) {
        InvokeResponse response = invoke(InvokeRequest.builder()
                .functionName(functionArn)
                .payload(SdkBytes.fromUtf8String(payload.toString()))
                .build());
        String body = response.payload() == null ? "" : response.payload().asUtf8String();
        if (response.functionError() != null) {
            throw new StatesError(errorType(body), body);
        }
        return parseOrText(body);
    }

    /** {@code arn:aws:states:::lambda:invoke}: the result wraps the payload with the HTTP metadata. */
    JsonNode lambdaInvoke(JsonNode parameters) {
        InvokeRequest.Builder request = InvokeRequest.builder().functionName(parameters.path("FunctionName").asText());
        if (parameters.has("Payload")) {
            request.payload(SdkBytes.fromUtf8String(parameters.get("Payload").toString()));
        }
        if (parameters.hasNonNull("Qualifier")) {
            request.qualifier(parameters.get("Qualifier").asText());
        }
        if (parameters.hasNonNull("InvocationType")) {
            request.invocationType(parameters.get("InvocationType").asText());
        }
        if (parameters.hasNonNull("ClientContext")) {
            request.clientContext(parameters.get("ClientContext").asText());
        }
        if (parameters.hasNonNull("LogType")) {
            request.logType(parameters.get("LogType").asText());
        }
        InvokeResponse response = invoke(request.build());
        String body = response.payload() == null ? "" : response.payload().asUtf8String();
        if (response.functionError() != null) {
            throw new StatesError(errorType(body), compact(body));
        }
        ObjectNode result = JSON.createObjectNode();
        result.put("ExecutedVersion", response.executedVersion() == null ? "$LATEST" : response.executedVersion());
        result.set("Payload", body.isEmpty() ? JSON.getNodeFactory().textNode("") : parseOrText(body));
        result.setAll(metadata(response));
        result.put("StatusCode", response.statusCode());
        return result;
    }

    /** {@code arn:aws:states:::sqs:sendMessage}. */
    JsonNode sqsSendMessage(JsonNode parameters) {
        JsonNode body = parameters.path("MessageBody");
        SendMessageRequest.Builder request = SendMessageRequest.builder()
                .queueUrl(parameters.path("QueueUrl").asText())
                .messageBody(body.isTextual() ? body.asText() : body.toString());
        if (parameters.hasNonNull("DelaySeconds")) {
            request.delaySeconds(parameters.get("DelaySeconds").asInt());
        }
        if (parameters.hasNonNull("MessageGroupId")) {
            request.messageGroupId(parameters.get("MessageGroupId").asText());
        }
        if (parameters.hasNonNull("MessageDeduplicationId")) {
            request.messageDeduplicationId(parameters.get("MessageDeduplicationId").asText());
        }
        if (parameters.has("MessageAttributes")) {
            request.messageAttributes(messageAttributes(parameters.get("MessageAttributes")));
        }
        SendMessageResponse response;
        try {
            response = clients.sqs().sendMessage(request.build());
        } catch (AwsServiceException e) {
            throw new StatesError("SQS." + e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
        } catch (SdkException e) {
            throw new StatesError("SQS.SdkClientException", e.getMessage());
        }
        ObjectNode result = JSON.createObjectNode();
        result.put("MD5OfMessageBody", response.md5OfMessageBody());
        if (response.md5OfMessageAttributes() != null) {
            result.put("MD5OfMessageAttributes", response.md5OfMessageAttributes());
        }
        result.put("MessageId", response.messageId());
        result.setAll(metadata(response));
        return result;
    }

    private InvokeResponse invoke(InvokeRequest request) {
        try {
            return clients.lambda().invoke(request);
        } catch (AwsServiceException e) {
            throw new StatesError("Lambda." + e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
        } catch (SdkException e) {
            throw new StatesError("Lambda.SdkClientException", e.getMessage());
        }
    }

    private static Map<String, MessageAttributeValue> messageAttributes(JsonNode attributes) {
        Map<String, MessageAttributeValue> out = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = attributes.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            MessageAttributeValue.Builder attribute = MessageAttributeValue.builder()
                    .dataType(value.path("DataType").asText("String"));
            if (value.has("StringValue")) {
                attribute.stringValue(value.get("StringValue").asText());
            }
            if (value.has("BinaryValue")) {
                attribute.binaryValue(SdkBytes.fromByteArray(java.util.Base64.getDecoder().decode(
                        value.get("BinaryValue").asText())));
            }
            out.put(field.getKey(), attribute.build());
        }
        return out;
    }

    private static ObjectNode metadata(AwsResponse response) {
        ObjectNode all = JSON.createObjectNode();
        ObjectNode headers = JSON.createObjectNode();
        response.sdkHttpResponse().headers().forEach((name, values) -> {
            all.set(name, JSON.valueToTree(values));
            headers.put(name, String.join(",", values));
        });
        ObjectNode http = JSON.createObjectNode();
        http.set("AllHttpHeaders", all);
        http.set("HttpHeaders", headers);
        http.put("HttpStatusCode", response.sdkHttpResponse().statusCode());
        ObjectNode sdk = JSON.createObjectNode();
        sdk.put("RequestId", response.responseMetadata().requestId());
        ObjectNode out = JSON.createObjectNode();
        out.set("SdkHttpMetadata", http);
        out.set("SdkResponseMetadata", sdk);
        return out;
    }

    private static String errorType(String errorPayload) {
        try {
            JsonNode parsed = JSON.readTree(errorPayload);
            if (parsed != null && parsed.hasNonNull("errorType")) {
                return parsed.get("errorType").asText();
            }
        } catch (JsonProcessingException e) {
            // not JSON: fall through to the generic name
        }
        return "Lambda.Unknown";
    }

    /** lambda:invoke reports the error payload re-serialised compactly. */
    private static String compact(String payload) {
        try {
            return JSON.readTree(payload).toString();
        } catch (JsonProcessingException | RuntimeException e) {
            return payload;
        }
    }

    private static JsonNode parseOrText(String body) {
        if (body.isEmpty()) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    static List<String> resourceTypeAndName(String resource) {
        // arn:aws:states:::lambda:invoke.waitForTaskToken -> ["lambda", "invoke.waitForTaskToken"]
        String tail = resource.substring(resource.indexOf(":::") + 3);
        int colon = tail.indexOf(':');
        return List.of(tail.substring(0, colon), tail.substring(colon + 1));
    }
}
