package io.github.yuefu.nn;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * An independent float64 reference of the whole model, written as plain loops straight from the equations
 * (PyTorch's nn.RNN/LSTM/GRU docs): one sequence element, one step, one gate row at a time, a dense one-hot
 * vector for one-hot input. Slow and obviously right. It has no backward: its gradients are central finite
 * differences in float64 ({@link #numericGradient}), accurate to ~1e-9 at these tiny sizes, which is what the
 * float32 engine's analytic gradients are compared with.
 */
public final class Float64Reference {
    private Float64Reference() {}

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /**
     * One recurrent layer over T steps. x (T, B, I) time-major; h0, c0 (B, H) or null for zeros.
     * Returns {outputs (T, B, H), final h (B, H), final c (B, H) (LSTM) or null}.
     */
    public static double[][] layer(CellType cell, int batch, int time, int in, int hidden,
                                   double[] wih, double[] whh, double[] bih, double[] bhh,
                                   double[] x, double[] h0, double[] c0) {
        int H = hidden, G = cell.gates;
        double[] out = new double[time * batch * H];
        double[] hFinal = new double[batch * H];
        double[] cFinal = cell == CellType.LSTM ? new double[batch * H] : null;
        for (int b = 0; b < batch; b++) {
            double[] h = new double[H], c = new double[H];
            for (int j = 0; j < H; j++) {
                if (h0 != null) h[j] = h0[b * H + j];
                if (c0 != null) c[j] = c0[b * H + j];
            }
            for (int t = 0; t < time; t++) {
                double[] ax = new double[G * H], ah = new double[G * H];
                for (int r = 0; r < G * H; r++) {
                    double sx = bih[r], sh = bhh[r];
                    for (int i = 0; i < in; i++) sx += wih[r * in + i] * x[(t * batch + b) * in + i];
                    for (int j = 0; j < H; j++) sh += whh[r * H + j] * h[j];
                    ax[r] = sx;
                    ah[r] = sh;
                }
                double[] hn = new double[H];
                for (int j = 0; j < H; j++) {
                    switch (cell) {
                        case RNN -> hn[j] = Math.tanh(ax[j] + ah[j]);
                        case LSTM -> {
                            double i = sigmoid(ax[j] + ah[j]);
                            double f = sigmoid(ax[H + j] + ah[H + j]);
                            double g = Math.tanh(ax[2 * H + j] + ah[2 * H + j]);
                            double o = sigmoid(ax[3 * H + j] + ah[3 * H + j]);
                            c[j] = f * c[j] + i * g;
                            hn[j] = o * Math.tanh(c[j]);
                        }
                        case GRU -> {
                            double r = sigmoid(ax[j] + ah[j]);
                            double z = sigmoid(ax[H + j] + ah[H + j]);
                            double n = Math.tanh(ax[2 * H + j] + r * ah[2 * H + j]);
                            hn[j] = (1 - z) * n + z * h[j];
                        }
                    }
                }
                h = hn;
                System.arraycopy(h, 0, out, (t * batch + b) * H, H);
            }
            System.arraycopy(h, 0, hFinal, b * H, H);
            if (cFinal != null) System.arraycopy(c, 0, cFinal, b * H, H);
        }
        return new double[][] {out, hFinal, cFinal};
    }

    /**
     * Mean NLL of the model (no dropout) over targets != ignoreIndex. p: parameters by PyTorch name; ids and
     * targets (B, T) row-major; h0, c0 (L, B, H) or null.
     */
    public static double loss(ModelConfig cfg, Map<String, double[]> p, int[] ids, int[] targets, int batch, int time,
                              int ignoreIndex, double[] h0, double[] c0) {
        int V = cfg.vocab(), H = cfg.hidden(), I = cfg.inputSize(), bh = batch * H;
        double[] x = new double[time * batch * I]; // (T, B, I)
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                int id = ids[b * time + t], row = (t * batch + b) * I;
                if (cfg.input() == InputKind.ONEHOT) x[row + id] = 1.0;
                else System.arraycopy(p.get("embedding.weight"), id * I, x, row, I);
            }
        }
        for (int l = 0; l < cfg.layers(); l++) {
            double[] lh0 = h0 == null ? null : slice(h0, l * bh, bh), lc0 = c0 == null ? null : slice(c0, l * bh, bh);
            x = layer(cfg.cell(), batch, time, cfg.layerInputSize(l), H, p.get("rnn.weight_ih_l" + l),
                    p.get("rnn.weight_hh_l" + l), p.get("rnn.bias_ih_l" + l), p.get("rnn.bias_hh_l" + l), x, lh0, lc0)[0];
        }
        double[] w = p.get("output.weight"), bias = p.get("output.bias");
        double sum = 0;
        int count = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < time; t++) {
                int tgt = targets[b * time + t];
                if (tgt == ignoreIndex) continue;
                double[] logit = new double[V];
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < V; v++) {
                    double s = bias[v];
                    for (int j = 0; j < H; j++) s += w[v * H + j] * x[(t * batch + b) * H + j];
                    logit[v] = s;
                    max = Math.max(max, s);
                }
                double z = 0;
                for (int v = 0; v < V; v++) z += Math.exp(logit[v] - max);
                sum += -(logit[tgt] - max - Math.log(z));
                count++;
            }
        }
        return count == 0 ? 0 : sum / count;
    }

    static double[] slice(double[] a, int off, int n) {
        double[] s = new double[n];
        System.arraycopy(a, off, s, 0, n);
        return s;
    }

    /** Central differences d f / d a[i] for every i, step eps, a restored afterwards. */
    public static double[] numericGradient(double[] a, double eps, ToDoubleFunction<double[]> f) {
        double[] g = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double keep = a[i];
            a[i] = keep + eps;
            double up = f.applyAsDouble(a);
            a[i] = keep - eps;
            double down = f.applyAsDouble(a);
            a[i] = keep;
            g[i] = (up - down) / (2 * eps);
        }
        return g;
    }
}
