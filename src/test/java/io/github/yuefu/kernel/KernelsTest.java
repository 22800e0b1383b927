package io.github.yuefu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every kernel, scalar (SIMD off) and Vector API at every lane width (64…512 bits), over odd sizes so the vector
 * body and the scalar tail both run. The scalar kernels are checked against float64 formulas; the vector ones
 * against the scalar ones (they differ by exp/tanh ulps only).
 */
class KernelsTest {
    static final int[] SIZES = {1, 2, 3, 5, 7, 8, 15, 16, 17, 31, 33, 64, 100};
    static final double TOL = 2e-6; // relative to max(1, |x|)

    static List<Kernels> all() {
        List<Kernels> ks = new ArrayList<>();
        ks.add(new ScalarKernels());
        for (int bits : new int[] {64, 128, 256, 512}) ks.add(VectorKernels.ofBits(bits));
        return ks;
    }

    static float[] random(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-scale, scale);
        return a;
    }

    static void close(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(want[i] - got[i]);
            if (!(d <= TOL * Math.max(1.0, Math.abs(want[i])))) {
                fail(what + ": element " + i + " want " + want[i] + " got " + got[i]);
            }
        }
    }

    /** Runs op on fresh copies of the inputs with each kernel set and compares all arrays with the scalar run. */
    static void agree(String name, float[][] inputs, KernelOp op) {
        float[][] ref = copy(inputs);
        op.run(new ScalarKernels(), ref);
        for (Kernels k : all()) {
            float[][] got = copy(inputs);
            op.run(k, got);
            for (int a = 0; a < ref.length; a++) close(ref[a], got[a], name + " " + k.name() + " array " + a);
        }
    }

    interface KernelOp {
        void run(Kernels k, float[][] arrays);
    }

    static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    static void forSizes(Consumer<Integer> body) {
        for (int n : SIZES) body.accept(n);
    }

    static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void rowOpsAgree() {
        SplittableRandom r = new SplittableRandom(1);
        forSizes(n -> {
            int rows = 3, off = 2;
            float[] y = random(r, off + rows * n, 2), bias = random(r, n + 1, 2), b2 = random(r, n, 2);
            agree("addBiasRows", new float[][] {y, bias}, (k, a) -> k.addBiasRows(a[0], off, rows, n, a[1], 1));
            agree("fillRows", new float[][] {y, bias, b2}, (k, a) -> k.fillRows(a[0], off, rows, n, a[1], 1, a[2], 0));
            agree("fillRows1", new float[][] {y, bias}, (k, a) -> k.fillRows(a[0], off, rows, n, a[1], 0, null, 0));
            agree("sumRowsInto", new float[][] {y, bias}, (k, a) -> k.sumRowsInto(a[0], off, rows, n, a[1], 1));
            agree("mul", new float[][] {y, b2, bias}, (k, a) -> k.mul(a[0], off, a[1], 0, a[2], 1, n));
            // float64 truth for the scalar twin
            float[] s = bias.clone();
            new ScalarKernels().sumRowsInto(y, off, rows, n, s, 1);
            for (int j = 0; j < n; j++) {
                double want = bias[1 + j];
                for (int q = 0; q < rows; q++) want += y[off + q * n + j];
                assertEquals(want, s[1 + j], 1e-5);
            }
        });
    }

    @Test
    void rnnKernelsAgreeAndMatchTheFormula() {
        SplittableRandom r = new SplittableRandom(2);
        forSizes(n -> {
            float[] a = random(r, n + 1, 4), h = new float[n + 2], dOut = random(r, n, 1), dRec = random(r, n, 1),
                    dA = new float[n];
            agree("rnnForward", new float[][] {a, h}, (k, x) -> k.rnnForward(x[0], 1, x[1], 2, n));
            float[] hv = random(r, n, 0.99);
            agree("rnnBackward", new float[][] {hv, dOut, dRec, dA}, (k, x) -> k.rnnBackward(x[0], 0, x[1], 0, x[2], 0, x[3], 0, n));
            new ScalarKernels().rnnForward(a, 1, h, 2, n);
            for (int i = 0; i < n; i++) assertEquals(Math.tanh(a[1 + i]), h[2 + i], 1e-6);
        });
    }

    @Test
    void lstmKernelsAgreeAndMatchTheFormula() {
        SplittableRandom r = new SplittableRandom(3);
        forSizes(hd -> {
            int rows = 2;
            float[] gates = random(r, 1 + rows * 4 * hd, 5), cPrev = random(r, rows * hd, 2), c = new float[rows * hd],
                    h = new float[rows * hd];
            agree("lstmForward", new float[][] {gates, cPrev, c, h},
                    (k, x) -> k.lstmForward(x[0], 1, x[1], 0, x[2], 0, x[3], 0, rows, hd));
            // in place c (generation) must equal out of place
            agree("lstmForwardInPlace", new float[][] {gates, cPrev, h},
                    (k, x) -> k.lstmForward(x[0], 1, x[1], 0, x[1], 0, x[2], 0, rows, hd));
            float[] act = gates.clone();
            new ScalarKernels().lstmForward(act, 1, cPrev, 0, c, 0, h, 0, rows, hd);
            for (int q = 0; q < rows; q++) {
                for (int j = 0; j < hd; j++) {
                    int g = 1 + q * 4 * hd;
                    double i = sig(gates[g + j]), f = sig(gates[g + hd + j]), gg = Math.tanh(gates[g + 2 * hd + j]),
                            o = sig(gates[g + 3 * hd + j]);
                    double cv = f * cPrev[q * hd + j] + i * gg;
                    assertEquals(cv, c[q * hd + j], 1e-5);
                    assertEquals(o * Math.tanh(cv), h[q * hd + j], 1e-5);
                }
            }
            float[] dOut = random(r, rows * hd, 1), dRec = random(r, rows * hd, 1), dc = random(r, rows * hd, 1),
                    dGates = new float[rows * 4 * hd + 3];
            float[] tanhC = new float[c.length];
            for (int i = 0; i < c.length; i++) tanhC[i] = (float) Math.tanh(c[i]);
            agree("tanh", new float[][] {c, new float[c.length + 2]}, (k, x) -> k.tanh(x[0], 0, x[1], 2, x[0].length));
            agree("lstmBackward", new float[][] {act, cPrev, tanhC, dOut, dRec, dc, dGates},
                    (k, x) -> k.lstmBackward(x[0], 1, x[1], 0, x[2], 0, x[3], 0, x[4], 0, x[5], 0, x[6], 3, rows, hd));
        });
    }

    @Test
    void gruKernelsAgreeAndMatchTheFormula() {
        SplittableRandom r = new SplittableRandom(4);
        forSizes(hd -> {
            int rows = 2;
            float[] xg = random(r, rows * 3 * hd, 3), hg = random(r, rows * 3 * hd + 1, 3), hPrev = random(r, rows * hd, 1),
                    h = new float[rows * hd];
            agree("gruForward", new float[][] {xg, hg, hPrev, h},
                    (k, x) -> k.gruForward(x[0], 0, x[1], 1, x[2], 0, x[3], 0, rows, hd));
            agree("gruForwardInPlace", new float[][] {xg, hg, hPrev},
                    (k, x) -> k.gruForward(x[0], 0, x[1], 1, x[2], 0, x[2], 0, rows, hd));
            float[] act = xg.clone();
            new ScalarKernels().gruForward(act, 0, hg, 1, hPrev, 0, h, 0, rows, hd);
            for (int q = 0; q < rows; q++) {
                for (int j = 0; j < hd; j++) {
                    int x = q * 3 * hd, y = 1 + q * 3 * hd;
                    double rv = sig(xg[x + j] + hg[y + j]), z = sig(xg[x + hd + j] + hg[y + hd + j]);
                    double n = Math.tanh(xg[x + 2 * hd + j] + rv * hg[y + 2 * hd + j]);
                    assertEquals((1 - z) * n + z * hPrev[q * hd + j], h[q * hd + j], 1e-5);
                }
            }
            float[] dOut = random(r, rows * hd, 1), dh = random(r, rows * hd, 1), dXg = new float[rows * 3 * hd],
                    dHg = new float[rows * 3 * hd];
            agree("gruBackward", new float[][] {act, hg, hPrev, dOut, dh, dXg, dHg},
                    (k, x) -> k.gruBackward(x[0], 0, x[1], 1, x[2], 0, x[3], 0, x[4], 0, x[5], 0, x[6], 0, rows, hd));
        });
    }

    @Test
    void argmaxIsTheFirstLargestIgnoringNaN() {
        SplittableRandom r = new SplittableRandom(9);
        forSizes(n -> {
            float[] x = random(r, n + 2, 8);
            for (int trial = 0; trial < 6; trial++) {
                float[] y = x.clone();
                if (trial >= 1 && n > 0) y[1 + r.nextInt(n)] = Float.NaN;
                if (trial >= 2 && n > 1) y[1 + r.nextInt(n)] = y[1 + r.nextInt(n)];             // a tie, perhaps of the max
                if (trial >= 3 && n > 0) y[1] = Float.NaN;                                       // NaN first
                if (trial == 4) java.util.Arrays.fill(y, 1, 1 + n, Float.NEGATIVE_INFINITY);   // all masked
                if (trial == 5) java.util.Arrays.fill(y, 1, 1 + n, Float.NaN);                 // nothing to pick
                int want = -1;
                for (int i = 0; i < n; i++) {
                    float v = y[1 + i];
                    if (!Float.isNaN(v) && (want < 0 || v > y[1 + want])) want = i;
                }
                for (Kernels k : all()) assertEquals(want, k.argmax(y, 1, n), k.name() + " n=" + n + " trial " + trial);
            }
        });
        float[] zeros = {0f, -0f, 0f};
        for (Kernels k : all()) assertEquals(0, k.argmax(zeros, 0, 3), k.name() + ": ±0 tie keeps the first");
    }

    @Test
    void logSoftmaxAndItsBackwardAgree() {
        SplittableRandom r = new SplittableRandom(5);
        forSizes(n -> {
            float[] x = random(r, n + 2, 8);
            float[] lse = new float[1];
            float[] bias = random(r, n + 3, 2);
            agree("logSoftmax", new float[][] {x, lse}, (k, a) -> a[1][0] = k.logSoftmax(a[0], 1, n, null, 0));
            agree("logSoftmaxBias", new float[][] {x, lse, bias}, (k, a) -> a[1][0] = k.logSoftmax(a[0], 1, n, a[2], 3));
            float[] withBias = x.clone();
            new ScalarKernels().logSoftmax(withBias, 1, n, bias, 3);
            float[] biased = x.clone();
            for (int i = 0; i < n; i++) biased[1 + i] += bias[3 + i];
            new ScalarKernels().logSoftmax(biased, 1, n, null, 0);
            for (int i = 0; i < n; i++) assertEquals(biased[1 + i], withBias[1 + i], 1e-6);
            float[] lp = x.clone();
            new ScalarKernels().logSoftmax(lp, 1, n, null, 0);
            double sum = 0;
            for (int i = 0; i < n; i++) sum += Math.exp(lp[1 + i]);
            assertEquals(1.0, sum, 1e-5);
            int target = n / 2;
            float[] colSum = random(r, n + 2, 1);
            agree("softmaxMinusOneHot", new float[][] {lp}, (k, a) -> k.softmaxMinusOneHot(a[0], 1, n, target, 0.25f, null, 0));
            agree("softmaxMinusOneHotSum", new float[][] {lp, colSum},
                    (k, a) -> k.softmaxMinusOneHot(a[0], 1, n, target, 0.25f, a[1], 2));
            float[] g = lp.clone();
            new ScalarKernels().softmaxMinusOneHot(g, 1, n, target, 0.25f, null, 0);
            double gs = 0;
            for (int i = 0; i < n; i++) gs += g[1 + i];
            assertEquals(0.0, gs, 1e-6); // softmax sums to one, minus the one-hot
        });
    }

    /**
     * The fused training pass against the two passes it replaces, per kernel: the same NLL bit for bit (same max,
     * same sum, same lse), the same gradient and bias-gradient sums to rounding; and every kernel against the
     * scalar one.
     */
    @Test
    void logSoftmaxGradIsBothPassesInOne() {
        SplittableRandom r = new SplittableRandom(6);
        forSizes(n -> {
            float[] x = random(r, n + 2, 8), bias = random(r, n + 3, 2), colSum = random(r, n + 2, 1);
            float[] nll = new float[1];
            for (int target : new int[] {0, n / 2, n - 1}) {
                agree("logSoftmaxGrad", new float[][] {x, nll, colSum},
                        (k, a) -> a[1][0] = k.logSoftmaxGrad(a[0], 1, n, null, 0, target, 0.25f, a[2], 2));
                agree("logSoftmaxGradBias", new float[][] {x, nll, bias},
                        (k, a) -> a[1][0] = k.logSoftmaxGrad(a[0], 1, n, a[2], 3, target, 0.25f, null, 0));
                for (Kernels k : all()) {
                    float[] twoPass = x.clone(), sumTwo = colSum.clone();
                    k.logSoftmax(twoPass, 1, n, bias, 3);
                    float nllTwo = -twoPass[1 + target];
                    k.softmaxMinusOneHot(twoPass, 1, n, target, 0.25f, sumTwo, 2);
                    float[] fused = x.clone(), sumFused = colSum.clone();
                    float nllFused = k.logSoftmaxGrad(fused, 1, n, bias, 3, target, 0.25f, sumFused, 2);
                    assertEquals(Float.floatToIntBits(nllTwo), Float.floatToIntBits(nllFused), k.name() + " n " + n);
                    close(twoPass, fused, "gradient " + k.name() + " n " + n);
                    close(sumTwo, sumFused, "bias gradient " + k.name() + " n " + n);
                    assertEquals(x[0], fused[0], k.name() + ": writes outside the row");
                    assertEquals(x[n + 1], fused[n + 1], k.name() + ": writes outside the row");
                }
            }
        });
    }

    @Test
    void extremeInputsStayFinite() {
        for (Kernels k : all()) {
            float[] g = new float[4 * 17];
            for (int i = 0; i < g.length; i++) g[i] = (i % 2 == 0 ? 1 : -1) * 200f;
            float[] c = new float[17], h = new float[17];
            k.lstmForward(g, 0, c, 0, c, 0, h, 0, 1, 17);
            for (float v : h) assertTrue(Float.isFinite(v), k.name());
            float[] x = {1000f, -1000f, 0f, 999f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f, 3f};
            float[] g2 = x.clone();
            k.logSoftmax(x, 0, x.length, null, 0);
            for (float v : x) assertTrue(!Float.isNaN(v), k.name());
            float nll = k.logSoftmaxGrad(g2, 0, g2.length, null, 0, 1, 1f, null, 0);
            assertEquals(-x[1], nll, k.name() + ": −1000 against a maximum of 1000 (lse 1000.31)");
            for (float v : g2) assertTrue(Float.isFinite(v), k.name());
        }
    }

    /**
     * The row maximum must be the true one wherever it sits (the vector kernels keep several running maxima): one 0
     * among −1000s, at every position of rows up to five 512-bit blocks of four vectors long, with and without a
     * bias. With any smaller "maximum" exp(0 − max) overflows and the log-probabilities are no longer 0 and −1000.
     */
    @Test
    void theMaximumIsFoundAtEveryPosition() {
        for (Kernels k : all()) {
            for (int n : new int[] {1, 17, 63, 64, 65, 100, 129, 320}) {
                for (int p = 0; p < n; p++) {
                    float[] x = new float[n + 2], bias = new float[n + 1];
                    java.util.Arrays.fill(x, -1000f);
                    x[1 + p] = 0f;
                    float[] withBias = x.clone();
                    withBias[1 + p] = -1f;
                    bias[1 + p] = 1f;   // 0 only once the bias is added
                    assertEquals(0f, k.logSoftmax(x, 1, n, null, 0), k.name() + " n=" + n + " p=" + p);
                    assertEquals(0f, k.logSoftmax(withBias, 1, n, bias, 1), k.name() + " bias n=" + n + " p=" + p);
                    for (int i = 0; i < n; i++) {
                        float want = i == p ? 0f : -1000f;
                        assertEquals(want, x[1 + i], k.name() + " n=" + n + " p=" + p + " i=" + i);
                        assertEquals(want, withBias[1 + i], k.name() + " bias n=" + n + " p=" + p + " i=" + i);
                    }
                }
            }
        }
    }

    /** The vector exp (used by σ, tanh, log-softmax) against Math.exp over the whole float range. */
    @Test
    void vectorExpIsAccurate() {
        var s = jdk.incubator.vector.FloatVector.SPECIES_256;
        float[] x = new float[8], y = new float[8];
        double worst = 0;
        for (float v = -87f; v < 88f; v += 0.01234f) {
            for (int i = 0; i < 8; i++) x[i] = v + i * 0.001f;
            VectorMath.exp(jdk.incubator.vector.FloatVector.fromArray(s, x, 0)).intoArray(y, 0);
            for (int i = 0; i < 8; i++) {
                double want = Math.exp(x[i]);
                worst = Math.max(worst, Math.abs(y[i] - want) / want);
            }
        }
        System.out.printf("vector exp: worst relative error %.2e%n", worst);
        assertTrue(worst < 5e-7, "worst relative error " + worst);
    }

    /**
     * Regression: lanewise(EXP/TANH) and reduceLanes(ADD) give different bits before and after C2 compiles a
     * kernel, which made a fixed seed's results depend on JIT timing. The kernels must give the same bits cold
     * (the first call) and hot (after many calls).
     */
    @Test
    void sameBitsBeforeAndAfterTheJitCompilesAKernel() {
        Kernels k = VectorKernels.ofBits(256);
        SplittableRandom r = new SplittableRandom(9);
        int hd = 17;
        float[] g0 = random(r, 4 * 4 * hd, 6), x0 = random(r, 67, 9);
        float[][] cold = lstmAndSoftmax(k, g0, x0, hd);
        for (int i = 0; i < 20_000; i++) lstmAndSoftmax(k, g0, x0, hd);
        float[][] hot = lstmAndSoftmax(k, g0, x0, hd);
        for (int a = 0; a < cold.length; a++) org.junit.jupiter.api.Assertions.assertArrayEquals(cold[a], hot[a]);
    }

    static float[][] lstmAndSoftmax(Kernels k, float[] g0, float[] x0, int hd) {
        float[] g = g0.clone(), c = new float[4 * hd], h = new float[4 * hd], x = x0.clone();
        k.lstmForward(g, 0, c, 0, c, 0, h, 0, 4, hd);
        float lse = k.logSoftmax(x, 0, x.length, null, 0);
        return new float[][] {g, c, h, x, {lse}};
    }

    @Test
    void namesAndChoice() {
        assertEquals("scalar", Kernels.forName("scalar").name());
        assertEquals("vector-128", Kernels.forName("vector-128").name());
        assertTrue(Kernels.best().name().startsWith("vector-") || Kernels.best().name().equals("scalar"));
    }
}
