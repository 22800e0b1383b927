package io.github.yuefu.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.CellType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdderTest {

    /**
     * The backward pass against central differences along random directions (float32 engine, so a directional
     * derivative over all parameters rather than one weight at a time: its difference is far above rounding).
     */
    @Test
    void gradientMatchesFiniteDifferencesForEveryCell() {
        for (CellType cell : CellType.values()) {
            Adder adder = new Adder(cell, 3, 5);
            adder.initialize(7);
            AdditionProblems.Batch p = AdditionProblems.training(new SplittableRandom(1), 3, 4, DigitOrder.LSB);
            var ps = adder.params();
            ps.zeroGrad();
            adder.forward(p);
            adder.backward();
            SplittableRandom rnd = new SplittableRandom(11);
            for (int trial = 0; trial < 3; trial++) {
                float[] d = new float[ps.size()];
                double analytic = 0;
                for (int i = 0; i < d.length; i++) {
                    d[i] = (float) rnd.nextGaussian();
                    analytic += (double) d[i] * ps.grad[i];
                }
                double eps = 1e-2;
                double up = lossAt(adder, p, d, eps), down = lossAt(adder, p, d, -eps);
                double numeric = (up - down) / (2 * eps);
                assertEquals(numeric, analytic, 2e-2 * Math.max(1, Math.abs(numeric)), cell + " trial " + trial);
            }
        }
    }

    private static double lossAt(Adder adder, AdditionProblems.Batch p, float[] d, double eps) {
        float[] w = adder.params().data;
        float[] saved = w.clone();
        for (int i = 0; i < w.length; i++) w[i] += (float) (eps * d[i]);
        double loss = adder.forward(p);
        System.arraycopy(saved, 0, w, 0, w.length);
        return loss;
    }

    @Test
    void lstmLearnsTwoDigitSumsInAFewHundredSteps() {
        AddConfig cfg = new AddConfig(CellType.LSTM, 2, DigitOrder.LSB, 8, 32, 64, 600, 0.02, 5, 0, 2000, 1, 3);
        AddExperiment.Result r = AddExperiment.run(cfg, new java.io.PrintWriter(java.io.Writer.nullWriter()));
        assertTrue(r.exactMatch() >= 0.97, "held-out exact match " + r.exactMatch());
        assertEquals(3, r.positions().size());
        assertEquals(2, r.curve().size());
    }
}
