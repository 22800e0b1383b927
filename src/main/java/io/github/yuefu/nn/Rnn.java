package io.github.yuefu.nn;

import io.github.yuefu.config.CellType;
import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.tensor.ParamSet;
import java.util.Arrays;

/**
 * Elman RNN with tanh, PyTorch's {@code nn.RNN}: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh).
 *
 * <pre>
 * Legend: B batch, T time, H hidden (G = 1).
 * forward : a_t = gates[t] (B, H) = x-projection + h_{t−1} W_hhᵀ;  h_t = tanh(a_t)
 * backward: dA_t = (dOut_t + dh) ⊙ (1 − h_t²);  dh ← dA_t W_hh;  dW_hh += Σ_t dA_tᵀ h_{t−1}
 * </pre>
 */
public final class Rnn extends RecurrentLayer {

    Rnn(ParamSet params, int layer, int in, int hidden, Gemm gemm, Kernels k) {
        super(CellType.RNN, params, layer, in, hidden, gemm, k);
    }

    @Override
    protected void resizeCell(int batch, int time) {}

    @Override
    public void addInputBias(float[] buf, int off, int rows) {
        // b_ih and b_hh both add to the pre-activation: one pass with their sum.
        k.fillRows(biasSum, 0, 1, gh, w, bIh, w, bHh);
        k.addBiasRows(buf, off, rows, gh, biasSum, 0);
    }

    @Override
    protected void recur() {
        int B = batch, H = hidden, bh = B * H;
        Gemm.PackedB whhT = packForward();
        for (int t = 0; t < time; t++) {
            // gates[t] (B, H) += h_{t−1} (B, H) · W_hhᵀ (H, H)
            gemm.sgemm(false, B, H, H, 1f, hs, t * bh, H, whhT, 1f, gates, t * bh, H);
            cellStep(t);
        }
    }

    @Override
    protected void cellForwardRows(int t, int r0, int r1) {
        int H = hidden, bh = batch * H, st = r0 * H;
        k.rnnForward(gates, t * bh + st, hs, (t + 1) * bh + st, (r1 - r0) * H);
    }

    @Override
    protected void cellBackwardRows(int t, int r0, int r1) {
        int H = hidden, bh = batch * H, st = r0 * H;
        // dA_t = (dOut_t + dh) ⊙ (1 − h_t²)
        k.rnnBackward(hs, (t + 1) * bh + st, cellDOut, cellDOutOff + t * bh + st, dh, st, dGates, t * bh + st, (r1 - r0) * H);
    }

    @Override
    public void backward(float[] dOut, int dOutOff) {
        int B = batch, H = hidden, bh = B * H, T = time;
        Arrays.fill(dh, 0, bh, 0f);
        Gemm.PackedB whh = packBackward();
        for (int t = T - 1; t >= 0; t--) {
            // dA_t (B, H) = (dOut_t + dh) ⊙ (1 − h_t²)
            cellStepBackward(t, dOut, dOutOff);
            // dh (B, H) = dA_t (B, H) · W_hh (H, H): the gradient flowing into h_{t−1}
            gemm.sgemm(false, B, H, H, 1f, dGates, t * bh, H, whh, 0f, dh, 0, H);
        }
        // dW_hh (H, H) += dAᵀ (H, T·B) · h_{−1..T−2} (T·B, H)
        gemm.sgemm(true, false, H, H, T * B, 1f, dGates, 0, H, hs, 0, H, 1f, dw, wHh, H);
        // d b_ih = d b_hh = Σ rows of dGates: one pass, added to both.
        java.util.Arrays.fill(biasSum, 0f);
        k.sumRowsInto(dGates, 0, T * B, gh, biasSum, 0);
        k.addBiasRows(dw, bIh, 1, gh, biasSum, 0);
        k.addBiasRows(dw, bHh, 1, gh, biasSum, 0);
    }

    @Override
    public void step(int batch, float[] h, int hOff, float[] c, int cOff) {
        int H = hidden;
        gemm.sgemm(false, true, batch, H, H, 1f, h, hOff, H, w, wHh, H, 1f, stepGates, 0, H);
        k.rnnForward(stepGates, 0, h, hOff, batch * H);
    }

    @Override
    public void stepUnits(float[] x, int xOff, boolean projected, float[] hPrev, int hpOff, float[] c, int cOff,
                          float[] hNext, int hnOff, int j0, int j1) {
        int n = j1 - j0;
        inputRows(x, xOff, projected, j0, n, unitGates, j0);
        k.fillRows(biasSum, j0, 1, n, w, bIh + j0, w, bHh + j0);   // addInputBias, for these rows
        k.addBiasRows(unitGates, j0, 1, n, biasSum, j0);
        hiddenRows(hPrev, hpOff, j0, n, unitGates, j0);
        k.rnnForward(unitGates, j0, hNext, hnOff + j0, n);
    }
}
