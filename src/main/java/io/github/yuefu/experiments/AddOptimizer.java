package io.github.yuefu.experiments;

import io.github.yuefu.tensor.ParamSet;

/** TEMPORARY stand-in for optim.Adam and optim.GradClip until the training package lands in main. */
final class AddOptimizer {
    private final float[] m, v;
    private long t;

    AddOptimizer(int size) {
        m = new float[size];
        v = new float[size];
    }

    void step(ParamSet p, double lr) {
        t++;
        double bc1 = 1 - Math.pow(0.9, t), bc2 = Math.sqrt(1 - Math.pow(0.999, t));
        for (int i = 0; i < p.data.length; i++) {
            float g = p.grad[i];
            m[i] = 0.9f * m[i] + 0.1f * g;
            v[i] = 0.999f * v[i] + 0.001f * g * g;
            p.data[i] -= (float) (lr / bc1 * m[i] / (Math.sqrt(v[i]) / bc2 + 1e-8));
        }
    }

    static void clip(float[] g, double max) {
        double s = 0;
        for (float x : g) s += (double) x * x;
        double norm = Math.sqrt(s);
        if (max > 0 && norm > max) for (int i = 0; i < g.length; i++) g[i] *= (float) (max / (norm + 1e-6));
    }
}
