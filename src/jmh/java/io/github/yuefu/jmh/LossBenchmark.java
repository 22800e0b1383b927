package io.github.yuefu.jmh;

import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.Parallel;
import io.github.yuefu.nn.LogSoftmaxNll;
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
 * The fused log-softmax + NLL over V = 6000 for B·T = 4096 rows (config A's output), forward and backward
 * (softmax minus one-hot in place), and one fused LSTM cell step (B = 64, H = 256) forward and backward.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LossBenchmark {
    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1", "2"})
    public int threads;

    static final int ROWS = 4096, V = 6000, B = 64, H = 256;
    private Kernels k;
    private LogSoftmaxNll loss;
    private float[] logits, work, bias, dBias, gates, cPrev, c, h, dOut, dRec, dc, dGates;
    private int[] targets;

    @Setup
    public void setup() {
        k = Kernels.forName(kernels);
        Parallel.setThreads(threads);
        loss = new LogSoftmaxNll(k);
        SplittableRandom r = new SplittableRandom(1);
        logits = new float[ROWS * V];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) r.nextGaussian();
        work = logits.clone();
        bias = new float[V];
        dBias = new float[V];
        targets = new int[ROWS];
        for (int i = 0; i < ROWS; i++) targets[i] = r.nextInt(V);
        gates = new float[B * 4 * H];
        for (int i = 0; i < gates.length; i++) gates[i] = (float) r.nextGaussian();
        cPrev = new float[B * H];
        c = new float[B * H];
        h = new float[B * H];
        dOut = new float[B * H];
        dRec = new float[B * H];
        dc = new float[B * H];
        dGates = new float[B * 4 * H];
        for (int i = 0; i < cPrev.length; i++) {
            cPrev[i] = (float) r.nextGaussian();
            dOut[i] = (float) r.nextGaussian();
        }
    }

    @Benchmark
    public double logSoftmaxNllForwardBackward() {
        System.arraycopy(logits, 0, work, 0, work.length);
        double l = loss.forward(work, ROWS, V, bias, 0, targets, -1);
        loss.backward(work, ROWS, V, targets, -1, dBias, 0);
        return l;
    }

    @Benchmark
    public float[] lstmCellForward() {
        float[] g = gates.clone();
        k.lstmForward(g, 0, cPrev, 0, c, 0, h, 0, B, H);
        return h;
    }
}
