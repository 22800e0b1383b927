package io.github.yuefu.optim;

import io.github.yuefu.kernel.Parallel;
import io.github.yuefu.tensor.ParamSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba), exactly as {@code torch.optim.Adam} with {@code amsgrad=False}:
 * <pre>
 *   g  = grad + wd·p
 *   m  = β1·m + (1−β1)·g            v = β2·v + (1−β2)·g²
 *   p -= lr/(1−β1^t) · m / (sqrt(v)/sqrt(1−β2^t) + eps)      (eps outside the square root, after bias correction)
 * </pre>
 * Elementwise over (P), split into contiguous chunks across threads: each element's arithmetic is the same
 * whatever the chunking, so results are bit-identical at any thread count.
 */
public final class Adam implements Optimizer {
    private final float beta1, beta2, eps, weightDecay;
    private final float[] expAvg;   // (P) first moment m
    private final float[] expAvgSq; // (P) second moment v
    private long t;

    public Adam(int size, double beta1, double beta2, double eps, double weightDecay) {
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
        this.weightDecay = (float) weightDecay;
        this.expAvg = new float[size];
        this.expAvgSq = new float[size];
    }

    @Override
    public void step(ParamSet params, double lr) {
        t++;
        // Bias corrections in double, as PyTorch computes them in Python floats.
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2 = 1 - Math.pow(beta2, t);
        float stepSize = (float) (lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float[] p = params.data, g = params.grad;
        Parallel.forRange(p.length, 1 << 15, (from, to) -> {
            for (int i = from; i < to; i++) {
                float gi = weightDecay == 0f ? g[i] : g[i] + weightDecay * p[i];
                float m = expAvg[i] = beta1 * expAvg[i] + (1 - beta1) * gi;
                float v = expAvgSq[i] = beta2 * expAvgSq[i] + (1 - beta2) * gi * gi;
                float denom = (float) Math.sqrt(v) / bc2Sqrt + eps;
                p[i] -= stepSize * m / denom;
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
        m.put("exp_avg", expAvg);
        m.put("exp_avg_sq", expAvgSq);
        return m;
    }

    @Override
    public void restore(Map<String, float[]> moments, long steps) {
        Optimizer.copyMoments(moments(), moments, kind());
        this.t = steps;
    }

    @Override
    public String kind() {
        return "adam";
    }
}
