package io.github.yuefu.bench;

import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Parallel;
import java.util.SplittableRandom;

/**
 * A quick sgemm throughput probe: GFLOP/s (2·M·N·K per call) of one shape, best of several timed rounds after
 * warm-up. Best-of, not mean, because the machine is shared: the fastest round is the one least disturbed.
 * For careful numbers use the JMH benchmarks (see bench/README.md); this is the "how fast is it here, now" tool.
 */
public final class GemmBench {
    private GemmBench() {}

    /** One measured shape. */
    public record Result(String gemm, int m, int k, int n, boolean transA, boolean transB, int threads,
                         double bestGflops, double medianGflops) {
        public String json() {
            return String.format(java.util.Locale.ROOT,
                    "{\"gemm\":\"%s\",\"m\":%d,\"k\":%d,\"n\":%d,\"transA\":%b,\"transB\":%b,\"threads\":%d,"
                            + "\"gflops_best\":%.1f,\"gflops_median\":%.1f}",
                    gemm, m, k, n, transA, transB, threads, bestGflops, medianGflops);
        }
    }

    /**
     * Times C(m×n) = op(A)·op(B) with K = k on the current {@link Parallel} thread count.
     * Each round runs enough calls to last about roundSeconds; rounds of them give best and median.
     */
    public static Result measure(Gemm gemm, int m, int k, int n, boolean transA, boolean transB,
                                 int rounds, double roundSeconds) {
        SplittableRandom rnd = new SplittableRandom(42);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) (rnd.nextDouble() - 0.5);
        for (int i = 0; i < b.length; i++) b[i] = (float) (rnd.nextDouble() - 0.5);
        int lda = transA ? m : k, ldb = transB ? k : n;
        double flop = 2.0 * m * n * k;
        // Warm-up (2 s: on a loaded machine C2 takes a while) lets the JIT compile the kernels; it also finds
        // out how many calls fill a round.
        long t0 = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - t0 < 2e9 || calls < 3) {
            gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
            calls++;
        }
        double perCall = (System.nanoTime() - t0) / 1e9 / calls;
        int reps = Math.max(1, (int) (roundSeconds / perCall));
        double[] g = new double[rounds];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double cpuBest = 0;
        for (int r = 0; r < rounds; r++) {
            long s = System.nanoTime(), cs = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < reps; i++) {
                gemm.sgemm(transA, transB, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
            }
            g[r] = flop * reps / ((System.nanoTime() - s) / 1e9) / 1e9;
            cpuBest = Math.max(cpuBest, flop * reps / ((mx.getCurrentThreadCpuTime() - cs) / 1e9) / 1e9);
        }
        if (Boolean.getBoolean("yuefu.bench.cpu")) System.err.printf("  per caller-CPU-second: %.1f GFLOP/s%n", cpuBest);
        double[] sorted = g.clone();
        java.util.Arrays.sort(sorted);
        return new Result(gemm.name(), m, k, n, transA, transB, Parallel.threads(),
                sorted[rounds - 1], sorted[rounds / 2]);
    }

    /** Ad-hoc entry point: GemmBench NAME M,K,N[,tA,tB] THREADS... */
    public static void main(String[] args) {
        Gemm g = io.github.yuefu.kernel.Gemms.forName(args[0]);
        String[] s = args[1].split(",");
        int m = Integer.parseInt(s[0]), k = Integer.parseInt(s[1]), n = Integer.parseInt(s[2]);
        boolean ta = s.length > 3 && s[3].equals("t"), tb = s.length > 4 && s[4].equals("t");
        for (int i = 2; i < args.length; i++) {
            Parallel.setThreads(Integer.parseInt(args[i]));
            System.out.println(measure(g, m, k, n, ta, tb, 5, 0.3).json());
        }
    }
}
