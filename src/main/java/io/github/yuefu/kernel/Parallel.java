package io.github.yuefu.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.ArrayList;
import java.util.List;

/**
 * The one persistent thread pool of the process (size set once by {@code --threads}, default all cores).
 * {@link #forRange} splits [0, n) into at most {@link #threads()} contiguous chunks, so results do not depend on
 * scheduling: a fixed thread count gives bit-identical results run to run.
 */
public final class Parallel {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile ForkJoinPool pool;

    private Parallel() {}

    /** Sets the thread count for the whole process; call before any work (the CLI does, from --threads). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new io.github.yuefu.config.ConfigException("--threads must be at least 1, got " + n);
        if (n != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = n;
    }

    public static int threads() {
        return threads;
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) pool = new ForkJoinPool(threads);
                p = pool;
            }
        }
        return p;
    }

    /** Work over [from, to) of one chunk. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Runs body over [0, n) in up to threads() contiguous chunks of at least minChunk; inline when one chunk. */
    public static void forRange(int n, int minChunk, RangeBody body) {
        int chunks = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(chunks - 1);
        ForkJoinPool p = pool();
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
            tasks.add(p.submit(() -> body.run(from, to)));
        }
        body.run(0, (int) ((long) n / chunks));
        for (ForkJoinTask<?> t : tasks) t.join();
    }
}
