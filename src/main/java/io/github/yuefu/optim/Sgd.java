package io.github.yuefu.optim;

import io.github.yuefu.kernel.Parallel;
import io.github.yuefu.tensor.ParamSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD with optional momentum as {@code torch.optim.SGD} (dampening 0, no Nesterov):
 * <pre>
 *   g  = grad + wd·p
 *   b  = g at the first step, then μ·b + g
 *   p -= lr · b          (with μ = 0: p -= lr · g)
 * </pre>
 * Starting b at zero and always computing μ·b + g gives the same first step, so no special case is needed.
 */
public final class Sgd implements Optimizer {
    private final float momentum, weightDecay;
    private final float[] buf; // (P) momentum buffer b; length 0 without momentum
    private long t;

    public Sgd(int size, double momentum, double weightDecay) {
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        this.buf = new float[momentum == 0 ? 0 : size];
    }

    @Override
    public void step(ParamSet params, double lr) {
        t++;
        float lrF = (float) lr;
        float[] p = params.data, g = params.grad;
        Parallel.forRange(p.length, 1 << 15, (from, to) -> {
            for (int i = from; i < to; i++) {
                float gi = weightDecay == 0f ? g[i] : g[i] + weightDecay * p[i];
                if (buf.length != 0) gi = buf[i] = momentum * buf[i] + gi;
                p[i] -= lrF * gi;
            }
        });
    }

    @Override
    public long steps() {
        return t;
    }

    @Override
    public Map<String, float[]> moments() {
        Map<String, float[]> m = new LinkedHashMap<>();
        if (buf.length != 0) m.put("momentum_buffer", buf);
        return m;
    }

    @Override
    public void restore(Map<String, float[]> moments, long steps) {
        Optimizer.copyMoments(moments(), moments, kind());
        this.t = steps;
    }

    @Override
    public String kind() {
        return "sgd";
    }
}
