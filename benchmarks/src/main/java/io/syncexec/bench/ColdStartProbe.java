package io.syncexec.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in a fresh JVM with one function's jar: builds the handler as Lambda would (its no-arg
 * constructor, environment from the process) and invokes it once with an event file. Prints the
 * milliseconds from JVM start to the end of that first invocation, and exits. With a third
 * argument {@code primed}, it first runs the handler's SnapStart priming (what happens before the
 * snapshot) and prints instead the milliseconds of the first invocation after it: a warm call after
 * the priming hook in the same JVM, a proxy for a SnapStart restore's first invocation (no snapshot
 * is taken or restored here; the restore itself only AWS can time).
 */
public final class ColdStartProbe {
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        Object handler = Class.forName(handlerClass).getConstructor().newInstance();
        boolean primed = args.length > 2 && args[2].equals("primed");
        long from = ManagementFactory.getRuntimeMXBean().getStartTime();
        // The runtime reads a typed handler's event with a serializer it prepared during init; done
        // here before the clock starts in primed mode, it is what a restored runtime would have.
        Object input = handler instanceof RequestStreamHandler ? null : read((RequestHandler<?, ?>) handler, event);
        if (primed) {
            Class.forName("io.syncexec.lambda.Priming").getMethod("primeAll").invoke(null);
            from = System.currentTimeMillis();
        }
        String result;
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(event), output, null);
            result = output.toString(java.nio.charset.StandardCharsets.UTF_8);
        } else {
            Object output = ((RequestHandler) handler).handleRequest(input, null);
            result = write(output);
        }
        long ms = System.currentTimeMillis() - from;
        // What the invocation answered, for the benchmark to check that it took the path it was meant to.
        System.out.println("RESULT " + result.replace('\n', ' '));
        System.out.println("COLD_START_MS " + ms);
    }

    /** A typed handler's answer as JSON, as the Lambda runtime would write it. */
    private static String write(Object output) throws Exception {
        Class<?> mapperClass = Class.forName("com.fasterxml.jackson.databind.ObjectMapper");
        Object mapper = mapperClass.getConstructor().newInstance();
        return (String) mapperClass.getMethod("writeValueAsString", Object.class).invoke(mapper, output);
    }

    /** A typed handler's event, read as the Lambda runtime would (Jackson, from the function's own jar). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object read(RequestHandler<?, ?> handler, byte[] event) throws Exception {
        Class<?> type = Object.class;
        for (Type t : handler.getClass().getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                type = (Class<?>) p.getActualTypeArguments()[0];
            }
        }
        Class<?> mapperClass = Class.forName("com.fasterxml.jackson.databind.ObjectMapper");
        Object mapper = mapperClass.getConstructor().newInstance();
        Class<?> feature = Class.forName("com.fasterxml.jackson.databind.DeserializationFeature");
        mapperClass.getMethod("configure", feature, boolean.class)
                .invoke(mapper, Enum.valueOf((Class<Enum>) feature, "FAIL_ON_UNKNOWN_PROPERTIES"), false);
        return mapperClass.getMethod("readValue", byte[].class, Class.class).invoke(mapper, event, type);
    }
}
