package io.github.yuefu.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.Parallel;
import io.github.yuefu.kernel.ScalarGemm;
import io.github.yuefu.tensor.ParamSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Float64 finite-difference checks of the non-recurrent layers (Linear, LogSoftmaxNll with its fused bias,
 * Embedding, OneHot) and the properties of Dropout. Each loss is written in float64 in the test from the layer's
 * definition; the float32 backward is compared with its central differences.
 */
class LayersGradientTest {
    static final double ABS = 1e-6, REL = 1e-4;

    static float[] random(SplittableRandom r, int n, double s) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-s, s);
        return a;
    }

    static double[] toDouble(float[] a, int off, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = a[off + i];
        return d;
    }

    static void close(String what, double[] want, float[] got, int off) {
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(got[off + i] - want[i]);
            assertTrue(d <= ABS || d <= REL * Math.abs(want[i]), what + "[" + i + "] want " + want[i] + " got " + got[off + i]);
        }
    }

    /** L = Σ u ⊙ (x Wᵀ + b) for a fixed random u (N, O). */
    @Test
    void linear() {
        int N = 5, I = 7, O = 9;
        SplittableRandom r = new SplittableRandom(1);
        ParamSet ps = ParamSet.builder().add("w", O, I).add("b", O).build();
        float[] init = random(r, ps.size(), 1);
        System.arraycopy(init, 0, ps.data, 0, init.length);
        float[] x = random(r, N * I, 1), u = random(r, N * O, 1), y = new float[N * O], dx = new float[N * I];
        Linear lin = new Linear(ps.view("w"), ps.view("b"), new ScalarGemm(), Kernels.best());
        lin.forward(ps.data, x, 0, N, y, 0);
        lin.backward(ps.data, ps.grad, x, 0, u, 0, N, dx, 0);
        double[] w = toDouble(ps.data, 0, O * I), b = toDouble(ps.data, O * I, O), xd = toDouble(x, 0, N * I);
        java.util.function.DoubleSupplier loss = () -> {
            double s = 0;
            for (int n = 0; n < N; n++) {
                for (int o = 0; o < O; o++) {
                    double v = b[o];
                    for (int i = 0; i < I; i++) v += xd[n * I + i] * w[o * I + i];
                    s += u[n * O + o] * v;
                }
            }
            return s;
        };
        close("dW", Float64Reference.numericGradient(w, 1e-6, a -> loss.getAsDouble()), ps.grad, 0);
        close("db", Float64Reference.numericGradient(b, 1e-6, a -> loss.getAsDouble()), ps.grad, O * I);
        close("dx", Float64Reference.numericGradient(xd, 1e-6, a -> loss.getAsDouble()), dx, 0);
        // the bias-less forward plus the fused log-softmax bias gives the same logits
        float[] y2 = new float[N * O];
        lin.forwardWithoutBias(ps.data, x, 0, N, y2, 0);
        for (int n = 0; n < N; n++) for (int o = 0; o < O; o++) assertEquals(y[n * O + o], y2[n * O + o] + ps.data[O * I + o], 1e-5);
    }

    /** mean over counted rows of −log softmax(x + b)[target]; targets −1 ignored. */
    @Test
    void logSoftmaxNllWithFusedBias() {
        int N = 37, V = 11, ignore = -1; // 37 rows: more rows than the 16 bias-gradient chunks, unevenly split
        SplittableRandom r = new SplittableRandom(2);
        float[] x = random(r, N * V, 3), bias = random(r, V + 2, 1);
        int[] tgt = new int[N];
        for (int n = 0; n < N; n++) tgt[n] = n % 5 == 0 ? ignore : r.nextInt(V);
        double[] xd = toDouble(x, 0, N * V), bd = toDouble(bias, 2, V);
        java.util.function.DoubleSupplier loss = () -> {
            double s = 0;
            int c = 0;
            for (int n = 0; n < N; n++) {
                if (tgt[n] == ignore) continue;
                double z = 0;
                for (int v = 0; v < V; v++) z += Math.exp(xd[n * V + v] + bd[v]);
                s += -(xd[n * V + tgt[n]] + bd[tgt[n]] - Math.log(z));
                c++;
            }
            return s / c;
        };
        for (Kernels k : new Kernels[] {Kernels.forName("scalar"), Kernels.forName("vector-128")}) {
            LogSoftmaxNll nll = new LogSoftmaxNll(k);
            float[] buf = x.clone(), dBias = new float[V + 1];
            double got = nll.forward(buf, N, V, bias, 2, tgt, ignore);
            assertEquals(loss.getAsDouble(), got, 1e-6);
            assertEquals(N - 8, nll.count());
            nll.backward(buf, N, V, tgt, ignore, dBias, 1);
            close("dx " + k.name(), Float64Reference.numericGradient(xd, 1e-6, a -> loss.getAsDouble()), buf, 0);
            close("db " + k.name(), Float64Reference.numericGradient(bd, 1e-6, a -> loss.getAsDouble()), dBias, 1);
            // The fused training pass: the same loss bit for bit, the same gradients (to rounding), at 1 and 2 threads.
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                float[] fused = x.clone(), dBiasFused = new float[V + 1];
                LogSoftmaxNll nll2 = new LogSoftmaxNll(k);
                assertEquals(Double.doubleToLongBits(got),
                        Double.doubleToLongBits(nll2.forwardWithGradient(fused, N, V, bias, 2, tgt, ignore)));
                assertEquals(N - 8, nll2.count());
                assertEquals(nll.sumNll(), nll2.sumNll());
                nll2.addBiasGradient(dBiasFused, 1);
                close("dx fused " + k.name(), Float64Reference.numericGradient(xd, 1e-6, a -> loss.getAsDouble()), fused, 0);
                close("db fused " + k.name(), Float64Reference.numericGradient(bd, 1e-6, a -> loss.getAsDouble()), dBiasFused, 1);
                assertThrows(IllegalStateException.class, () -> nll2.addBiasGradient(dBiasFused, 1), "once per forward");
            }
            Parallel.setThreads(Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * Training fills the logits by the output layer a few rows at a time, right before the loss pass reads them
     * (Wᵀ packed once, on all threads): the loss, d loss / d logits and the bias gradient are those of the whole
     * product followed by the pass, bit for bit, at 1 and 2 threads. 900 rows: chunks of 56-57 rows, each filled as
     * 24 + 24 + 8 or 9, V = 2,100 no multiple of a tile's width and Wᵀ (128 × 2,112 padded) large enough to be
     * packed in parallel; 832 rows: chunks of 52, whose last 4 rows alone would be a matrix-vector product; 40
     * rows: chunks of 2-3 rows; 40 × 8 → 12: blocks that alone would be tiny products.
     */
    @Test
    void logitsFilledRowsAtATimeGiveTheSameBits() {
        int ignore = -1;
        for (int[] shape : new int[][] {{900, 128, 2100}, {832, 40, 300}, {40, 24, 500}, {40, 8, 12}}) {
            int N = shape[0], I = shape[1], V = shape[2];
            SplittableRandom r = new SplittableRandom(4);
            ParamSet ps = ParamSet.builder().add("w", V, I).add("b", V).build();
            System.arraycopy(random(r, ps.size(), 0.3), 0, ps.data, 0, ps.size());
            float[] x = random(r, N * I, 1);
            int[] tgt = new int[N];
            for (int n = 0; n < N; n++) tgt[n] = n % 7 == 3 ? ignore : r.nextInt(V);
            Kernels k = Kernels.best();
            io.github.yuefu.kernel.Gemm gemm = io.github.yuefu.kernel.Gemms.best();
            Linear lin = new Linear(ps.view("w"), ps.view("b"), gemm, k);
            try {
                for (int threads : new int[] {1, 2}) {
                    Parallel.setThreads(threads);
                    String what = N + "x" + I + "x" + V + ", " + threads + " threads";
                    float[] whole = new float[N * V], dbWhole = new float[V];
                    lin.forwardWithoutBias(ps.data, x, 0, N, whole, 0);
                    LogSoftmaxNll a = new LogSoftmaxNll(k);
                    double lossWhole = a.forwardWithGradient(whole, N, V, ps.data, lin.biasOffset(), tgt, ignore);
                    a.addBiasGradient(dbWhole, 0);

                    float[] filled = new float[N * V], dbFilled = new float[V];
                    java.util.Arrays.fill(filled, Float.NaN);   // a row the source forgets shows up
                    io.github.yuefu.kernel.Gemm.PackedB wt = lin.packWeight(ps.data, null);
                    LogSoftmaxNll b = new LogSoftmaxNll(k);
                    double lossFilled = b.forwardWithGradient((from, to) -> lin.forwardRowsWithoutBias(wt, x, 0, N, from, to, filled, 0),
                            filled, N, V, ps.data, lin.biasOffset(), tgt, ignore);
                    b.addBiasGradient(dbFilled, 0);

                    assertEquals(Double.doubleToLongBits(lossWhole), Double.doubleToLongBits(lossFilled), what);
                    assertArrayEquals(whole, filled, what + ": d loss / d logits");
                    assertArrayEquals(dbWhole, dbFilled, what + ": bias gradient");
                }
            } finally {
                Parallel.setThreads(Runtime.getRuntime().availableProcessors());
            }
        }
    }

    /** Embedding and one-hot are linear in their tables: their backward must be the exact transpose of forward. */
    @Test
    void embeddingAndOneHotAreExactTransposes() {
        int B = 3, T = 5, V = 3001, E = 4, GH = 100; // V = 3001: several row blocks in the one-hot layer
        SplittableRandom r = new SplittableRandom(3);
        int[] ids = new int[B * T];
        for (int i = 0; i < ids.length; i++) ids[i] = i == 3 ? ids[1] : r.nextInt(V); // a repeated id
        // Embedding
        ParamSet ps = ParamSet.builder().add("embedding.weight", V, E).build();
        System.arraycopy(random(r, V * E, 1), 0, ps.data, 0, V * E);
        Embedding emb = new Embedding(ps.view("embedding.weight"));
        float[] out = new float[T * B * E], u = random(r, T * B * E, 1);
        emb.forward(ps.data, ids, B, T, out);
        emb.backward(ps.grad, ids, B, T, u);
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                for (int e = 0; e < E; e++) assertEquals(ps.data[ids[b * T + t] * E + e], out[(t * B + b) * E + e]);
            }
        }
        double[] dense = new double[V * E];
        for (int b = 0; b < B; b++) for (int t = 0; t < T; t++) for (int e = 0; e < E; e++) {
            dense[ids[b * T + t] * E + e] += u[(t * B + b) * E + e];
        }
        close("d embedding", dense, ps.grad, 0);
        // One-hot: W_ih (GH, V) at offset 7 of a larger buffer
        float[] w = random(r, 7 + GH * V, 1), dw = new float[7 + GH * V], gates = new float[T * B * GH];
        float[] dg = random(r, T * B * GH, 1);
        OneHot oh = new OneHot(V, GH);
        oh.forward(w, 7, ids, B, T, gates, 0);
        oh.backward(dw, 7, ids, B, T, dg);
        double[] dDense = new double[GH * V];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                int id = ids[b * T + t], row = t * B + b;
                for (int j = 0; j < GH; j++) {
                    assertEquals(w[7 + j * V + id], gates[row * GH + j]);
                    dDense[j * V + id] += dg[row * GH + j];
                }
            }
        }
        close("d W_ih one-hot", dDense, dw, 7);
    }

    @Test
    void dropoutMaskIsScaledSeededAndIndependentOfThreads() {
        int n = 200_000; // several parallel chunks
        float p = 0.3f;
        float[] x = new float[n];
        java.util.Arrays.fill(x, 1f);
        int keep = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[] one = new Dropout(p, Kernels.best()).forward(77, x, 0, n).clone();
            Parallel.setThreads(3);
            float[] three = new Dropout(p, Kernels.best()).forward(77, x, 0, n).clone();
            assertArrayEquals(one, three, "mask must not depend on the thread count");
            int zeros = 0;
            for (float v : one) {
                if (v == 0f) zeros++;
                else assertEquals(1f / (1f - p), v, 1e-6);
            }
            assertEquals(p, zeros / (double) n, 0.005);
            float[] other = new Dropout(p, Kernels.best()).forward(78, x, 0, n);
            assertTrue(!java.util.Arrays.equals(one, other), "another seed, another mask");
            Dropout d = new Dropout(p, Kernels.best());
            float[] y = d.forward(5, x, 0, n).clone();
            float[] g = new float[n];
            java.util.Arrays.fill(g, 2f);
            d.backward(g, 0, g, 0, n);
            for (int i = 0; i < n; i++) assertEquals(2 * y[i], g[i], 1e-6);
        } finally {
            Parallel.setThreads(keep);
        }
    }
}
