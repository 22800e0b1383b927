package io.github.yuefu.optim;

import io.github.yuefu.kernel.Parallel;
import io.github.yuefu.tensor.ParamSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RMSprop as {@code torch.optim.RMSprop} (not centered, no momentum):
 * <pre>
 *   g  = grad + wd·p
 *   v  = α·v + (1−α)·g²
 *   p -= lr · g / (sqrt(v) + eps)
 * </pre>
 * PyTorch's defaults are α = 0.99, eps = 1e-8 (Keras and char-rnn use 0.9/0.95; we follow PyTorch).
 */
public final class RmsProp implements Optimizer {
    private final float alpha, eps, weightDecay;
    private final float[] squareAvg; // (P) running mean of g²
    private long t;

    public RmsProp(int size, double alpha, double eps, double weightDecay) {
        this.alpha = (float) alpha;
        this.eps = (float) eps;
        this.weightDecay = (float) weightDecay;
        this.squareAvg = new float[size];
    }

    @Override
    public void step(ParamSet params, double lr) {
        t++;
        float lrF = (float) lr;
        float[] p = params.data, g = params.grad;
        Parallel.forRange(p.length, 1 << 15, (from, to) -> {
            for (int i = from; i < to; i++) {
                float gi = weightDecay == 0f ? g[i] : g[i] + weightDecay * p[i];
                float v = squareAvg[i] = alpha * squareAvg[i] + (1 - alpha) * gi * gi;
                p[i] -= lrF * gi / ((float) Math.sqrt(v) + eps);
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
        m.put("square_avg", squareAvg);
        return m;
    }

    @Override
    public void restore(Map<String, float[]> moments, long steps) {
        Optimizer.copyMoments(moments(), moments, kind());
        this.t = steps;
    }

    @Override
    public String kind() {
        return "rmsprop";
    }
}
