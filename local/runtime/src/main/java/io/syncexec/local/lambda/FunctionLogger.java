package io.syncexec.local.lambda;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** A function's log: each line prefixed with the function's logical id, as a console shows CloudWatch lines. */
final class FunctionLogger implements LambdaLogger {

    private final String prefix;
    private final PrintStream out;

    FunctionLogger(String functionName, PrintStream out) {
        this.prefix = "[" + functionName + "] ";
        this.out = out;
    }

    @Override
    public void log(String message) {
        String text = String.valueOf(message);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        StringBuilder lines = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            lines.append(prefix).append(line).append(System.lineSeparator());
        }
        out.print(lines);
        out.flush();
    }

    @Override
    public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
    }
}
