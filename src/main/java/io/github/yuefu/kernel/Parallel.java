package io.github.yuefu.kernel;

import io.github.yuefu.config.ConfigException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one persistent thread pool of the process (size set by {@code --threads}, default all cores).
 *
 * <p>{@link #forRange} splits [0, n) into at most {@link #threads()} contiguous chunks whose boundaries depend only
 * on n, minChunk and the thread count — never on scheduling — so a fixed thread count gives bit-identical results
 * run to run. Chunk 0 runs on the calling thread, chunk c on worker c-1.
 *
 * <p>Why not a ForkJoinPool: the recurrent step calls this a few times per time step on products of ~0.1 ms, so
 * hand-off latency matters. Workers spin briefly (as OpenMP's ACTIVE wait policy does) before parking, and a call
 * allocates nothing. When the pool is already busy (a nested call from inside a body, or a second thread calling
 * at the same time) the chunks run one after another on the caller, with the same boundaries, so results do not
 * change and nothing deadlocks.
 */
public final class Parallel {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile Pool pool;

    /**
     * Below this many multiply-adds a matrix-vector product (generation at batch 1) runs on the calling thread: the
     * hand-off costs more than the second thread saves. The GEMM's split and the split generation step both use it.
     */
    public static final long MIN_MATVEC_MACS = 1L << 16;

    /** How long an idle worker spins before parking: long enough to cover the gaps inside a training step. */
    private static final long SPIN_NANOS = 200_000;

    private Parallel() {}

    /** Sets the thread count for the whole process; call before any work (the CLI does, from --threads). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new ConfigException("--threads must be at least 1, got " + n);
        if (n != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = n;
    }

    public static int threads() {
        return threads;
    }

    /** Work over [from, to) of one chunk. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Runs body over [0, n) in up to threads() contiguous chunks of at least minChunk; inline when one chunk. */
    public static void forRange(int n, int minChunk, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
        forChunks(n, chunks, body);
    }

    /**
     * Runs body over [0, n) split into exactly {@code chunks} contiguous pieces (chunks ≤ threads()), chunk c being
     * [n·c/chunks, n·(c+1)/chunks). Callers that need a split independent of the thread count use this.
     */
    public static void forChunks(int n, int chunks, RangeBody body) {
        if (n <= 0) return;
        chunks = Math.max(1, Math.min(chunks, n));
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        Pool p = pool(chunks);
        if (p == null || !p.tryRun(n, chunks, body)) {
            for (int c = 0; c < chunks; c++) body.run(bound(n, c, chunks), bound(n, c + 1, chunks));
        }
    }

    /**
     * Runs body(t, t+1) for every task t in [0, tasks), handed out dynamically: each thread claims the next task
     * when it finishes one, so a thread the OS preempts (this machine is shared) does not hold the others up.
     * Which thread runs a task varies, so use this only where a task's result does not depend on the thread
     * (each task writes its own output, with thread-local scratch only): then results stay bit-identical.
     */
    public static void forTasks(int tasks, RangeBody body) {
        if (tasks <= 0) return;
        int threadsNow = Math.min(threads, tasks);
        Pool p = threadsNow > 1 ? pool(threadsNow) : null;
        if (p == null || !p.tryRunTasks(tasks, threadsNow, body)) {
            for (int t = 0; t < tasks; t++) body.run(t, t + 1);
        }
    }

    /**
     * Whether the pool is running a job (a call now would run its pieces one after another on the caller): true
     * inside a body. A GEMM called there does its work as one task instead of several in a row.
     */
    public static boolean busy() {
        Pool p = pool;
        return p != null && p.busy.get();
    }

    static int bound(int n, int c, int chunks) {
        return (int) ((long) n * c / chunks);
    }

    /** The pool, created on first use; null when it cannot serve this many chunks (then the caller runs them). */
    private static Pool pool(int chunks) {
        Pool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null && threads > 1) pool = new Pool(threads - 1);
                p = pool;
            }
        }
        return p != null && chunks - 1 <= p.workers.length ? p : null;
    }

    /** threads-1 daemon workers; one job at a time, guarded by a flag that a busy caller does not wait for. */
    private static final class Pool {
        final Worker[] workers;
        final AtomicBoolean busy = new AtomicBoolean();   // not reentrant: a nested call sees it set
        final AtomicInteger pending = new AtomicInteger();
        volatile int epoch;             // bumped once per job; workers watch it
        volatile boolean stopped;
        // The job, written before the volatile epoch write that publishes it.
        RangeBody body;
        int n, chunks;
        boolean dynamic;                // tasks claimed from next instead of fixed chunks
        final AtomicInteger next = new AtomicInteger();
        volatile Throwable failure;

        Pool(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(this, i + 1);
                Thread t = new Thread(workers[i], "yuefu-worker-" + (i + 1));
                t.setDaemon(true);
                workers[i].thread = t;
                t.start();
            }
        }

        /** Dynamic tasks on the first `participants` threads (this one included); false when the pool is busy. */
        boolean tryRunTasks(int tasks, int participants, RangeBody body) {
            return run(tasks, participants, body, true);
        }

        /** Runs the job with this thread as chunk 0; false (nothing run) when the pool is busy. */
        boolean tryRun(int n, int chunks, RangeBody body) {
            return run(n, chunks, body, false);
        }

        private boolean run(int n, int chunks, RangeBody body, boolean dynamic) {
            if (!busy.compareAndSet(false, true)) return false;
            try {
                this.body = body;
                this.n = n;
                this.chunks = chunks;
                this.dynamic = dynamic;
                next.set(0);
                failure = null;
                // Every worker acknowledges every job, even one with no chunk for it. Otherwise a worker that read
                // the epoch of a job it sat out, and was descheduled before reading the job's fields, could wake
                // inside the next job, run a chunk of it twice and count down someone else's pending (seen as
                // results differing run to run at 3+ threads when consecutive jobs have different chunk counts).
                pending.set(workers.length);
                epoch++;                                      // publishes the job
                for (Worker w : workers) {
                    if (w.parked) LockSupport.unpark(w.thread);
                }
                Throwable mine = null;
                try {
                    if (dynamic) runTasks(this);
                    else body.run(0, bound(n, 1, chunks));
                } catch (Throwable t) {
                    mine = t;
                }
                awaitWorkers();
                this.body = null;
                Throwable f = mine != null ? mine : failure;
                if (f instanceof RuntimeException re) throw re;
                if (f instanceof Error e) throw e;
                if (f != null) throw new IllegalStateException(f);
                return true;
            } finally {
                busy.set(false);
            }
        }

        /**
         * Waits for the workers' chunks: spins first (a chunk usually ends within microseconds of ours), then
         * yields, so that on an oversubscribed machine a preempted worker gets the core back sooner.
         */
        private void awaitWorkers() {
            for (int spins = 0; pending.get() != 0; spins++) {
                if (spins < 2000) Thread.onSpinWait();
                else Thread.yield();
            }
        }

        void shutdown() {
            stopped = true;
            for (Worker w : workers) LockSupport.unpark(w.thread);
        }
    }

    /** Claims and runs tasks until none is left. */
    private static void runTasks(Pool p) {
        RangeBody body = p.body;
        for (int t; (t = p.next.getAndIncrement()) < p.n; ) body.run(t, t + 1);
    }

    private static final class Worker implements Runnable {
        final Pool pool;
        final int chunk;
        Thread thread;
        volatile boolean parked;

        Worker(Pool pool, int chunk) {
            this.pool = pool;
            this.chunk = chunk;
        }

        @Override
        public void run() {
            int seen = 0;   // the epoch at pool creation: a job published before this thread starts is not missed
            while (true) {
                int e = await(seen);
                if (pool.stopped) return;
                seen = e;
                int chunks = pool.chunks;
                if (chunk < chunks) {
                    try {
                        if (pool.dynamic) runTasks(pool);
                        else pool.body.run(bound(pool.n, chunk, chunks), bound(pool.n, chunk + 1, chunks));
                    } catch (Throwable t) {
                        pool.failure = t;
                    }
                }
                pool.pending.decrementAndGet(); // acknowledged, whether or not this job had a chunk for us
            }
        }

        /** Spins, then parks, until the epoch moves past seen (or the pool stops). */
        private int await(int seen) {
            long start = System.nanoTime();
            int e;
            int spins = 0;
            while ((e = pool.epoch) == seen && !pool.stopped) {
                if (++spins < 64 || System.nanoTime() - start < SPIN_NANOS) {
                    // Spin, yielding now and then: cheap when the machine is idle, and when it is not, other
                    // runnable threads (ours included) get the core.
                    if ((spins & 255) == 0) Thread.yield();
                    else Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (pool.epoch == seen && !pool.stopped) LockSupport.park(this);
                parked = false;
                start = System.nanoTime();
                spins = 0;
            }
            return e;
        }
    }
}
