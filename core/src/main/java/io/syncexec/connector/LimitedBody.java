package io.syncexec.connector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body up to a limit and stops reading there: the rest is never buffered.
 * Over the limit it either fails with {@link TooLargeException} (a body we must read whole) or
 * completes with the first {@code limit} bytes (an error body we only quote).
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body is larger than the limit. */
    static final class TooLargeException extends IOException {
        TooLargeException(long limit) {
            super("response larger than " + limit + " bytes");
        }
    }

    private final int limit;
    private final boolean failWhenOver;
    private final long declaredLength;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private LimitedBody(int limit, boolean failWhenOver, long declaredLength) {
        this.limit = limit;
        this.failWhenOver = failWhenOver;
        this.declaredLength = declaredLength;
    }

    /** Reads a 2xx body up to {@code successLimit} (failing beyond it if {@code failWhenOver}); keeps an excerpt of other bodies. */
    static HttpResponse.BodyHandler<byte[]> handler(int successLimit, boolean failWhenOver, int excerptLimit) {
        return info -> {
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            return info.statusCode() / 100 == 2
                    ? new LimitedBody(successLimit, failWhenOver, declared)
                    : new LimitedBody(excerptLimit, false, declared);
        };
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (failWhenOver && declaredLength > limit) {
            subscription.cancel();
            body.completeExceptionally(new TooLargeException(limit));
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            int room = limit - bytes.size();
            if (buffer.remaining() > room) {
                subscription.cancel();
                if (failWhenOver) {
                    body.completeExceptionally(new TooLargeException(limit));
                } else {
                    append(buffer, room);
                    body.complete(bytes.toByteArray());
                }
                return;
            }
            append(buffer, buffer.remaining());
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(bytes.toByteArray());
    }

    private void append(ByteBuffer buffer, int length) {
        byte[] chunk = new byte[length];
        buffer.get(chunk);
        bytes.write(chunk, 0, length);
    }
}
