package io.github.yuefu.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.Parallel;
import io.github.yuefu.kernel.ScalarGemm;
import io.github.yuefu.kernel.VectorGemm;
import java.lang.management.ManagementFactory;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The batch-1 step split by hidden units ({@link SplitStep}) against the plain step: the same bits for logits and
 * state, every step, for every cell, engine and thread count; sizes chosen so that the layers and the output layer
 * are big enough to be split over the threads, with H a multiple of 4 but not of 16 (a short last range).
 */
class SplitStepTest {
    static final int V = 1111, E = 40;

    static int hiddenFor(CellType cell) {
        return cell == CellType.RNN ? 260 : 132;   // each layer's step ≥ Parallel.MIN_MATVEC_MACS multiply-adds
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void splitStepHasThePlainStepsBitsAtAnyThreadCount(CellType cell) {
        ModelConfig cfg = new ModelConfig(cell, 2, V, InputKind.EMBEDDING, E, hiddenFor(cell), 0f);
        for (int layer = 0; layer < 2; layer++) {
            int in = layer == 0 ? E : cfg.hidden();
            assertTrue((long) cell.gates * cfg.hidden() * (in + cfg.hidden()) >= Parallel.MIN_MATVEC_MACS);
        }
        int saved = Parallel.threads();
        try {
            for (Gemm gemm : engines()) {
                for (int threads : new int[] {1, 2, 3}) {
                    Parallel.setThreads(threads);
                    compare(cfg, gemm, Kernels.best(), gemm.name() + ", " + threads + " threads");
                }
            }
            Parallel.setThreads(2);
            compare(cfg, new ScalarGemm(), Kernels.forName("scalar"), "scalar kernels");
        } finally {
            Parallel.setThreads(saved);
        }
    }

    static Gemm[] engines() {
        VectorSpecies<Float>[] widths = new VectorSpecies[] {FloatVector.SPECIES_128, FloatVector.SPECIES_256,
                FloatVector.SPECIES_PREFERRED};
        Gemm[] g = new Gemm[widths.length + 1];
        for (int i = 0; i < widths.length; i++) g[i] = VectorGemm.of(widths[i]);
        g[widths.length] = new ScalarGemm();
        return g;
    }

    static void compare(ModelConfig cfg, Gemm gemm, Kernels k, String what) {
        LanguageModel plain = new LanguageModel(cfg, gemm, k);
        plain.initialize(7);
        plain.splitSteps = false;
        LanguageModel split = plain.sharingWeights();
        // Frozen: layer 0's projection kept per token; room for 3 tokens, so later new tokens are projected each time.
        LanguageModel frozen = plain.sharingWeights();
        frozen.setWeightsFrozen(true);
        frozen.split.keptMax = 3L * cfg.cell().gates * cfg.hidden();
        RecurrentState sp = plain.newState(1), ss = split.newState(1), sf = frozen.newState(1);
        float[] lp = new float[V], ls = new float[V], lf = new float[V];
        int[] tp = {1}, ts = {1}, tf = {1};
        for (int step = 0; step < 16; step++) {
            plain.step(tp, 1, sp, lp);
            split.step(ts, 1, ss, ls);
            frozen.step(tf, 1, sf, lf);
            assertArrayEquals(lp, ls, what + ": logits differ at step " + step);
            assertArrayEquals(sp.h, ss.h, what + ": h differs at step " + step);
            if (sp.c != null) assertArrayEquals(sp.c, ss.c, what + ": c differs at step " + step);
            assertArrayEquals(lp, lf, what + ", frozen: logits differ at step " + step);
            assertArrayEquals(sp.h, sf.h, what + ", frozen: h differs at step " + step);
            if (sp.c != null) assertArrayEquals(sp.c, sf.c, what + ", frozen: c differs at step " + step);
            // A varied but shared sequence of tokens, every third one token 1 again (a kept projection is reused).
            tp[0] = ts[0] = tf[0] = step % 3 == 1 ? 1 : 1 + (step * 131 + argmax(lp)) % (V - 1);
        }
    }

    /** Unfreezing drops the kept projections: after the weights change, a refrozen model steps with the new ones. */
    @Test
    void unfreezingForgetsTheKeptProjections() {
        ModelConfig cfg = new ModelConfig(CellType.LSTM, 1, V, InputKind.EMBEDDING, E, 132, 0f);
        LanguageModel m = new LanguageModel(cfg);
        m.initialize(4);
        LanguageModel plain = m.sharingWeights();
        plain.splitSteps = false;
        m.setWeightsFrozen(true);
        float[] a = new float[V], b = new float[V];
        m.step(new int[] {9}, 1, m.newState(1), a);   // keeps token 9's projection
        assertThrows(IllegalStateException.class,
                () -> m.forward(new int[] {9}, new int[] {2}, 1, 1, -1, null, true), "no training while frozen");
        m.setWeightsFrozen(false);
        var emb = m.params().view("embedding.weight");
        for (int i = 0; i < E; i++) m.params().data[emb.offset() + 9 * E + i] += 0.5f;   // token 9's embedding moves
        m.setWeightsFrozen(true);
        m.step(new int[] {9}, 1, m.newState(1), a);
        plain.step(new int[] {9}, 1, plain.newState(1), b);
        assertArrayEquals(b, a, "the kept projection was dropped and recomputed from the new embedding");
    }

    static int argmax(float[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
        return best;
    }

    @Test
    void appliesOnlyWithAnEmbeddingAndHiddenAMultipleOf4() {
        assertTrue(SplitStep.applies(true, 132));
        assertEquals(false, SplitStep.applies(true, 30));
        assertEquals(false, SplitStep.applies(false, 132));
        // H = 30: the plain path, and still a working step
        LanguageModel m = new LanguageModel(new ModelConfig(CellType.GRU, 1, 50, InputKind.EMBEDDING, 8, 30, 0f));
        m.initialize(1);
        float[] logits = new float[50];
        m.step(new int[] {3}, 1, m.newState(1), logits);
        assertTrue(Float.isFinite(logits[0]));
    }

    @Test
    void splitStepAllocatesNothing() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int saved = Parallel.threads();
        Parallel.setThreads(1);   // on this thread only, so the count sees every byte
        try {
            // Scalar kernels: boxed vectors before C2 compiles a kernel are the JIT's business, not the engine's.
            LanguageModel m = new LanguageModel(new ModelConfig(CellType.LSTM, 2, V, InputKind.EMBEDDING, E, 132, 0f),
                    new ScalarGemm(), Kernels.forName("scalar"));
            m.initialize(3);
            RecurrentState s = m.newState(1);
            float[] logits = new float[V];
            int[] tok = {5};
            for (int i = 0; i < 3; i++) m.step(tok, 1, s, logits);
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20; i++) m.step(tok, 1, s, logits);
            long per = (mx.getCurrentThreadAllocatedBytes() - before) / 20;
            assertTrue(per < 64, "allocated " + per + " bytes per step");
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
