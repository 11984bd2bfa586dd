package io.syncexec.standins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * dynalite (npm, in-memory DynamoDB) as a child process on a free loopback port.
 *
 * <p>No node process outlives the JVM: {@link #close()} stops it, a shutdown hook stops it on a
 * normal JVM exit, and a preloaded watchdog makes node exit when its stdin closes, which happens
 * when the JVM dies in any way (even SIGKILL). The same preload adds what dynalite lacks
 * ({@link DynalitePatches}).
 */
public final class Dynalite implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;
    private static final String WATCHDOG_JS =
            "process.stdin.on('end', () => process.exit(0)); process.stdin.resume();\n";

    private final Process process;
    private final URI endpoint;
    private final Path log;
    private final Path watchdog;
    private final Thread shutdownHook;

    private Dynalite(Process process, int port, Path log, Path watchdog) {
        this.process = process;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
        this.log = log;
        this.watchdog = watchdog;
        this.shutdownHook = new Thread(this::stopProcess, "dynalite-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts dynalite from {@code <root>/node_modules/dynalite} and returns once it accepts connections. */
    public static Dynalite start(Path root) {
        Path cli = root.resolve("node_modules/dynalite/cli.js");
        if (!Files.isRegularFile(cli)) {
            throw new IllegalStateException(cli + " is missing: run `npm ci --ignore-scripts` in " + root
                    + " (the root pom does it in the validate phase)");
        }
        try {
            Path watchdog = Files.createTempFile("dynalite-watchdog", ".js");
            Files.writeString(watchdog, WATCHDOG_JS + DynalitePatches.script(cli.getParent()));
            watchdog.toFile().deleteOnExit();
            IllegalStateException failure = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                try {
                    return startOnce(cli, watchdog, freePort());
                } catch (IllegalStateException e) {
                    failure = e; // most likely another process took the port between probe and bind
                }
            }
            Files.deleteIfExists(watchdog);
            throw failure;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start dynalite", e);
        }
    }

    private static Dynalite startOnce(Path cli, Path watchdog, int port) throws IOException {
        Path log = Files.createTempFile("dynalite", ".log");
        log.toFile().deleteOnExit();
        Process process = new ProcessBuilder(List.of(
                "node", "--require", watchdog.toString(), cli.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--createTableMs", "0"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!accepts(port)) {
            if (waitForExit(process, Duration.ofMillis(20))) {
                throw new IllegalStateException("dynalite exited with " + process.exitValue() + ": "
                        + Files.readString(log).strip());
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("dynalite did not listen on port " + port + " within "
                        + START_TIMEOUT + ": " + Files.readString(log).strip());
            }
        }
        return new Dynalite(process, port, log, watchdog);
    }

    /** For example {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The node process, e.g. to check that it is gone after {@link #close()}. */
    public ProcessHandle process() {
        return process.toHandle();
    }

    /** Stops the node process and waits until it has exited. */
    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs (or ran) stopProcess itself
        }
        try {
            Files.deleteIfExists(log);
            Files.deleteIfExists(watchdog);
        } catch (IOException e) {
            // temporary files; deleteOnExit removes them later
        }
    }

    private void stopProcess() {
        process.destroy();
        if (!waitForExit(process, STOP_TIMEOUT)) {
            process.destroyForcibly();
            waitForExit(process, STOP_TIMEOUT);
        }
    }

    private static boolean waitForExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
