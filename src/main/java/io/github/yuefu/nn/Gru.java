package io.github.yuefu.nn;

import io.github.yuefu.config.CellType;
import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.tensor.ParamSet;
import java.util.Arrays;

/**
 * GRU in PyTorch's form ({@code nn.GRU}, gates r, z, n): the reset gate multiplies the hidden projection
 * <em>after</em> the product, n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)). Cho et al.'s original applies r
 * before the product, tanh(W_in x + W_hn (r ⊙ h)); the two are different models and weights do not transfer.
 *
 * <pre>
 * Legend: B batch, T time, H hidden, G = 3.
 * forward : xg = W_ih x + b_ih (all T at once), hg = W_hh h_{t−1} + b_hh (per step)
 *           r = σ(xg_r + hg_r), z = σ(xg_z + hg_z), n = tanh(xg_n + r ⊙ hg_n), h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 * backward: d = dOut_t + dh;  dAn = d (1 − z)(1 − n²);  dAr = dAn ⊙ hg_n ⊙ r(1 − r);  dAz = d (h_{t−1} − n) z(1 − z)
 *           input side [dAr dAz dAn], hidden side [dAr dAz dAn ⊙ r];  dh ← d ⊙ z + dHg_t W_hh
 * </pre>
 */
public final class Gru extends RecurrentLayer {

    private float[] hg = new float[0];  // (T, B, 3H) hidden projections W_hh h_{t−1} + b_hh, kept for backward
    private float[] dHg = new float[0]; // (T, B, 3H) d loss / d hidden-side pre-activations
    private float[] stepHg = new float[0]; // (B, 3H) generation: one step's hidden projections
    private final float[] unitHg;           // (3H) the same, one step split by units (see unitGates)

    Gru(ParamSet params, int layer, int in, int hidden, Gemm gemm, Kernels k) {
        super(CellType.GRU, params, layer, in, hidden, gemm, k);
        this.unitHg = new float[3 * hidden];
    }

    @Override
    protected void resizeCell(int batch, int time) {
        hg = grow(hg, (long) time * batch * gh);
        dHg = grow(dHg, (long) time * batch * gh);
    }

    @Override
    protected void resizeStepCell(int batch) {
        stepHg = grow(stepHg, (long) batch * gh);
    }

    @Override
    public void addInputBias(float[] buf, int off, int rows) {
        k.addBiasRows(buf, off, rows, gh, w, bIh); // b_hh goes into hg: b_hn must sit inside r ⊙ (…)
    }

    /** hg (B, 3H) at off = h (B, H) · W_hhᵀ + b_hh; whhT from {@link #packForward}, or null: W_hh where it lies. */
    private void projectHidden(float[] h, int hOff, int B, float[] out, int off, Gemm.PackedB whhT) {
        k.fillRows(out, off, B, gh, w, bHh, null, 0);
        if (whhT != null) gemm.sgemm(false, B, gh, hidden, 1f, h, hOff, hidden, whhT, 1f, out, off, gh);
        else gemm.sgemm(false, true, B, gh, hidden, 1f, h, hOff, hidden, w, wHh, hidden, 1f, out, off, gh);
    }

    @Override
    protected void recur() {
        int B = batch, H = hidden, bh = B * H;
        Gemm.PackedB whhT = packForward();
        for (int t = 0; t < time; t++) {
            int g = t * B * gh;
            projectHidden(hs, t * bh, B, hg, g, whhT);
            cellStep(t);
        }
    }

    @Override
    protected void cellForwardRows(int t, int r0, int r1) {
        int H = hidden, bh = batch * H, g = t * batch * gh + r0 * gh, st = r0 * H;
        k.gruForward(gates, g, hg, g, hs, t * bh + st, hs, (t + 1) * bh + st, r1 - r0, H);
    }

    @Override
    protected void cellBackwardRows(int t, int r0, int r1) {
        int H = hidden, bh = batch * H, g = t * batch * gh + r0 * gh, st = r0 * H;
        k.gruBackward(gates, g, hg, g, hs, t * bh + st, cellDOut, cellDOutOff + t * bh + st, dh, st, dGates, g, dHg, g,
                r1 - r0, H);
    }

    @Override
    public void backward(float[] dOut, int dOutOff) {
        int B = batch, H = hidden, bh = B * H, T = time;
        Arrays.fill(dh, 0, bh, 0f);
        Gemm.PackedB whh = packBackward();
        for (int t = T - 1; t >= 0; t--) {
            int g = t * B * gh;
            cellStepBackward(t, dOut, dOutOff);
            // dh (B, H) += dHg_t (B, 3H) · W_hh (3H, H)
            gemm.sgemm(false, B, H, gh, 1f, dHg, g, gh, whh, 1f, dh, 0, H);
        }
        // dW_hh (3H, H) += dHgᵀ (3H, T·B) · h_{−1..T−2} (T·B, H)
        gemm.sgemm(true, false, gh, H, T * B, 1f, dHg, 0, gh, hs, 0, H, 1f, dw, wHh, H);
        k.sumRowsInto(dGates, 0, T * B, gh, dw, bIh);
        k.sumRowsInto(dHg, 0, T * B, gh, dw, bHh);
    }

    @Override
    public void step(int batch, float[] h, int hOff, float[] c, int cOff) {
        projectHidden(h, hOff, batch, stepHg, 0, null);
        k.gruForward(stepGates, 0, stepHg, 0, h, hOff, h, hOff, batch, hidden);
    }

    @Override
    public void stepUnits(float[] x, int xOff, boolean projected, float[] hPrev, int hpOff, float[] c, int cOff,
                          float[] hNext, int hnOff, int j0, int j1) {
        int H = hidden, n = j1 - j0, s = 3 * j0;   // this range's r, z, n blocks of n at unitGates / unitHg [s, s + 3n)
        for (int g = 0; g < 3; g++) {
            int row = g * H + j0, o = s + g * n;
            inputRows(x, xOff, projected, row, n, unitGates, o);
            k.addBiasRows(unitGates, o, 1, n, w, bIh + row);       // addInputBias, for these rows
            k.fillRows(unitHg, o, 1, n, w, bHh + row, null, 0);    // projectHidden, for these rows
            hiddenRows(hPrev, hpOff, row, n, unitHg, o);
        }
        k.gruForward(unitGates, s, unitHg, s, hPrev, hpOff + j0, hNext, hnOff + j0, 1, n);
    }
}
