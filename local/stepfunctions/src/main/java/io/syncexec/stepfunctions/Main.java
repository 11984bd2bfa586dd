package io.syncexec.stepfunctions;

import java.util.concurrent.CountDownLatch;

/** {@code java -jar local-stepfunctions.jar --port 8083 [--region us-east-1] [--account 123456789012]}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 8083;
        StepFunctionsServer.Options options = StepFunctionsServer.Options.defaults();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(required(args[i], value));
                case "--region" -> options = options.withRegion(required(args[i], value));
                case "--account" -> options = options.withAccountId(required(args[i], value));
                default -> {
                    System.err.println("usage: java -jar local-stepfunctions.jar --port <port> [--region <region>] "
                            + "[--account <12 digits>]");
                    System.exit(2);
                }
            }
            i++;
        }
        StepFunctionsServer server = StepFunctionsServer.start(port, options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println("Step Functions stand-in listening on " + server.endpoint());
        stopped.await();
    }

    private static String required(String flag, String value) {
        if (value == null) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
