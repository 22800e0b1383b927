package io.github.yuefu.model;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Gemms;
import io.github.yuefu.tensor.ParamSet;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * TEMPORARY STAND-IN written on the train branch so the training loop, checkpoints and their tests can be built
 * before the engine lands: the exact public API of common.md, implemented with plain scalar loops (slow, allocates).
 * The engine helper's {@code model.LanguageModel} replaces this file wholesale at merge time.
 *
 * <p>Legend: B batch, T time, V vocabulary, E embedding, H hidden, G gates (1 RNN, 4 LSTM, 3 GRU), L layers.
 */
public final class LanguageModel implements StepModel {
    private final ModelConfig cfg;
    private final ParamSet params;
    private final int L, H, G, V;
    private long rng = 0x9E3779B97F4A7C15L;

    // Saved by a training forward for backward.
    private int B, T, ignore, count;
    private int[] inputs, targets;
    private float[][] xs;      // [l] (T, B, in_l) layer inputs after dropout
    private float[][] hs, cs;  // [l] (T+1, B, H) states, slot 0 = initial
    private float[][] acts;    // [l] (T, B, G·H) gate activations
    private float[][] hn;      // [l] (T, B, H) GRU W_hn h + b_hn
    private float[][] masks;   // [l+1] dropout masks on the input of layer l+1 (index L = before the output)
    private float[] top;       // (T, B, H) input of the output layer after dropout
    private float[] logProbs = new float[0]; // (B, T, V)
    private double sumNll;

    public LanguageModel(ModelConfig config) {
        this(config, Gemms.best());
    }

    public LanguageModel(ModelConfig config, Gemm gemm) {
        this.cfg = config;
        this.L = config.layers();
        this.H = config.hidden();
        this.G = config.cell().gates;
        this.V = config.vocab();
        ParamSet.Builder b = ParamSet.builder();
        if (config.input() == InputKind.EMBEDDING) b.add("embedding.weight", V, config.embed());
        for (int l = 0; l < L; l++) {
            b.add("rnn.weight_ih_l" + l, G * H, config.layerInputSize(l));
            b.add("rnn.weight_hh_l" + l, G * H, H);
            b.add("rnn.bias_ih_l" + l, G * H);
            b.add("rnn.bias_hh_l" + l, G * H);
        }
        b.add("output.weight", V, H);
        b.add("output.bias", V);
        this.params = b.build();
    }

    public ModelConfig config() {
        return cfg;
    }

    public ParamSet params() {
        return params;
    }

    @Override
    public int vocab() {
        return V;
    }

    public void initialize(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (ParamSet.View v : params.views()) {
            float[] d = params.data;
            if (v.name().equals("embedding.weight")) {
                for (int i = 0; i < v.size(); i++) d[v.offset() + i] = (float) gaussian(r);
            } else {
                double k = 1 / Math.sqrt(H);
                for (int i = 0; i < v.size(); i++) d[v.offset() + i] = (float) ((r.nextDouble() * 2 - 1) * k);
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u = r.nextDouble(), w = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * w);
    }

    private float nextUniform() {
        rng += 0x9E3779B97F4A7C15L;
        long z = rng;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 40) * 0x1.0p-24f;
    }

    public long rngState() {
        return rng;
    }

    public void setRngState(long s) {
        rng = s;
    }

    @Override
    public RecurrentState newState(int batch) {
        return new RecurrentState(L, batch, H, cfg.cell() == CellType.LSTM);
    }

    private float w(String name, int row, int col) {
        ParamSet.View v = params.view(name);
        return params.data[v.offset() + row * v.dim(1) + col];
    }

    private int off(String name) {
        return params.view(name).offset();
    }

    public double forward(int[] in, int[] tg, int batch, int time, int ignoreIndex, RecurrentState state, boolean training) {
        B = batch;
        T = time;
        ignore = ignoreIndex;
        inputs = in.clone();
        targets = tg.clone();
        xs = new float[L][];
        hs = new float[L][];
        cs = new float[L][];
        acts = new float[L][];
        hn = new float[L][];
        masks = new float[L + 1][];
        float p = cfg.dropout();
        // Layer 0 input: (T, B, in0); one-hot is handled inside the cell (column gather).
        int in0 = cfg.inputSize();
        float[] x = null;
        if (cfg.input() == InputKind.EMBEDDING) {
            x = new float[T * B * in0];
            int eo = off("embedding.weight");
            for (int t = 0; t < T; t++)
                for (int b = 0; b < B; b++)
                    System.arraycopy(params.data, eo + in[b * T + t] * in0, x, (t * B + b) * in0, in0);
        }
        for (int l = 0; l < L; l++) {
            if (l > 0) x = dropout(x, l, training, p);
            xs[l] = x;
            x = layerForward(l, x, state);
        }
        top = dropout(x, L, training, p);
        // Output + log-softmax + NLL.
        if (logProbs.length != B * T * V) logProbs = new float[B * T * V];
        int wo = off("output.weight"), bo = off("output.bias");
        sumNll = 0;
        count = 0;
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                int lp = (b * T + t) * V, h = (t * B + b) * H;
                float max = Float.NEGATIVE_INFINITY;
                for (int v = 0; v < V; v++) {
                    float s = params.data[bo + v];
                    for (int k = 0; k < H; k++) s += params.data[wo + v * H + k] * top[h + k];
                    logProbs[lp + v] = s;
                    max = Math.max(max, s);
                }
                double z = 0;
                for (int v = 0; v < V; v++) z += Math.exp(logProbs[lp + v] - max);
                float lse = (float) (max + Math.log(z));
                for (int v = 0; v < V; v++) logProbs[lp + v] -= lse;
                int y = tg[b * T + t];
                if (y != ignoreIndex) {
                    sumNll -= logProbs[lp + y];
                    count++;
                }
            }
        }
        return count == 0 ? 0 : sumNll / count;
    }

    private float[] dropout(float[] x, int slot, boolean training, float p) {
        if (!training || p == 0f) return x;
        float[] m = new float[x.length];
        float[] y = new float[x.length];
        float scale = 1f / (1f - p);
        for (int i = 0; i < x.length; i++) {
            m[i] = nextUniform() < p ? 0f : scale;
            y[i] = x[i] * m[i];
        }
        masks[slot] = m;
        return y;
    }

    /** Runs layer l over T steps; returns (T, B, H) outputs. */
    private float[] layerForward(int l, float[] x, RecurrentState state) {
        int in = cfg.layerInputSize(l), GH = G * H;
        int wih = off("rnn.weight_ih_l" + l), whh = off("rnn.weight_hh_l" + l);
        int bih = off("rnn.bias_ih_l" + l), bhh = off("rnn.bias_hh_l" + l);
        float[] d = params.data;
        float[] h = hs[l] = new float[(T + 1) * B * H];
        float[] c = cs[l] = new float[(T + 1) * B * H];
        float[] a = acts[l] = new float[T * B * GH];
        float[] n = hn[l] = new float[T * B * H];
        if (state != null) {
            System.arraycopy(state.h, state.offset(l, 0), h, 0, B * H);
            if (state.c != null) System.arraycopy(state.c, state.offset(l, 0), c, 0, B * H);
        }
        float[] xi = new float[GH], hh = new float[GH];
        float[] out = new float[T * B * H];
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < B; b++) {
                int hp = (t * B + b) * H, hq = ((t + 1) * B + b) * H;
                for (int r = 0; r < GH; r++) {
                    float s = d[bih + r];
                    if (l == 0 && cfg.input() == InputKind.ONEHOT) s += d[wih + r * in + inputs[b * T + t]];
                    else for (int k = 0; k < in; k++) s += d[wih + r * in + k] * x[(t * B + b) * in + k];
                    xi[r] = s;
                    float u = d[bhh + r];
                    for (int k = 0; k < H; k++) u += d[whh + r * H + k] * h[hp + k];
                    hh[r] = u;
                }
                int ao = (t * B + b) * GH;
                for (int j = 0; j < H; j++) {
                    float hNew;
                    switch (cfg.cell()) {
                        case RNN -> hNew = a[ao + j] = (float) Math.tanh(xi[j] + hh[j]);
                        case LSTM -> {
                            float ig = sig(xi[j] + hh[j]), fg = sig(xi[H + j] + hh[H + j]);
                            float gg = (float) Math.tanh(xi[2 * H + j] + hh[2 * H + j]), og = sig(xi[3 * H + j] + hh[3 * H + j]);
                            a[ao + j] = ig;
                            a[ao + H + j] = fg;
                            a[ao + 2 * H + j] = gg;
                            a[ao + 3 * H + j] = og;
                            float cn = c[hq + j] = fg * c[hp + j] + ig * gg;
                            hNew = og * (float) Math.tanh(cn);
                        }
                        default -> {
                            float rg = sig(xi[j] + hh[j]), zg = sig(xi[H + j] + hh[H + j]);
                            n[(t * B + b) * H + j] = hh[2 * H + j];
                            float ng = (float) Math.tanh(xi[2 * H + j] + rg * hh[2 * H + j]);
                            a[ao + j] = rg;
                            a[ao + H + j] = zg;
                            a[ao + 2 * H + j] = ng;
                            hNew = (1 - zg) * ng + zg * h[hp + j];
                        }
                    }
                    h[hq + j] = hNew;
                    out[(t * B + b) * H + j] = hNew;
                }
            }
        }
        if (state != null) {
            System.arraycopy(h, T * B * H, state.h, state.offset(l, 0), B * H);
            if (state.c != null) System.arraycopy(c, T * B * H, state.c, state.offset(l, 0), B * H);
        }
        return out;
    }

    private static float sig(float v) {
        return (float) (1 / (1 + Math.exp(-v)));
    }

    public void backward() {
        float[] d = params.data, g = params.grad;
        int wo = off("output.weight"), bo = off("output.bias");
        float[] dTop = new float[T * B * H];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                int y = targets[b * T + t];
                if (y == ignore) continue;
                int lp = (b * T + t) * V, h = (t * B + b) * H;
                for (int v = 0; v < V; v++) {
                    float dl = ((float) Math.exp(logProbs[lp + v]) - (v == y ? 1f : 0f)) / count;
                    g[bo + v] += dl;
                    for (int k = 0; k < H; k++) {
                        g[wo + v * H + k] += dl * top[h + k];
                        dTop[h + k] += dl * d[wo + v * H + k];
                    }
                }
            }
        }
        float[] dy = maskBack(dTop, L);
        for (int l = L - 1; l >= 0; l--) {
            float[] dx = layerBackward(l, dy);
            if (l > 0) dy = maskBack(dx, l);
            else if (cfg.input() == InputKind.EMBEDDING) {
                int eo = off("embedding.weight"), E = cfg.embed();
                for (int t = 0; t < T; t++)
                    for (int b = 0; b < B; b++)
                        for (int k = 0; k < E; k++) g[eo + inputs[b * T + t] * E + k] += dx[(t * B + b) * E + k];
            }
        }
    }

    private float[] maskBack(float[] dy, int slot) {
        if (masks[slot] == null) return dy;
        for (int i = 0; i < dy.length; i++) dy[i] *= masks[slot][i];
        return dy;
    }

    /** Backprop through time for layer l given d(outputs) (T, B, H); returns d(inputs) (T, B, in), null for one-hot. */
    private float[] layerBackward(int l, float[] dOut) {
        int in = cfg.layerInputSize(l), GH = G * H;
        boolean onehot = l == 0 && cfg.input() == InputKind.ONEHOT;
        int wih = off("rnn.weight_ih_l" + l), whh = off("rnn.weight_hh_l" + l);
        int bih = off("rnn.bias_ih_l" + l), bhh = off("rnn.bias_hh_l" + l);
        float[] d = params.data, g = params.grad, x = xs[l], h = hs[l], c = cs[l], a = acts[l];
        float[] dx = onehot ? null : new float[T * B * in];
        float[] dhNext = new float[B * H], dcNext = new float[B * H];
        float[] gi = new float[GH], gh = new float[GH];
        for (int t = T - 1; t >= 0; t--) {
            for (int b = 0; b < B; b++) {
                int hp = (t * B + b) * H, hq = ((t + 1) * B + b) * H, ao = (t * B + b) * GH, sb = b * H;
                float[] dhPrev = new float[H];
                for (int j = 0; j < H; j++) {
                    float dh = dOut[(t * B + b) * H + j] + dhNext[sb + j];
                    switch (cfg.cell()) {
                        case RNN -> {
                            float y = a[ao + j];
                            gi[j] = gh[j] = dh * (1 - y * y);
                        }
                        case LSTM -> {
                            float ig = a[ao + j], fg = a[ao + H + j], gg = a[ao + 2 * H + j], og = a[ao + 3 * H + j];
                            float tc = (float) Math.tanh(c[hq + j]);
                            float dc = dcNext[sb + j] + dh * og * (1 - tc * tc);
                            gi[j] = dc * gg * ig * (1 - ig);
                            gi[H + j] = dc * c[hp + j] * fg * (1 - fg);
                            gi[2 * H + j] = dc * ig * (1 - gg * gg);
                            gi[3 * H + j] = dh * tc * og * (1 - og);
                            for (int q = 0; q < 4; q++) gh[q * H + j] = gi[q * H + j];
                            dcNext[sb + j] = dc * fg;
                        }
                        default -> {
                            float rg = a[ao + j], zg = a[ao + H + j], ng = a[ao + 2 * H + j];
                            float hnv = hn[l][(t * B + b) * H + j];
                            float dn = dh * (1 - zg), dz = dh * (h[hp + j] - ng);
                            float dan = dn * (1 - ng * ng);
                            float dr = dan * hnv;
                            gi[j] = gh[j] = dr * rg * (1 - rg);
                            gi[H + j] = gh[H + j] = dz * zg * (1 - zg);
                            gi[2 * H + j] = dan;
                            gh[2 * H + j] = dan * rg;
                            dhPrev[j] += dh * zg;
                        }
                    }
                }
                for (int r = 0; r < GH; r++) {
                    g[bih + r] += gi[r];
                    g[bhh + r] += gh[r];
                    if (onehot) g[wih + r * in + inputs[b * T + t]] += gi[r];
                    else for (int k = 0; k < in; k++) {
                        g[wih + r * in + k] += gi[r] * x[(t * B + b) * in + k];
                        dx[(t * B + b) * in + k] += gi[r] * d[wih + r * in + k];
                    }
                    for (int k = 0; k < H; k++) {
                        g[whh + r * H + k] += gh[r] * h[hp + k];
                        dhPrev[k] += gh[r] * d[whh + r * H + k];
                    }
                }
                System.arraycopy(dhPrev, 0, dhNext, sb, H);
            }
        }
        return dx;
    }

    public double lastSumNll() {
        return sumNll;
    }

    public int lastTargetCount() {
        return count;
    }

    public float[] logProbs() {
        return logProbs;
    }

    @Override
    public void step(int[] tokens, int batch, RecurrentState state, float[] logits) {
        int[] in = Arrays.copyOf(tokens, batch), tg = new int[batch];
        Arrays.fill(tg, -1);
        forward(in, tg, batch, 1, -1, state, false);
        // log-probs are logits up to a per-row constant: good enough as raw logits for sampling.
        System.arraycopy(logProbs, 0, logits, 0, batch * V);
    }
}
