package io.github.yuefu.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * VectorGemm against the scalar reference over odd shapes (tails in every dimension), every transpose case,
 * offsets, leading dimensions larger than needed, alpha/beta values, at every lane width this CPU has
 * (64-bit = two lanes, the "SIMD nearly off" case, up to the preferred width), and on 1 and 2 threads.
 *
 * <p>Tolerance: float sums in a different order differ by about K·ε·Σ|a·b|, so each element is compared with
 * 2e-6·K·(|alpha|·Σ_p |a_ip·b_pj| + |beta·c_ij|) + 1e-30, computed from an absolute-value product.
 */
class VectorGemmTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** Every lane width this CPU has, each with every tile model (12 × L and 12 × 2L). */
    static List<Gemm> allWidths() {
        List<Gemm> out = new ArrayList<>();
        int max = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        for (int bits = 64; bits <= max; bits *= 2) {
            VectorSpecies<Float> s = VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
            for (VectorGemm.Tiles t : VectorGemm.Tiles.values()) out.add(VectorGemm.of(s, t));
        }
        return out;
    }

    /** One random case: sizes, flags, offsets, leading dimensions, alpha, beta; checks the whole C buffer. */
    static void check(Gemm g, SplittableRandom rnd, boolean ta, boolean tb, int m, int n, int k,
                      float alpha, float beta, boolean nanC) {
        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
        int lda = aCols + rnd.nextInt(3), ldb = bCols + rnd.nextInt(3), ldc = n + rnd.nextInt(3);
        int aOff = rnd.nextInt(4), bOff = rnd.nextInt(4), cOff = rnd.nextInt(4);
        float[] a = random(rnd, aOff + aRows * lda), b = random(rnd, bOff + bRows * ldb);
        float[] c = random(rnd, cOff + m * ldc + 3);
        if (nanC) java.util.Arrays.fill(c, Float.NaN);
        float[] want = c.clone(), got = c.clone();
        new ScalarGemm().sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, want, cOff, ldc);
        g.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, got, cOff, ldc);
        // Magnitude of each sum, for the tolerance.
        float[] absA = abs(a), absB = abs(b), mag = new float[c.length];
        new ScalarGemm().sgemm(ta, tb, m, n, k, Math.abs(alpha), absA, aOff, lda, absB, bOff, ldb, 0f, mag, cOff, ldc);
        for (int i = 0; i < c.length; i++) {
            int r = (i - cOff) / ldc, q = (i - cOff) % ldc;
            boolean inside = i >= cOff && r < m && q < n;
            if (!inside) {
                if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(c[i])) {
                    fail(g + " wrote outside C at " + i + " " + desc(ta, tb, m, n, k, alpha, beta));
                }
                continue;
            }
            double tol = 2e-6 * (k + 2) * (mag[i] + (beta == 0f ? 0 : Math.abs(beta * c[i]))) + 1e-30;
            if (!(Math.abs(got[i] - want[i]) <= tol)) {
                fail(g.name() + " C[" + r + "," + q + "] = " + got[i] + ", scalar " + want[i] + " (tol " + tol + ") "
                        + desc(ta, tb, m, n, k, alpha, beta));
            }
        }
    }

    static String desc(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta) {
        return "for transA=" + ta + " transB=" + tb + " m=" + m + " n=" + n + " k=" + k
                + " alpha=" + alpha + " beta=" + beta;
    }

    static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.abs(x[i]);
        return y;
    }

    private static final float[] ALPHAS = {1f, -0.5f, 2f};
    private static final float[] BETAS = {0f, 1f, 0.25f};

    @Test
    void randomOddShapesAllWidthsAllTransposes() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (Gemm g : allWidths()) {
            for (int t = 0; t < 4; t++) {
                for (int rep = 0; rep < 25; rep++) {
                    int m = 1 + rnd.nextInt(70), n = 1 + rnd.nextInt(70), k = 1 + rnd.nextInt(70);
                    check(g, rnd, (t & 1) != 0, (t & 2) != 0, m, n, k,
                            ALPHAS[rnd.nextInt(3)], BETAS[rnd.nextInt(3)], false);
                }
            }
        }
    }

    /** The register transpose of each width that has one against the definition, with offsets and strides. */
    @Test
    void transposeBlockTransposesAndWritesNothingElse() {
        SplittableRandom rnd = new SplittableRandom(5);
        int max = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        for (int bits = 64; bits <= max; bits *= 2) {
            VectorGemm g = VectorGemm.of(VectorSpecies.of(float.class, VectorShape.forBitSize(bits)));
            assertEquals(bits >= 256, g.transposes(), bits + "-bit species: register transpose");
            if (!g.transposes()) continue;
            int l = bits / 32, lds = l + 5, ldd = l + 3, sOff = 2, dOff = 7;
            float[] src = random(rnd, sOff + l * lds), dst = random(rnd, dOff + l * ldd + 4), before = dst.clone();
            g.transposeBlock(src, sOff, lds, dst, dOff, ldd);
            for (int x = 0; x < dst.length; x++) {
                int i = (x - dOff) / ldd, p = (x - dOff) % ldd;
                boolean inside = x >= dOff && i < l && p < l;
                float want = inside ? src[sOff + p * lds + i] : before[x];
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(dst[x]), bits + "-bit at " + x);
            }
        }
    }

    @Test
    void everySmallSizeOnThePreferredWidth() {
        SplittableRandom rnd = new SplittableRandom(11);
        Gemm g = VectorGemm.create();
        int[] sizes = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 47, 49};
        for (int m : sizes) {
            for (int n : sizes) {
                int k = sizes[rnd.nextInt(sizes.length)];
                int t = rnd.nextInt(4);
                check(g, rnd, (t & 1) != 0, (t & 2) != 0, m, n, k, ALPHAS[rnd.nextInt(3)], BETAS[rnd.nextInt(3)], false);
            }
        }
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (Gemm g : allWidths()) {
            for (int t = 0; t < 4; t++) {
                for (int[] s : new int[][] {{3, 5, 7}, {1, 40, 33}, {20, 70, 9}, {37, 3, 65}, {2, 100, 300}}) {
                    check(g, rnd, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1.5f, 0f, true);
                }
            }
        }
    }

    @Test
    void blocksLargerThanOnePanel() {
        // K beyond KC = 256 and N beyond NC = 512: several packed blocks, beta applied only on the first.
        SplittableRandom rnd = new SplittableRandom(5);
        Gemm g = VectorGemm.create();
        for (int t = 0; t < 4; t++) {
            check(g, rnd, (t & 1) != 0, (t & 2) != 0, 37, 531, 523, 1f, 0.5f, false);
            check(g, rnd, (t & 1) != 0, (t & 2) != 0, 3, 700, 600, -1f, 1f, false);   // small-M path
            check(g, rnd, (t & 1) != 0, (t & 2) != 0, 150, 17, 300, 1f, 0f, false);   // split over rows
            check(g, rnd, (t & 1) != 0, (t & 2) != 0, 21, 1100, 300, 1f, 0.5f, false); // A packed once, shared
        }
        Parallel.setThreads(1);
        for (int t = 0; t < 4; t++) {
            // One task, more rows than a chunk, one KC block, several NC panels: B packed whole, A in chunks.
            check(g, rnd, (t & 1) != 0, (t & 2) != 0, 150, 600, 100, 1f, 0.25f, false);
        }
        Parallel.setThreads(2);
        for (int t = 0; t < 4; t++) {
            check(g, rnd, (t & 1) != 0, (t & 2) != 0, 21, 1100, 300, 1f, 0.5f, false); // shared A, 2 threads
            check(g, rnd, (t & 1) != 0, (t & 2) != 0, 333, 45, 270, -1f, 0f, false);   // rows, 2 threads
        }
    }

    @Test
    void zeroKOrAlphaScalesC() {
        SplittableRandom rnd = new SplittableRandom(9);
        Gemm g = VectorGemm.create();
        check(g, rnd, false, false, 20, 30, 0, 1f, 0.5f, false);
        check(g, rnd, false, true, 20, 30, 40, 0f, 2f, false);
        float[] c = {Float.NaN, Float.NaN};
        g.sgemm(false, false, 1, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {0f, 0f}, c);
    }

    @Test
    void bitIdenticalAcrossRunsAndThreadCounts() {
        SplittableRandom rnd = new SplittableRandom(13);
        Gemm g = VectorGemm.create();
        // {299, 200, 70}: a row split with a tail cut across columns (the last eighth of the rows, part-filled tile).
        int[][] shapes = {{64, 512, 128}, {150, 100, 300}, {2, 1000, 256}, {400, 40, 130}, {299, 200, 70}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], k = s[2];
                float[] a = random(rnd, m * k), b = random(rnd, k * n), c0 = random(rnd, m * n);
                float[][] results = new float[3][];
                int[] threads = {1, 2, 2};
                for (int r = 0; r < 3; r++) {
                    Parallel.setThreads(threads[r]);
                    float[] c = c0.clone();
                    g.sgemm(ta, tb, m, n, k, 0.7f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0.3f, c, 0, n);
                    results[r] = c;
                }
                for (int r = 1; r < 3; r++) {
                    for (int i = 0; i < results[0].length; i++) {
                        if (Float.floatToRawIntBits(results[0][i]) != Float.floatToRawIntBits(results[r][i])) {
                            fail("run " + r + " differs at " + i + desc(ta, tb, m, n, k, 0.7f, 0.3f));
                        }
                    }
                }
            }
        }
    }

    /**
     * A pre-packed B gives the plain call's result bit for bit (same numbers, same order), on every width, both B
     * layouts, every path (tiny, matrix-vector, column- and row-split, K over one block, N over one panel, edges),
     * at 1 and 2 threads; a holder is refilled in place when reused; the scalar GEMM's default packing agrees too.
     */
    @Test
    void prepackedOperandIsBitIdenticalToThePlainCall() {
        SplittableRandom rnd = new SplittableRandom(21);
        int[][] shapes = {{5, 7, 9}, {1, 1000, 256}, {3, 70, 33}, {64, 1024, 256}, {64, 256, 1024}, {17, 45, 300},
                {300, 40, 70}, {64, 600, 260}, {33, 513, 31}};
        List<Gemm> gemms = new ArrayList<>(allWidths());
        gemms.add(new ScalarGemm());
        for (Gemm g : gemms) {
            Gemm.PackedB holder = null;
            for (int[] s : shapes) {
                if (g instanceof ScalarGemm && s[0] * s[1] * s[2] > 1 << 20) continue; // slow reference
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int m = s[0], n = s[1], k = s[2], ldb = (tb ? k : n) + 3;
                    float[] a = random(rnd, m * k), b = random(rnd, 2 + (tb ? n : k) * ldb), c0 = random(rnd, m * n);
                    float beta = BETAS[t % 3];
                    holder = g.pack(tb, k, n, b, 2, ldb, holder);
                    assertEquals(k, holder.k());
                    assertEquals(n, holder.n());
                    for (int threads : new int[] {1, 2}) {
                        Parallel.setThreads(threads);
                        float[] want = c0.clone(), got = c0.clone();
                        g.sgemm(ta, tb, m, n, k, 0.7f, a, 0, ta ? m : k, b, 2, ldb, beta, want, 0, n);
                        g.sgemm(ta, m, n, k, 0.7f, a, 0, ta ? m : k, holder, beta, got, 0, n);
                        for (int i = 0; i < want.length; i++) {
                            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                                fail(g + " packed differs at " + i + " on " + threads + " thread(s) "
                                        + desc(ta, tb, m, n, k, 0.7f, beta));
                            }
                        }
                    }
                }
            }
        }
        // A holder from one GEMM is refused by another, and a size mismatch is refused.
        Gemm v = VectorGemm.create();
        Gemm.PackedB p = v.pack(false, 4, 4, new float[16], 0, 4, null);
        float[] c = new float[16];
        try {
            new ScalarGemm().sgemm(false, 4, 4, 4, 1f, new float[16], 0, 4, p, 0f, c, 0, 4);
            fail("scalar GEMM accepted a vector-packed operand");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("another GEMM"));
        }
        try {
            v.sgemm(false, 4, 5, 4, 1f, new float[16], 0, 4, p, 0f, new float[20], 0, 5);
            fail("a 4x4 packed operand served a 4x5 product");
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains("4x4"));
        }
    }

    /**
     * sgemmRows over blocks of rows gives the whole product's bits, for both op(A), whatever the blocks: also where
     * a block alone would take another path than the whole (a block of ≤ 4 rows of a product that is not a
     * matrix-vector one, a block under 16 rows of a product that is not tiny, and the other way round), on 1 and
     * 2 threads and inside a pool job. The training step computes the logits, and config D's dW_out, this way.
     */
    @Test
    void rowBlocksHaveTheWholeProductsBits() {
        SplittableRandom rnd = new SplittableRandom(31);
        int[][] shapes = {{40, 12, 8}, {832, 300, 40}, {3, 50, 20}, {4, 9, 5}, {5, 70, 33}, {17, 45, 300}, {100, 513, 256}};
        List<Gemm> gemms = new ArrayList<>(allWidths());
        gemms.add(new ScalarGemm());
        for (Gemm g : gemms) {
            for (int[] s : shapes) {
                for (boolean ta : new boolean[] {false, true}) {
                    int m = s[0], n = s[1], k = s[2], lda = ta ? m : k;
                    float[] a = random(rnd, m * k), b = random(rnd, k * n), c0 = random(rnd, m * n);
                    Gemm.PackedB packed = g.pack(false, k, n, b, 0, n, null);
                    for (int threads : new int[] {1, 2}) {
                        Parallel.setThreads(threads);
                        for (float beta : new float[] {0f, 1f}) {
                            float[] whole = c0.clone(), blocks = c0.clone(), inJob = c0.clone();
                            g.sgemm(ta, false, m, n, k, 0.7f, a, 0, lda, b, 0, n, beta, whole, 0, n);
                            int[] cuts = {0, Math.min(m, 1), Math.min(m, 4), Math.min(m, 11), Math.min(m, 35), m};
                            for (int i = 0; i + 1 < cuts.length; i++) {
                                g.sgemmRows(ta, m, cuts[i], cuts[i + 1], n, k, 0.7f, a, 0, lda, packed, beta, blocks, 0, n);
                            }
                            String what = g + " " + desc(ta, false, m, n, k, 0.7f, beta) + " " + threads + " thread(s)";
                            assertArrayEquals(whole, blocks, what);
                            Parallel.forTasks(cuts.length - 1, (t, tEnd) -> g.sgemmRows(ta, m, cuts[t], cuts[t + 1], n, k,
                                    0.7f, a, 0, lda, packed, beta, inJob, 0, n));
                            assertArrayEquals(whole, inJob, what + ", blocks inside a pool job");
                        }
                    }
                }
            }
        }
    }

    /**
     * gemvRows on row blocks that start at multiples of 4 gives the whole matrix-vector product's bits (the split
     * generation step relies on it), for blocks of 8-, 4- and 1-row groups and a K with a scalar tail; and it is a
     * correct product (against the scalar GEMM, to rounding).
     */
    @Test
    void gemvRowBlocksHaveTheWholeProductsBits() {
        SplittableRandom rnd = new SplittableRandom(11);
        List<Gemm> engines = new ArrayList<>(allWidths());
        engines.add(new ScalarGemm());
        for (Gemm g : engines) {
            for (int[] nk : new int[][] {{43, 37}, {64, 16}, {300, 129}, {20, 5}}) {
                int n = nk[0], k = nk[1];
                float[] w = random(rnd, n * k + 3), x = random(rnd, k + 2), whole = random(rnd, n), part = whole.clone();
                for (float beta : new float[] {0f, 1f}) {
                    g.sgemm(false, true, 1, n, k, 1f, x, 2, k, w, 3, k, beta, whole, 0, n);
                    for (int r0 = 0; r0 < n; ) {
                        int r1 = Math.min(n, r0 + 4 * (1 + rnd.nextInt(5)));
                        g.gemvRows(r1 - r0, k, 1f, w, 3 + r0 * k, k, x, 2, beta, part, r0);
                        r0 = r1;
                    }
                    assertArrayEquals(whole, part, g + " n=" + n + " k=" + k + " beta=" + beta);
                    float[] ref = part.clone();
                    new ScalarGemm().sgemm(false, true, 1, n, k, 1f, x, 2, k, w, 3, k, 0f, ref, 0, n);
                    float[] got = new float[n];
                    g.gemvRows(n, k, 1f, w, 3, k, x, 2, 0f, got, 0);
                    for (int i = 0; i < n; i++) assertEquals(ref[i], got[i], 1e-5f * k, g.name() + " row " + i);
                }
            }
        }
    }

    /**
     * Both tile models — 12 × L and 12 × 2L (8-row tiles at the bottom, A packed per task, KC blocks inside row
     * chunks) — give the same bits: every element is the same fma chain over k. So
     * results do not depend on which register file the machine has, nor on the thread count. Shapes cover the
     * model's (M = 64 recurrent steps, 4096-row output products, transposed weight gradients with K over many
     * blocks), part-filled tiles at every height, N over one panel, and row splits of 1-3 threads.
     */
    @Test
    void everyTileModelGivesTheSameBits() {
        SplittableRandom rnd = new SplittableRandom(31);
        int[][] shapes = {{64, 520, 256}, {64, 256, 520}, {400, 40, 130}, {13, 70, 600}, {60, 530, 70},
                {16, 33, 257}, {29, 9, 513}, {150, 70, 300}, {9, 17, 40}, {130, 24, 530}, {299, 200, 70}};
        int max = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        for (int bits = 128; bits <= max; bits *= 2) {
            VectorSpecies<Float> sp = VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
            Gemm wide = VectorGemm.of(sp, VectorGemm.Tiles.ROWS_12X2L);
            Gemm[] models = {VectorGemm.of(sp, VectorGemm.Tiles.ROWS_12XL), wide};
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int m = s[0], n = s[1], k = s[2];
                    float[] a = random(rnd, m * k), b = random(rnd, k * n), c0 = random(rnd, m * n);
                    float beta = BETAS[t % 3];
                    Parallel.setThreads(1);
                    float[] want = c0.clone();
                    wide.sgemm(ta, tb, m, n, k, 0.7f, a, 0, ta ? m : k, b, 0, tb ? k : n, beta, want, 0, n);
                    for (int threads = 1; threads <= 3; threads++) {
                        Parallel.setThreads(threads);
                        for (Gemm g : models) {
                            float[] got = c0.clone();
                            g.sgemm(ta, tb, m, n, k, 0.7f, a, 0, ta ? m : k, b, 0, tb ? k : n, beta, got, 0, n);
                            for (int i = 0; i < want.length; i++) {
                                if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                                    fail(g + " on " + threads + " thread(s) differs from " + wide + " on 1 at " + i
                                            + desc(ta, tb, m, n, k, 0.7f, beta));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** The row models' tile heights cover the rows exactly, waste no rows at batch 64 or 32, few elsewhere. */
    @Test
    void tileHeightsOfTheRowModels() {
        for (int m = 1; m <= 300; m++) {
            int r = 0, tiles = 0;
            while (r < m) {
                int h = VectorGemm.rowTileHeight(m - r);
                assertTrue(h == 12 || h == 8, "height " + h);
                r += h;
                tiles++;
            }
            assertEquals(r, VectorGemm.paddedRows(m));
            assertTrue(r - m <= 7, "m=" + m + " pads " + (r - m) + " rows");
            assertTrue(tiles <= (m + 11) / 12 + 1, "m=" + m + ": " + tiles + " tiles");
        }
        assertEquals(64, VectorGemm.paddedRows(64));   // 4·12 + 2·8
        assertEquals(32, VectorGemm.paddedRows(32));   // 12 + 12 + 8
        assertEquals(36, VectorGemm.paddedRows(36));
    }

    @Test
    void namesAndFactory() {
        assertEquals("vector-" + FloatVector.SPECIES_PREFERRED.vectorBitSize(), Gemms.forName("vector").name());
        assertEquals("scalar", Gemms.forName("scalar").name());
        assertEquals("vector-128", Gemms.forName("vector-128").name());
        assertTrue(Gemms.best() instanceof VectorGemm);
        try {
            Gemms.forName("nope");
            fail("expected ConfigException");
        } catch (io.github.yuefu.config.ConfigException e) {
            assertTrue(e.getMessage().contains("scalar"), e.getMessage());
        }
    }
}
