package io.github.yuefu.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.tensor.ParamSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Three updates on a 4-vector compared with torch.optim (torch 1.13, float32). The expected values were printed
 * by this script, kept here so anyone can re-run it:
 * <pre>
 *   p = nn.Parameter(tensor([0.5, -1.0, 2.0, 0.0])); opt = ...
 *   for g in [[.1,-.2,.3,0], [.05,.4,-.3,1], [-.2,.1,0,-.5]]: opt.zero_grad(); p.grad = tensor(g); opt.step()
 * </pre>
 */
class OptimizerTest {
    private static final float[][] GRADS = {{0.1f, -0.2f, 0.3f, 0f}, {0.05f, 0.4f, -0.3f, 1f}, {-0.2f, 0.1f, 0f, -0.5f}};

    private static float[] run(Optimizer opt, double lr) {
        ParamSet ps = ParamSet.builder().add("w", 4).build();
        System.arraycopy(new float[] {0.5f, -1f, 2f, 0f}, 0, ps.data, 0, 4);
        for (float[] g : GRADS) {
            System.arraycopy(g, 0, ps.grad, 0, 4);
            opt.step(ps, lr);
        }
        return ps.data;
    }

    @Test
    void adamMatchesTorch() { // torch.optim.Adam(lr=0.01)
        assertArrayEquals(new float[] {0.4827417731285095f, -0.9978175759315491f, 1.9909331798553467f, -0.009727771393954754f},
                run(new Adam(4, 0.9, 0.999, 1e-8, 0), 0.01), 1e-6f);
    }

    @Test
    void adamWithWeightDecayMatchesTorch() { // torch.optim.Adam(lr=0.01, weight_decay=0.1): L2 into the gradient
        assertArrayEquals(new float[] {0.4787159264087677f, -0.990976870059967f, 1.9789187908172607f, -0.009722837246954441f},
                run(new Adam(4, 0.9, 0.999, 1e-8, 0.1), 0.01), 1e-6f);
    }

    @Test
    void rmspropMatchesTorch() { // torch.optim.RMSprop(lr=0.01): alpha 0.99, eps 1e-8
        assertArrayEquals(new float[] {0.4425727427005768f, -1.0114796161651611f, 1.9708881378173828f, -0.05509866401553154f},
                run(new RmsProp(4, 0.99, 1e-8, 0), 0.01), 1e-6f);
    }

    @Test
    void sgdMomentumMatchesTorch() { // torch.optim.SGD(lr=0.1, momentum=0.9)
        assertArrayEquals(new float[] {0.48340001702308655f, -1.0318000316619873f, 1.9757000207901f, -0.14000000059604645f},
                run(new Sgd(4, 0.9, 0), 0.1), 1e-6f);
    }

    @Test
    void plainSgdWithWeightDecayMatchesTorch() { // torch.optim.SGD(lr=0.1, weight_decay=0.01)
        assertArrayEquals(new float[] {0.5035264492034912f, -1.0270029306411743f, 1.9940359592437744f, -0.04990000277757645f},
                run(new Sgd(4, 0, 0.01), 0.1), 1e-6f);
    }

    @Test
    void adamFirstStepByHand() {
        // t=1: m = 0.1 g, v = 0.001 g², m̂ = g, v̂ = g² → p -= lr · g / (|g| + eps) ≈ lr · sign(g)
        ParamSet ps = ParamSet.builder().add("w", 2).build();
        ps.grad[0] = 0.5f;
        ps.grad[1] = -2f;
        new Adam(2, 0.9, 0.999, 1e-8, 0).step(ps, 0.1);
        assertEquals(-0.1f, ps.data[0], 1e-6f);
        assertEquals(0.1f, ps.data[1], 1e-6f);
    }

    @Test
    void restoredOptimizerContinuesIdentically() {
        Adam a = new Adam(4, 0.9, 0.999, 1e-8, 0);
        ParamSet ps = ParamSet.builder().add("w", 4).build();
        System.arraycopy(GRADS[0], 0, ps.grad, 0, 4);
        a.step(ps, 0.01);
        Adam b = new Adam(4, 0.9, 0.999, 1e-8, 0);
        b.restore(Map.of("exp_avg", a.moments().get("exp_avg").clone(), "exp_avg_sq", a.moments().get("exp_avg_sq").clone()), a.steps());
        ParamSet ps2 = ParamSet.builder().add("w", 4).build();
        System.arraycopy(ps.data, 0, ps2.data, 0, 4);
        for (ParamSet p : new ParamSet[] {ps, ps2}) System.arraycopy(GRADS[1], 0, p.grad, 0, 4);
        a.step(ps, 0.01);
        b.step(ps2, 0.01);
        assertArrayEquals(ps.data, ps2.data, 0f);
        assertThrows(ConfigException.class, () -> new RmsProp(4, 0.99, 1e-8, 0).restore(a.moments(), 1));
    }

    @Test
    void clipMatchesTorchAndReturnsPreClipNorm() { // clip_grad_norm_([3,4,0], 1.0) → 5.0, [0.6, 0.8, 0]
        float[] g = {3f, 4f, 0f};
        assertEquals(5.0, GradClip.clip(g, 1.0), 1e-12);
        assertArrayEquals(new float[] {0.5999999046325684f, 0.7999998331069946f, 0f}, g, 1e-7f);
        float[] small = {0.3f, 0.4f};
        assertEquals(0.5, GradClip.clip(small, 1.0), 1e-6);
        assertArrayEquals(new float[] {0.3f, 0.4f}, small, 0f);
        float[] bad = {Float.NaN, 1f};
        assertTrue(Double.isNaN(GradClip.clip(bad, 1.0)));
    }

    /** The norm is summed in fixed pieces: the same bits at 1 and 2 threads, and close to the exact value. */
    @Test
    void clipNormIsIndependentOfTheThreadCount() {
        int saved = io.github.yuefu.kernel.Parallel.threads();
        try {
            java.util.SplittableRandom r = new java.util.SplittableRandom(3);
            float[] g = new float[100_003];
            double exact = 0;
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) r.nextGaussian();
                exact += (double) g[i] * g[i];
            }
            io.github.yuefu.kernel.Parallel.setThreads(1);
            float[] one = g.clone();
            double n1 = GradClip.clip(one, 5.0);
            io.github.yuefu.kernel.Parallel.setThreads(2);
            float[] two = g.clone();
            double n2 = GradClip.clip(two, 5.0);
            assertEquals(Double.doubleToLongBits(n1), Double.doubleToLongBits(n2));
            assertArrayEquals(one, two, 0f);
            assertEquals(Math.sqrt(exact), n1, 1e-9 * Math.sqrt(exact));
        } finally {
            io.github.yuefu.kernel.Parallel.setThreads(saved);
        }
    }
}
