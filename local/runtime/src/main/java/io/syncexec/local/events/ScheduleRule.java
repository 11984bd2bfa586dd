package io.syncexec.local.events;

import io.syncexec.stepfunctions.engine.Scheduler;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An enabled EventBridge schedule rule: it fires its target once per period of its
 * {@link ScheduleExpression}, the first time one period after it starts (as a rate rule starts when it
 * is created), on the given {@link Scheduler}'s time: the Step Functions stand-in's, so a test that
 * advances a {@code VirtualScheduler} makes the hours pass at once.
 *
 * <p>The scheduler's action only hands the tick to the rule's own worker thread, which calls the target
 * and logs one line: {@code schedule: <rule> fired at <time>: <summary>}, or {@code ... failed: <error>}.
 * A failed tick does not stop the next one. Ticks never overlap: a tick that falls due while the one
 * before it is still running is <b>skipped</b> (logged), not queued. The scheduled-runs function starts a
 * default run of every sync, and a default run imports every missing date, so the next tick's runs
 * cover whatever a skipped tick would have started; queueing it would only start a second pass right
 * after the slow one, finding the syncs still busy. A tick that falls due late (the machine slept)
 * fires once, and the next one is the first period boundary after now: missed ticks are not replayed.
 */
public final class ScheduleRule implements AutoCloseable {

    /** What a tick calls: the rule's target, given the tick's time; answers a one-line summary for the log. */
    @FunctionalInterface
    public interface Target {
        String fire(Instant time);
    }

    private final String name;
    private final ScheduleExpression expression;
    private final Scheduler scheduler;
    private final Target target;
    private final Duration closeTimeout;
    private final PrintStream log;
    private final ExecutorService worker;
    private final AtomicBoolean ticking = new AtomicBoolean();
    private Instant next;
    private Scheduler.Cancellable timer;
    private boolean closed;

    private ScheduleRule(String name, ScheduleExpression expression, Scheduler scheduler, Target target, Duration closeTimeout,
                         PrintStream log) {
        this.name = name;
        this.expression = expression;
        this.scheduler = scheduler;
        this.target = target;
        this.closeTimeout = closeTimeout;
        this.log = log;
        this.worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "schedule-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts rule {@code name}: {@code target} is called once per period from one period after now.
     * {@link #close()} waits up to {@code closeTimeout} (the target function's timeout, say) for a tick in flight.
     */
    public static ScheduleRule start(String name, ScheduleExpression expression, Scheduler scheduler, Target target,
                                     Duration closeTimeout, PrintStream log) {
        ScheduleRule rule = new ScheduleRule(name, expression, scheduler, target, closeTimeout, log);
        synchronized (rule) {
            rule.next = scheduler.now().plus(expression.period());
            rule.arm();
        }
        return rule;
    }

    public String name() {
        return name;
    }

    public ScheduleExpression expression() {
        return expression;
    }

    /** When the next tick falls due. */
    public synchronized Instant nextTick() {
        return next;
    }

    /** Stops the ticks and waits for one in flight. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            timer.cancel();
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.println("schedule: " + name + ": a tick was still running at close");
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void arm() {
        timer = scheduler.schedule(Duration.between(scheduler.now(), next), this::due);
    }

    /** The scheduler's action: short, it only arms the next tick and hands this one to the worker. */
    private void due() {
        Instant tick;
        synchronized (this) {
            if (closed) {
                return;
            }
            tick = next;
            Instant now = scheduler.now();
            Duration period = expression.period();
            next = tick.plus(period);
            if (!next.isAfter(now)) {
                next = tick.plus(period.multipliedBy(Duration.between(tick, now).dividedBy(period) + 1));
            }
            arm();
        }
        Instant time = tick.truncatedTo(ChronoUnit.SECONDS);
        if (!ticking.compareAndSet(false, true)) {
            log.println("schedule: " + name + " skipped the tick at " + time + ": the tick before it is still running");
            return;
        }
        try {
            worker.execute(() -> fire(time));
        } catch (RejectedExecutionException e) { // closed meanwhile
            ticking.set(false);
        }
    }

    private void fire(Instant time) {
        String line;
        try {
            line = "schedule: " + name + " fired at " + time + ": " + target.fire(time);
        } catch (RuntimeException | Error e) {
            line = "schedule: " + name + " tick at " + time + " failed: " + e;
        } finally {
            ticking.set(false);
        }
        log.println(line); // after the tick is done: whoever reads the line may count on the next tick firing
    }
}
