package io.syncexec.stepfunctions.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Time that moves only when a test says so. Delayed actions wait in a queue and run, in due-time
 * order, when {@link #advance(Duration)} or {@link #advanceToNext()} moves the clock past them, so a
 * 24-hour task timeout takes microseconds.
 */
public final class VirtualScheduler implements Scheduler {

    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private Instant now;
    private long sequence;

    public VirtualScheduler(Instant start) {
        this.now = start;
    }

    private final class Timer implements Comparable<Timer>, Cancellable {
        final Instant due;
        final long order;
        final Runnable action;

        Timer(Instant due, long order, Runnable action) {
            this.due = due;
            this.order = order;
            this.action = action;
        }

        @Override
        public int compareTo(Timer other) {
            int byTime = due.compareTo(other.due);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }

        @Override
        public void cancel() {
            synchronized (VirtualScheduler.this) {
                timers.remove(this);
            }
        }
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable action) {
        Timer timer = new Timer(now.plus(delay.isNegative() ? Duration.ZERO : delay), sequence++, action);
        timers.add(timer);
        return timer;
    }

    /** Moves the clock forward by {@code duration}, running every action that falls due on the way. */
    public void advance(Duration duration) {
        Instant target;
        synchronized (this) {
            target = now.plus(duration);
        }
        runUntil(target);
        synchronized (this) {
            if (now.isBefore(target)) {
                now = target;
            }
        }
    }

    /** Jumps to the earliest pending action and runs it (and any due at the same instant). */
    public boolean advanceToNext() {
        Optional<Instant> next = nextDue();
        next.ifPresent(this::runUntil);
        return next.isPresent();
    }

    public synchronized Optional<Instant> nextDue() {
        return Optional.ofNullable(timers.peek()).map(timer -> timer.due);
    }

    public synchronized int pending() {
        return timers.size();
    }

    private void runUntil(Instant target) {
        while (true) {
            List<Runnable> due = new ArrayList<>();
            synchronized (this) {
                Timer first = timers.peek();
                if (first == null || first.due.isAfter(target)) {
                    return;
                }
                Instant at = first.due;
                while (!timers.isEmpty() && timers.peek().due.equals(at)) {
                    due.add(timers.poll().action);
                }
                now = at.isAfter(now) ? at : now;
            }
            due.forEach(Runnable::run);
        }
    }
}
