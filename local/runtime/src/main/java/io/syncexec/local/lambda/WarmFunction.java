package io.syncexec.local.lambda;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.syncexec.lambda.FunctionEnvironment;
import io.syncexec.local.template.FunctionDefinition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * One function's execution environment, kept warm: the handler class is instantiated once on the first
 * invocation, with its own environment through its public constructor taking a {@link FunctionEnvironment}
 * (or its no-arg one when it has none, for handlers that read no environment) (a constructor that throws is tried again on the
 * next one, as Lambda retries a failed init). Invocations may run concurrently on the one instance.
 */
final class WarmFunction {

    private final FunctionDefinition definition;
    private final Function<FunctionDefinition, FunctionEnvironment> environments;
    private final ObjectMapper json;
    private final FunctionLogger logger;
    private final String logStreamName = FunctionContext.newLogStreamName();
    private Object handler;
    private JavaType inputType;

    WarmFunction(FunctionDefinition definition, Function<FunctionDefinition, FunctionEnvironment> environments, ObjectMapper json,
                 PrintStream log) {
        this.definition = definition;
        this.environments = environments;
        this.json = json;
        this.logger = new FunctionLogger(definition.logicalId(), log);
    }

    FunctionDefinition definition() {
        return definition;
    }

    FunctionLogger logger() {
        return logger;
    }

    /** Lambda's limit on a synchronous invocation's response, 6 MB. */
    static final int MAX_RESPONSE_BYTES = 6 * 1024 * 1024;

    /** An invocation as the Invoke API makes it: JSON bytes in, the handler's JSON bytes out. */
    byte[] invoke(byte[] payload) throws IOException {
        try {
            return withinTimeout(() -> invokeNow(payload));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] invokeNow(byte[] payload) throws IOException {
        Object handler = handler();
        FunctionContext context = new FunctionContext(definition, logger, logStreamName);
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(payload), output, context);
            return output.toByteArray();
        }
        Object input = payload.length == 0 ? null : json.readValue(payload, inputType);
        return json.writeValueAsBytes(requestHandler().handleRequest(input, context));
    }

    /**
     * An in-process invocation. A {@link RequestHandler} gets {@code event} itself when it is of the
     * handler's input type (else converted by Jackson); a {@link RequestStreamHandler} gets it as JSON
     * ({@code byte[]} as is). The result is converted to {@code resultType} the same way
     * ({@code byte[]}, {@code String}, {@code JsonNode} or any Jackson-readable type).
     */
    <O> O invoke(Object event, Class<O> resultType) {
        try {
            return withinTimeout(() -> invokeNow(event, resultType));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs one invocation as Lambda does: past the function's {@code Timeout} it fails with
     * "Task timed out after N.NN seconds" (the caller is answered at once; the handler's thread is
     * interrupted and this execution environment is dropped, as Lambda drops a timed-out sandbox,
     * so the next invocation initializes a new handler).
     */
    private <T> T withinTimeout(java.util.concurrent.Callable<T> call) throws Exception {
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(call);
        Thread thread = Thread.ofVirtual().name(definition.logicalId() + "-invocation").start(task);
        try {
            return task.get(definition.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            thread.interrupt();
            synchronized (this) {
                handler = null;
            }
            logger.log("Task timed out after " + seconds() + " seconds");
            throw new FunctionTimedOutException(definition.logicalId(), seconds());
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception exception) {
                throw exception;
            }
            throw (Error) cause;
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(definition.logicalId() + ": the caller was interrupted", e);
        }
    }

    private String seconds() {
        return String.format(java.util.Locale.ROOT, "%.2f", definition.timeout().toMillis() / 1000.0);
    }

    private <O> O invokeNow(Object event, Class<O> resultType) {
        Object handler = handler();
        FunctionContext context = new FunctionContext(definition, logger, logStreamName);
        try {
            if (handler instanceof RequestStreamHandler stream) {
                byte[] input = event instanceof byte[] bytes ? bytes : json.writeValueAsBytes(event);
                ByteArrayOutputStream output = new ByteArrayOutputStream();
                stream.handleRequest(new ByteArrayInputStream(input), output, context);
                if (output.size() > MAX_RESPONSE_BYTES) {
                    throw new ResponseTooLargeException(output.size());
                }
                return fromBytes(output.toByteArray(), resultType);
            }
            Object input = event == null || inputType.getRawClass().isInstance(event) ? event : json.convertValue(event, inputType);
            Object result = requestHandler().handleRequest(input, context);
            if (result != null && !(result instanceof SQSBatchResponse)) {
                byte[] bytes = json.writeValueAsBytes(result);
                if (bytes.length > MAX_RESPONSE_BYTES) {
                    throw new ResponseTooLargeException(bytes.length);
                }
            }
            if (result == null || resultType.isInstance(result)) {
                return resultType.cast(result);
            }
            return json.convertValue(result, resultType);
        } catch (IOException e) {
            throw new UncheckedIOException(definition.logicalId() + " failed", e);
        }
    }

    private <O> O fromBytes(byte[] output, Class<O> resultType) throws IOException {
        if (resultType == byte[].class) {
            return resultType.cast(output);
        }
        if (resultType == String.class) {
            return resultType.cast(new String(output, StandardCharsets.UTF_8));
        }
        return output.length == 0 ? null : json.readValue(output, resultType);
    }

    @SuppressWarnings("unchecked")
    private RequestHandler<Object, Object> requestHandler() {
        return (RequestHandler<Object, Object>) handler;
    }

    private synchronized Object handler() {
        if (handler == null) {
            Class<?> type = handlerClass();
            try {
                Object instance = newHandler(type);
                if (instance instanceof RequestHandler<?, ?>) {
                    inputType = json.getTypeFactory().constructType(requestHandlerInput(type));
                }
                handler = instance;
            } catch (InvocationTargetException e) {
                throw rethrow(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(definition.logicalId() + ": " + type.getName()
                        + " has neither a public constructor taking its environment (FunctionEnvironment) nor a public no-arg one", e);
            }
        }
        return handler;
    }

    private Object newHandler(Class<?> type) throws ReflectiveOperationException {
        try {
            return type.getConstructor(FunctionEnvironment.class).newInstance(environments.apply(definition));
        } catch (NoSuchMethodException readsNoEnvironment) {
            return type.getConstructor().newInstance();
        }
    }

    /** Loads the handler class and checks that it is a handler the Java runtime can call. */
    Class<?> handlerClass() {
        Class<?> type;
        try {
            type = Class.forName(definition.handlerClass(), false, WarmFunction.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(definition.logicalId() + ": handler class " + definition.handlerClass()
                    + " is not on the classpath", e);
        }
        if (!RequestHandler.class.isAssignableFrom(type) && !RequestStreamHandler.class.isAssignableFrom(type)) {
            throw new IllegalStateException(definition.logicalId() + ": " + type.getName()
                    + " implements neither RequestHandler nor RequestStreamHandler");
        }
        return type;
    }

    /** The {@code I} of {@code RequestHandler<I, O>} as declared by the class or a superclass; Object when generic. */
    private static Type requestHandlerInput(Class<?> type) {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            for (Type implemented : current.getGenericInterfaces()) {
                if (implemented instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class) {
                    Type input = parameterized.getActualTypeArguments()[0];
                    return input instanceof Class<?> || input instanceof ParameterizedType ? input : Object.class;
                }
            }
        }
        return Object.class;
    }

    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(failure.toString(), failure);
    }
}
