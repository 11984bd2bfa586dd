package io.syncexec.system;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A function's log is what its process writes to standard output, as on Lambda (the functions'
 * loggers and metrics write there): {@link #tee} hands each line to a reader and still prints it,
 * until closed.
 */
final class StandardOutput implements AutoCloseable {
    private final PrintStream original;

    private StandardOutput(PrintStream original) {
        this.original = original;
    }

    static StandardOutput tee(Consumer<String> lines) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                original.write(b);
                if (b == '\n') {
                    lines.accept(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8));
        return new StandardOutput(original);
    }

    @Override
    public void close() {
        System.setOut(original);
    }
}
