package io.syncexec.stepfunctions.engine;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run states and call Lambda and SQS. Counts the work in flight, so a test on
 * virtual time can wait until the engine has nothing left to do but wait for the clock or a
 * callback ({@link #awaitIdle(Duration)}).
 */
public final class Workers implements Executor {

    private final ExecutorService pool;
    private final Object lock = new Object();
    private int inFlight;

    public Workers(int threads) {
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "stepfunctions-worker-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void execute(Runnable task) {
        synchronized (lock) {
            inFlight++;
        }
        try {
            pool.execute(() -> {
                try {
                    task.run();
                } finally {
                    finished();
                }
            });
        } catch (RuntimeException e) {
            finished();
            throw e;
        }
    }

    private void finished() {
        synchronized (lock) {
            inFlight--;
            if (inFlight == 0) {
                lock.notifyAll();
            }
        }
    }

    /** Waits until no work is queued or running; false if {@code timeout} passed first. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }

    public void close() {
        pool.shutdownNow();
    }
}
