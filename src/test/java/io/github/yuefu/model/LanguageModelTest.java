package io.github.yuefu.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.ScalarGemm;
import io.github.yuefu.tensor.ParamSet;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour of the model beyond the numbers: determinism, dropout, state carry, generation, allocation, errors. */
class LanguageModelTest {

    static ModelConfig config(CellType cell, InputKind input, float dropout) {
        return new ModelConfig(cell, 2, 23, input, 8, 16, dropout);
    }

    static int[] randomIds(long seed, int n, int vocab) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = 1 + r.nextInt(vocab - 1);
        return a;
    }

    record Run(double loss, float[] grad, float[] dLogits, long rng) {}

    static Run trainStep(ModelConfig cfg, long seed, int batch, int time) {
        LanguageModel m = new LanguageModel(cfg);
        m.initialize(seed);
        m.setRngState(99);
        int[] x = randomIds(1, batch * time, cfg.vocab()), y = randomIds(2, batch * time, cfg.vocab());
        y[3] = 0;
        double loss = m.forward(x, y, batch, time, 0, m.newState(batch), true);
        float[] dLogits = java.util.Arrays.copyOf(m.logitGradients(), batch * time * cfg.vocab());
        m.backward();
        return new Run(loss, m.params().grad.clone(), dLogits, m.rngState());
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void sameSeedGivesBitIdenticalResultsWithAndWithoutDropout(CellType cell) {
        for (float dropout : new float[] {0f, 0.3f}) {
            ModelConfig cfg = config(cell, InputKind.EMBEDDING, dropout);
            Run a = trainStep(cfg, 42, 6, 9), b = trainStep(cfg, 42, 6, 9);
            assertEquals(Double.doubleToLongBits(a.loss), Double.doubleToLongBits(b.loss));
            assertArrayEquals(a.grad, b.grad);
            assertArrayEquals(a.dLogits, b.dLogits);
            assertEquals(a.rng, b.rng);
        }
        Run plain = trainStep(config(cell, InputKind.EMBEDDING, 0f), 42, 6, 9);
        Run dropped = trainStep(config(cell, InputKind.EMBEDDING, 0.3f), 42, 6, 9);
        assertNotEquals(plain.loss, dropped.loss, "dropout must change the training loss");
        assertNotEquals(99L, dropped.rng, "the dropout RNG advances");
        assertEquals(99L, plain.rng, "no dropout, no draws");
    }

    /**
     * Stronger than the brief's "bit-identical at a fixed thread count": every parallel piece of the engine splits
     * work so that each output element is computed by one thread in a fixed order (fixed chunks for the bias
     * gradient, per-row NLLs summed in order, counter-based dropout), so 1 and 3 threads agree bit for bit too.
     */
    @Test
    void resultsDoNotDependOnTheThreadCount() {
        ModelConfig cfg = new ModelConfig(CellType.LSTM, 2, 300, InputKind.EMBEDDING, 32, 64, 0.25f);
        int keep = io.github.yuefu.kernel.Parallel.threads();
        try {
            io.github.yuefu.kernel.Parallel.setThreads(1);
            Run one = trainStep(cfg, 5, 8, 16);
            io.github.yuefu.kernel.Parallel.setThreads(3);
            Run three = trainStep(cfg, 5, 8, 16);
            assertEquals(Double.doubleToLongBits(one.loss), Double.doubleToLongBits(three.loss));
            assertArrayEquals(one.dLogits, three.dLogits);
            assertArrayEquals(one.grad, three.grad);
        } finally {
            io.github.yuefu.kernel.Parallel.setThreads(keep);
        }
    }

    /**
     * A small recurrent part next to a large output layer: backward runs the recurrent layers on one thread while
     * dW_out goes in blocks of rows on whichever thread is free. Every gradient, the initial-state gradient
     * included, must be the bits of the plain order (dW_out whole, then the recurrent layers), at 1, 2 and 3
     * threads, with dropout and a carried state, for both inputs.
     */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void recurrentBackwardBesideOutputWeightsGivesTheSameBits(CellType cell) {
        int keep = io.github.yuefu.kernel.Parallel.threads();
        try {
            for (InputKind input : InputKind.values()) {
                ModelConfig cfg = new ModelConfig(cell, 2, 2100, input, 6, 8, 0.2f);
                assertTrue(LanguageModel.overlapsOutputWeights(cfg), cell + " " + input);
                float[][] plain = null;
                for (int threads : new int[] {1, 1, 2, 3}) {
                    io.github.yuefu.kernel.Parallel.setThreads(threads);
                    LanguageModel m = new LanguageModel(cfg);
                    m.setOverlapOutputWeights(plain != null);
                    m.initialize(13);
                    m.setRngState(7);
                    int batch = 5, time = 7;
                    RecurrentState state = m.newState(batch);
                    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
                    for (int i = 0; i < state.h.length; i++) state.h[i] = (float) r.nextGaussian() * 0.5f;
                    int[] x = randomIds(1, batch * time, cfg.vocab()), y = randomIds(2, batch * time, cfg.vocab());
                    m.forward(x, y, batch, time, -1, state, true);
                    m.backward();
                    RecurrentState dh0 = m.initialStateGradient();
                    float[][] run = {m.params().grad.clone(), dh0.h, dh0.c == null ? new float[0] : dh0.c};
                    if (plain == null) plain = run;
                    else for (int i = 0; i < run.length; i++) {
                        assertArrayEquals(plain[i], run[i], cell + " " + input + ", " + threads + " threads: part " + i);
                    }
                }
            }
        } finally {
            io.github.yuefu.kernel.Parallel.setThreads(keep);
        }
        assertFalse(LanguageModel.overlapsOutputWeights(new ModelConfig(cell, 2, 6000, InputKind.EMBEDDING, 128, 256, 0f)),
                "config A's recurrent part splits over threads itself");
    }

    /**
     * A step's cell kernels split by batch rows across the pool once B·H is large (RecurrentLayer.cellStep):
     * here 130 rows of H = 200 go in 3 pieces at 3 threads and stay whole at 1. Every output, every gradient and
     * the initial-state gradient must be the same bits; a carried state and dropout make every input of the
     * kernels non-trivial.
     */
    @ParameterizedTest
    @EnumSource(CellType.class)
    void cellStepsSplitByRowsGiveTheSameBitsAsOneThread(CellType cell) {
        ModelConfig cfg = new ModelConfig(cell, 2, 50, InputKind.EMBEDDING, 16, 200, 0.2f);
        int batch = 130, time = 3;
        int keep = io.github.yuefu.kernel.Parallel.threads();
        try {
            float[][] one = null;
            for (int threads : new int[] {1, 3}) {
                io.github.yuefu.kernel.Parallel.setThreads(threads);
                LanguageModel m = new LanguageModel(cfg);
                m.initialize(11);
                m.setRngState(5);
                RecurrentState state = m.newState(batch);
                java.util.SplittableRandom r = new java.util.SplittableRandom(3);
                for (int i = 0; i < state.h.length; i++) state.h[i] = (float) r.nextGaussian() * 0.5f;
                if (state.c != null) for (int i = 0; i < state.c.length; i++) state.c[i] = (float) r.nextGaussian();
                int[] x = randomIds(1, batch * time, 50), y = randomIds(2, batch * time, 50);
                double loss = m.forward(x, y, batch, time, -1, state, true);
                m.backward();
                RecurrentState dh0 = m.initialStateGradient();
                float[][] run = {new float[] {(float) loss}, m.params().grad.clone(), state.h.clone(), dh0.h,
                        dh0.c == null ? new float[0] : dh0.c};
                if (one == null) one = run;
                else for (int i = 0; i < run.length; i++) assertArrayEquals(one[i], run[i], cell + ": part " + i);
            }
        } finally {
            io.github.yuefu.kernel.Parallel.setThreads(keep);
        }
    }

    @Test
    void dropoutIsOffOutsideTrainingAndRngStateReplaysTheMask() {
        ModelConfig cfg = config(CellType.LSTM, InputKind.EMBEDDING, 0.5f);
        LanguageModel m = new LanguageModel(cfg);
        m.initialize(3);
        int[] x = randomIds(4, 20, 23), y = randomIds(5, 20, 23);
        double eval1 = m.forward(x, y, 4, 5, 0, null, false);
        double eval2 = m.forward(x, y, 4, 5, 0, null, false);
        assertEquals(eval1, eval2);
        m.setRngState(1234);
        double t1 = m.forward(x, y, 4, 5, 0, null, true);
        double t2 = m.forward(x, y, 4, 5, 0, null, true);
        assertNotEquals(t1, t2, "a fresh mask each call");
        m.setRngState(1234);
        assertEquals(t1, m.forward(x, y, 4, 5, 0, null, true), "restoring the RNG state replays the mask");
        LanguageModel noDrop = new LanguageModel(config(CellType.LSTM, InputKind.EMBEDDING, 0f));
        System.arraycopy(m.params().data, 0, noDrop.params().data, 0, m.params().size());
        assertEquals(eval1, noDrop.forward(x, y, 4, 5, 0, null, true), 1e-6, "eval = no-dropout model");
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void carryingStateAcrossWindowsEqualsOneLongWindow(CellType cell) {
        for (InputKind input : InputKind.values()) {
            ModelConfig cfg = config(cell, input, 0f);
            LanguageModel m = new LanguageModel(cfg);
            m.initialize(8);
            int B = 3, T = 8;
            int[] x = randomIds(6, B * T, 23), y = randomIds(7, B * T, 23);
            RecurrentState whole = m.newState(B);
            m.forward(x, y, B, T, 0, whole, false);
            float[] lpWhole = java.util.Arrays.copyOf(m.logProbs(), B * T * 23);
            // The same text as two windows of T/2 with the state carried.
            RecurrentState carried = m.newState(B);
            int half = T / 2;
            for (int w = 0; w < 2; w++) {
                int[] xs = new int[B * half], ys = new int[B * half];
                for (int b = 0; b < B; b++) {
                    System.arraycopy(x, b * T + w * half, xs, b * half, half);
                    System.arraycopy(y, b * T + w * half, ys, b * half, half);
                }
                m.forward(xs, ys, B, half, 0, carried, false);
                for (int b = 0; b < B; b++) {
                    for (int t = 0; t < half; t++) {
                        for (int v = 0; v < 23; v++) {
                            assertEquals(lpWhole[(b * T + w * half + t) * 23 + v], m.logProbs()[(b * half + t) * 23 + v], 2e-6);
                        }
                    }
                }
            }
            assertArrayEquals(whole.h, carried.h, 1e-6f);
            if (whole.c != null) assertArrayEquals(whole.c, carried.c, 1e-6f);
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void stepReproducesForwardLogitsAndState(CellType cell) {
        for (InputKind input : InputKind.values()) {
            ModelConfig cfg = config(cell, input, 0.2f);
            LanguageModel m = new LanguageModel(cfg);
            m.initialize(9);
            int B = 4, T = 6, V = 23;
            int[] x = randomIds(10, B * T, V);
            RecurrentState s = m.newState(B);
            m.forward(x, null, B, T, 0, s, false);
            float[] lp = m.logProbs();
            RecurrentState g = m.newState(B);
            float[] logits = new float[B * V];
            int[] tok = new int[B];
            for (int t = 0; t < T; t++) {
                for (int b = 0; b < B; b++) tok[b] = x[b * T + t];
                m.step(tok, B, g, logits);
                for (int b = 0; b < B; b++) {
                    new io.github.yuefu.kernel.ScalarKernels().logSoftmax(logits, b * V, V, null, 0);
                    for (int v = 0; v < V; v++) assertEquals(lp[(b * T + t) * V + v], logits[b * V + v], 2e-6);
                }
            }
            assertArrayEquals(s.h, g.h, 1e-6f);
            if (s.c != null) assertArrayEquals(s.c, g.c, 1e-6f);
        }
    }

    @Test
    void lossCountsOnlyNonIgnoredTargetsAndLogProbsNormalise() {
        LanguageModel m = new LanguageModel(config(CellType.GRU, InputKind.ONEHOT, 0f));
        m.initialize(1);
        int[] x = randomIds(3, 12, 23), y = randomIds(4, 12, 23);
        y[0] = -100;
        y[5] = -100;
        double loss = m.forward(x, y, 3, 4, -100, null, false);
        assertEquals(10, m.lastTargetCount());
        assertEquals(loss * 10, m.lastSumNll(), 1e-9);
        double sum = 0;
        for (int v = 0; v < 23; v++) sum += Math.exp(m.logProbs()[5 * 23 + v]);
        assertEquals(1.0, sum, 1e-5);
        java.util.Arrays.fill(y, -100);
        assertEquals(0.0, m.forward(x, y, 3, 4, -100, null, true));
        m.params().zeroGrad();
        m.backward();
        for (float g : m.params().grad) assertEquals(0f, g);
    }

    @Test
    void initializeFollowsPyTorchDefaults() {
        LanguageModel m = new LanguageModel(new ModelConfig(CellType.LSTM, 1, 500, InputKind.EMBEDDING, 64, 100, 0f));
        m.initialize(7);
        ParamSet ps = m.params();
        double bound = 1 / Math.sqrt(100);
        for (ParamSet.View v : ps.views()) {
            double sum = 0, sq = 0, max = 0;
            for (int i = v.offset(); i < v.offset() + v.size(); i++) {
                sum += ps.data[i];
                sq += ps.data[i] * ps.data[i];
                max = Math.max(max, Math.abs(ps.data[i]));
            }
            double mean = sum / v.size(), sd = Math.sqrt(sq / v.size() - mean * mean);
            if (v.name().equals("embedding.weight")) {
                assertEquals(0, mean, 0.02);
                assertEquals(1, sd, 0.02);
            } else {
                assertTrue(max <= bound, v.name());
                if (v.size() > 1000) assertEquals(bound / Math.sqrt(3), sd, 0.01 * bound, v.name());
            }
        }
        LanguageModel again = new LanguageModel(m.config());
        again.initialize(7);
        assertArrayEquals(ps.data, again.params().data);
    }

    @Test
    void parameterNamesAndShapesFollowPyTorch() {
        LanguageModel m = new LanguageModel(new ModelConfig(CellType.GRU, 2, 30, InputKind.ONEHOT, 0, 6, 0f));
        ParamSet ps = m.params();
        assertFalse(ps.has("embedding.weight"));
        assertArrayEquals(new int[] {18, 30}, ps.view("rnn.weight_ih_l0").shape());
        assertArrayEquals(new int[] {18, 6}, ps.view("rnn.weight_ih_l1").shape());
        assertArrayEquals(new int[] {18, 6}, ps.view("rnn.weight_hh_l1").shape());
        assertArrayEquals(new int[] {18}, ps.view("rnn.bias_hh_l1").shape());
        assertArrayEquals(new int[] {30, 6}, ps.view("output.weight").shape());
        assertArrayEquals(new int[] {30}, ps.view("output.bias").shape());
        assertEquals(30, m.vocab());
    }

    @Test
    void repeatedWindowsAndStepsAllocateNothing() {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // Scalar kernels: the Vector API allocates boxed vectors until C2 has compiled a kernel, which is the
        // JIT's business; the engine's own buffers are what this test is about.
        LanguageModel m = new LanguageModel(config(CellType.LSTM, InputKind.EMBEDDING, 0.1f), new ScalarGemm(),
                Kernels.forName("scalar"));
        m.initialize(2);
        int B = 2, T = 4; // small: one chunk, so Parallel runs inline
        int[] x = randomIds(1, B * T, 23), y = randomIds(2, B * T, 23);
        RecurrentState s = m.newState(B);
        float[] logits = new float[B * 23];
        int[] tok = {3, 4};
        for (int i = 0; i < 3; i++) {
            m.forward(x, y, B, T, 0, s, true);
            m.backward();
            m.step(tok, B, s, logits);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20; i++) {
            m.forward(x, y, B, T, 0, s, true);
            m.backward();
            m.step(tok, B, s, logits);
        }
        long per = (mx.getCurrentThreadAllocatedBytes() - before) / 20;
        System.out.println("bytes allocated per forward+backward+step: " + per);
        assertTrue(per < 512, "allocated " + per + " bytes per iteration");
    }

    @Test
    void badShapesAndIdsAreRejectedWithAMessage() {
        LanguageModel m = new LanguageModel(config(CellType.RNN, InputKind.EMBEDDING, 0f));
        int[] x = randomIds(1, 6, 23);
        var e = assertThrows(IllegalArgumentException.class, () -> m.forward(x, x, 2, 4, 0, null, false));
        assertTrue(e.getMessage().contains("B·T"), e.getMessage());
        x[2] = 23;
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(x, null, 2, 3, 0, null, false));
        assertTrue(e.getMessage().contains("outside vocabulary"), e.getMessage());
        x[2] = 1;
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(x, null, 2, 3, 0, m.newState(3), false));
        assertTrue(e.getMessage().contains("state"), e.getMessage());
        assertThrows(IllegalStateException.class, m::backward);
        m.forward(x, null, 2, 3, 0, null, false);
        assertThrows(IllegalStateException.class, m::backward, "eval forward keeps nothing for backward");
        assertThrows(IllegalArgumentException.class, () -> m.step(new int[] {1}, 1, m.newState(1), new float[5]));
    }
}
