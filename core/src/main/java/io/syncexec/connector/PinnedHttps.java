package io.syncexec.connector;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTPS exchange with the TCP connection made to an address checked beforehand
 * ({@link ConnectorUrls#resolve}), whatever the host name resolves to by then: no DNS rebinding
 * between the check and the connection. TLS still runs against the URL's host name (SNI and
 * certificate checks), so the server must hold a certificate for that name. Redirects are not
 * followed; the whole exchange, body included, must end within the timeout.
 */
final class PinnedHttps {
    /** The status, the body read (a 2xx body up to its limit; an error body up to an excerpt) and the {@code Retry-After} header, if any. */
    record Answer(int status, byte[] body, String retryAfter) {
    }

    private final SSLSocketFactory tls;

    PinnedHttps(SSLSocketFactory tls) {
        this.tls = tls;
    }

    Answer exchange(URI uri, InetAddress pinned, String method, Map<String, List<String>> headers, byte[] body,
                    int successLimit, boolean failWhenOver, int excerptLimit, Duration timeout) throws IOException, TimeoutException {
        HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        connection.setSSLSocketFactory(new PinnedSocketFactory(tls, pinned));
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        connection.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        connection.setRequestMethod(method);
        headers.forEach((name, values) -> values.forEach(value -> connection.addRequestProperty(name, value)));
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        Thread worker = Thread.ofVirtual().name("pinned-https").start(() -> {
            try {
                answer.complete(run(connection, body, successLimit, failWhenOver, excerptLimit));
            } catch (IOException | RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            connection.disconnect();
            worker.interrupt();
            throw e;
        } catch (InterruptedException e) {
            connection.disconnect();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().getClass().getSimpleName(), e.getCause());
        }
    }

    private static Answer run(HttpsURLConnection connection, byte[] body, int successLimit, boolean failWhenOver, int excerptLimit)
            throws IOException {
        try {
            if (body != null) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            String retryAfter = connection.getHeaderField("Retry-After");
            boolean success = status / 100 == 2;
            int limit = success ? successLimit : excerptLimit;
            boolean fail = success && failWhenOver;
            if (fail && connection.getContentLengthLong() > limit) {
                throw new LimitedBody.TooLargeException(limit);
            }
            InputStream in = success ? connection.getInputStream() : connection.getErrorStream();
            if (in == null) {
                return new Answer(status, new byte[0], retryAfter);
            }
            try (in) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                byte[] buffer = new byte[8192];
                int read;
                while ((read = in.read(buffer, 0, Math.min(buffer.length, limit + 1 - bytes.size()))) > 0) {
                    bytes.write(buffer, 0, read);
                    if (bytes.size() > limit) {
                        if (fail) {
                            throw new LimitedBody.TooLargeException(limit);
                        }
                        return new Answer(status, java.util.Arrays.copyOf(bytes.toByteArray(), limit), retryAfter);
                    }
                }
                return new Answer(status, bytes.toByteArray(), retryAfter);
            }
        } finally {
            connection.disconnect();
        }
    }

    /**
     * Makes the connection's plain socket connect to the pinned address (the port from the URL),
     * then layers TLS on it for the URL's host name.
     */
    private static final class PinnedSocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory tls;
        private final InetAddress pinned;

        PinnedSocketFactory(SSLSocketFactory tls, InetAddress pinned) {
            this.tls = tls;
            this.pinned = pinned;
        }

        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    super.connect(new InetSocketAddress(pinned, ((InetSocketAddress) endpoint).getPort()), timeout);
                }
            };
        }

        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            return tls.createSocket(socket, host, port, autoClose);
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return tls.createSocket(connected(port), host, port, true);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return tls.createSocket(connected(port), host.getHostName(), port, true);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return createSocket(address, port);
        }

        private Socket connected(int port) throws IOException {
            Socket socket = createSocket();
            socket.connect(new InetSocketAddress(pinned, port), 0);
            return socket;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return tls.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return tls.getSupportedCipherSuites();
        }
    }
}
