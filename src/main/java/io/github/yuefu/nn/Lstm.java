package io.github.yuefu.nn;

import io.github.yuefu.config.CellType;
import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.tensor.ParamSet;
import java.util.Arrays;

/**
 * LSTM, PyTorch's {@code nn.LSTM} (gates i, f, g, o; no peepholes, no projection).
 *
 * <pre>
 * Legend: B batch, T time, H hidden, G = 4.
 * forward : [i f g o] = [σ σ tanh σ](W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)
 *           c_t = f ⊙ c_{t−1} + i ⊙ g;   h_t = o ⊙ tanh(c_t)
 * backward: dh = dOut_t + dh_rec;  dc = dc_next + dh ⊙ o ⊙ (1 − tanh²c_t)
 *           di = dc ⊙ g, df = dc ⊙ c_{t−1}, dg = dc ⊙ i, do = dh ⊙ tanh c_t (times each gate's derivative)
 *           dc_next ← dc ⊙ f;  dh_rec ← dGates_t W_hh
 * </pre>
 */
public final class Lstm extends RecurrentLayer {

    private float[] cs = new float[0]; // (T+1, B, H) cell states: slot 0 = c0, slot t+1 = c after step t
    private float[] dc = new float[0]; // (B, H) d loss / d c carried backwards; dc0 at the end
    private float[] dRec = new float[0]; // (B, H) dGates_t · W_hh: the recurrent part of d loss / d h_{t−1}
    private float[] tanhC = new float[0]; // (B, H) tanh(c_t) of the step being differentiated

    Lstm(ParamSet params, int layer, int in, int hidden, Gemm gemm, Kernels k) {
        super(CellType.LSTM, params, layer, in, hidden, gemm, k);
    }

    @Override
    protected void resizeCell(int batch, int time) {
        cs = grow(cs, ((long) time + 1) * batch * hidden);
        dc = grow(dc, (long) batch * hidden);
        dRec = grow(dRec, (long) batch * hidden);
        tanhC = grow(tanhC, (long) batch * hidden);
    }

    @Override
    public void addInputBias(float[] buf, int off, int rows) {
        // b_ih and b_hh both add to the pre-activation: one pass with their sum.
        k.fillRows(biasSum, 0, 1, gh, w, bIh, w, bHh);
        k.addBiasRows(buf, off, rows, gh, biasSum, 0);
    }

    @Override
    protected void setInitialCell(float[] c0, int c0Off) {
        int bh = batch * hidden;
        if (c0 == null) Arrays.fill(cs, 0, bh, 0f);
        else System.arraycopy(c0, c0Off, cs, 0, bh);
    }

    @Override
    protected void recur() {
        int B = batch, H = hidden, bh = B * H;
        Gemm.PackedB whhT = packForward();
        for (int t = 0; t < time; t++) {
            int g = t * B * gh;
            // gates[t] (B, 4H) += h_{t−1} (B, H) · W_hhᵀ (H, 4H)
            gemm.sgemm(false, B, gh, H, 1f, hs, t * bh, H, whhT, 1f, gates, g, gh);
            cellStep(t);
        }
    }

    @Override
    protected void cellForwardRows(int t, int r0, int r1) {
        int H = hidden, bh = batch * H, g = t * batch * gh + r0 * gh, st = r0 * H;
        k.lstmForward(gates, g, cs, t * bh + st, cs, (t + 1) * bh + st, hs, (t + 1) * bh + st, r1 - r0, H);
    }

    @Override
    protected void cellBackwardRows(int t, int r0, int r1) {
        int H = hidden, bh = batch * H, g = t * batch * gh + r0 * gh, st = r0 * H;
        k.tanh(cs, (t + 1) * bh + st, tanhC, st, (r1 - r0) * H);
        k.lstmBackward(gates, g, cs, t * bh + st, tanhC, st, cellDOut, cellDOutOff + t * bh + st, dRec, st, dc, st,
                dGates, g, r1 - r0, H);
    }

    @Override
    public void finalState(float[] h, int hOff, float[] c, int cOff) {
        super.finalState(h, hOff, c, cOff);
        System.arraycopy(cs, time * batch * hidden, c, cOff, batch * hidden);
    }

    @Override
    public void backward(float[] dOut, int dOutOff) {
        int B = batch, H = hidden, bh = B * H, T = time;
        Arrays.fill(dRec, 0, bh, 0f);
        Arrays.fill(dc, 0, bh, 0f);
        Gemm.PackedB whh = packBackward();
        for (int t = T - 1; t >= 0; t--) {
            int g = t * B * gh;
            cellStepBackward(t, dOut, dOutOff);
            // dRec (B, H) = dGates_t (B, 4H) · W_hh (4H, H)
            gemm.sgemm(false, B, H, gh, 1f, dGates, g, gh, whh, 0f, dRec, 0, H);
        }
        System.arraycopy(dRec, 0, dh, 0, bh); // d h0
        // dW_hh (4H, H) += dGatesᵀ (4H, T·B) · h_{−1..T−2} (T·B, H)
        gemm.sgemm(true, false, gh, H, T * B, 1f, dGates, 0, gh, hs, 0, H, 1f, dw, wHh, H);
        // d b_ih = d b_hh = Σ rows of dGates: one pass, added to both.
        java.util.Arrays.fill(biasSum, 0f);
        k.sumRowsInto(dGates, 0, T * B, gh, biasSum, 0);
        k.addBiasRows(dw, bIh, 1, gh, biasSum, 0);
        k.addBiasRows(dw, bHh, 1, gh, biasSum, 0);
    }

    @Override
    public void initialStateGrad(float[] dh0, int dhOff, float[] dc0, int dcOff) {
        super.initialStateGrad(dh0, dhOff, dc0, dcOff);
        System.arraycopy(dc, 0, dc0, dcOff, batch * hidden);
    }

    @Override
    public void step(int batch, float[] h, int hOff, float[] c, int cOff) {
        int H = hidden;
        gemm.sgemm(false, true, batch, gh, H, 1f, h, hOff, H, w, wHh, H, 1f, stepGates, 0, gh);
        // c and h are updated in place: the kernel reads each element before writing it.
        k.lstmForward(stepGates, 0, c, cOff, c, cOff, h, hOff, batch, H);
    }

    @Override
    public void stepUnits(float[] x, int xOff, boolean projected, float[] hPrev, int hpOff, float[] c, int cOff,
                          float[] hNext, int hnOff, int j0, int j1) {
        int H = hidden, n = j1 - j0, s = 4 * j0;   // this range's i, f, g, o blocks of n at unitGates[s, s + 4n)
        for (int g = 0; g < 4; g++) {
            int row = g * H + j0, o = s + g * n;
            inputRows(x, xOff, projected, row, n, unitGates, o);
            k.fillRows(biasSum, row, 1, n, w, bIh + row, w, bHh + row);   // addInputBias, for these rows
            k.addBiasRows(unitGates, o, 1, n, biasSum, row);
            hiddenRows(hPrev, hpOff, row, n, unitGates, o);
        }
        k.lstmForward(unitGates, s, c, cOff + j0, c, cOff + j0, hNext, hnOff + j0, 1, n);
    }
}
