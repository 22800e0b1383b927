package io.github.yuefu.jmh;

import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Gemms;
import io.github.yuefu.kernel.Parallel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * sgemm on the shapes of issue 8 (M×K×N): 2048×512×2048, 64×512×2048 — the recurrent step's size class —
 * and 2048×256×6000, the output projection. Reports ops/s; GFLOP/s = 2·M·K·N · ops/s / 1e9 (printed by
 * bench/jmh.sh). "trans" is the BLAS transpose pair: nn, nt (x·Wᵀ, the forward), tn (dW), as the engine uses them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"2048x512x2048", "64x512x2048", "2048x256x6000"})
    public String shape;

    @Param({"nn", "nt"})
    public String trans;

    @Param({"best"})
    public String gemm;

    @Param({"1", "2"})
    public int threads;

    private Gemm g;
    private int m, k, n, lda, ldb;
    private boolean ta, tb;
    private float[] a, b, c;

    @Setup
    public void setup() {
        String[] s = shape.split("x");
        m = Integer.parseInt(s[0]);
        k = Integer.parseInt(s[1]);
        n = Integer.parseInt(s[2]);
        ta = trans.charAt(0) == 't';
        tb = trans.charAt(1) == 't';
        lda = ta ? m : k;
        ldb = tb ? k : n;
        g = Gemms.forName(gemm);
        Parallel.setThreads(threads);
        SplittableRandom r = new SplittableRandom(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble();
    }

    @Benchmark
    public float[] sgemm() {
        g.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n);
        return c;
    }
}
