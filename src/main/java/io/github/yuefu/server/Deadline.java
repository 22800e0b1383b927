package io.github.yuefu.server;

/**
 * The end of one request's time, and its cancel switch. Generation code calls {@link #check()} once per token:
 * cheap (a volatile read and a clock read), and it turns a timeout, or a client that went away, into an exception
 * that unwinds the generation without leaving anything shared behind.
 */
public final class Deadline {
    private final long endNanos;
    private volatile String cancelled;   // why, or null while the request is live

    private Deadline(long endNanos) {
        this.endNanos = endNanos;
    }

    public static Deadline after(java.time.Duration d) {
        return new Deadline(System.nanoTime() + d.toNanos());
    }

    public static Deadline none() {
        return new Deadline(Long.MAX_VALUE);
    }

    /** Stops the generation at its next {@link #check()}. */
    public void cancel(String why) {
        cancelled = why;
    }

    public boolean expired() {
        return cancelled != null || (endNanos != Long.MAX_VALUE && System.nanoTime() - endNanos > 0);
    }

    /** Nanoseconds left (≤ 0 when expired); Long.MAX_VALUE for no deadline. */
    public long remainingNanos() {
        return endNanos == Long.MAX_VALUE ? Long.MAX_VALUE : endNanos - System.nanoTime();
    }

    /** Throws {@link Expired} when the request has timed out or was cancelled. */
    public void check() {
        String why = cancelled;
        if (why != null) throw new Expired(why);
        if (endNanos != Long.MAX_VALUE && System.nanoTime() - endNanos > 0) throw new Expired("timed out");
    }

    /** A generation stopped by its deadline; the server answers 503. */
    public static final class Expired extends RuntimeException {
        public Expired(String why) {
            super(why, null, false, false);
        }
    }
}
