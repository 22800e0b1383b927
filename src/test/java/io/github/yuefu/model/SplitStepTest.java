package io.github.yuefu.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        RecurrentState sp = plain.newState(1), ss = split.newState(1);
        float[] lp = new float[V], ls = new float[V];
        int[] tp = {1}, ts = {1};
        for (int step = 0; step < 12; step++) {
            plain.step(tp, 1, sp, lp);
            split.step(ts, 1, ss, ls);
            assertArrayEquals(lp, ls, what + ": logits differ at step " + step);
            assertArrayEquals(sp.h, ss.h, what + ": h differs at step " + step);
            if (sp.c != null) assertArrayEquals(sp.c, ss.c, what + ": c differs at step " + step);
            tp[0] = ts[0] = 1 + (step * 131 + argmax(lp)) % (V - 1);   // a varied but shared sequence of tokens
        }
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
