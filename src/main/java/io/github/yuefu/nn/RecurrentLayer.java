package io.github.yuefu.nn;

import io.github.yuefu.config.CellType;
import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.Parallel;
import io.github.yuefu.tensor.ParamSet;
import java.util.Arrays;

/**
 * One recurrent layer (RNN, LSTM or GRU) over a whole (B, T) window, with the parts every cell shares: the
 * parameter views, the input projection for all T steps as one GEMM, the input-side backward, and the
 * activation buffers kept for backprop through time. The time loops live in {@link Rnn}, {@link Lstm}, {@link Gru}.
 *
 * <pre>
 * Legend: B batch, T time, I input width (E, V for one-hot layer 0, or H), H hidden, G gates (1, 4, 3).
 * All activations are time-major: row t·B + b, so step t's rows are one contiguous (B, ·) block.
 * Parameters (PyTorch layout): W_ih (G·H, I), W_hh (G·H, H), b_ih (G·H), b_hh (G·H).
 * </pre>
 *
 * Buffers grow when a window is larger than any seen before and are reused otherwise: nothing is allocated in
 * the time loop, nor in a forward/backward pair whose (B, T) repeats.
 */
public abstract sealed class RecurrentLayer permits Rnn, Lstm, Gru {

    protected final int in;    // I
    protected final int hidden; // H
    protected final int gh;    // G·H
    protected final int wIh, wHh, bIh, bHh; // offsets of the views in params.data / params.grad
    protected final float[] w;  // all parameters of the model
    protected final float[] dw; // all gradients of the model
    protected final Gemm gemm;
    protected final Kernels k;

    protected int batch, time; // B, T of the current window

    protected float[] hs = new float[0];     // (T+1, B, H) slot 0 = h0, slot t+1 = h after step t: the outputs
    protected float[] gates = new float[0];  // (T, B, G·H) input projections in; activated gates out
    protected float[] dGates = new float[0]; // (T, B, G·H) d loss / d input-side pre-activations
    protected float[] dh = new float[0];     // (B, H) d loss / d h carried backwards through time; dh0 at the end

    /**
     * W_hh laid out for the GEMM once per pass instead of once per time step (the weights do not change inside a
     * window): op = W_hhᵀ (H, G·H) during forward, W_hh (G·H, H) during backward. One holder serves both.
     */
    protected Gemm.PackedB packedWhh;

    protected float[] stepGates = new float[0]; // (B, G·H) generation: gate pre-activations of one step
    protected final float[] biasSum;             // (G·H) b_ih + b_hh, or the sum of dGates rows in backward
    protected final float[] unitGates;           // (G·H) one step split by units: units [j0, j1) at G·j0, G blocks of j1 − j0

    protected RecurrentLayer(CellType cell, ParamSet params, int layer, int in, int hidden, Gemm gemm, Kernels k) {
        this.in = in;
        this.hidden = hidden;
        this.gh = cell.gates * hidden;
        this.wIh = params.view("rnn.weight_ih_l" + layer).offset();
        this.wHh = params.view("rnn.weight_hh_l" + layer).offset();
        this.bIh = params.view("rnn.bias_ih_l" + layer).offset();
        this.bHh = params.view("rnn.bias_hh_l" + layer).offset();
        this.w = params.data;
        this.dw = params.grad;
        this.gemm = gemm;
        this.k = k;
        this.biasSum = new float[gh];
        this.unitGates = new float[gh];
    }

    /** The layer for this cell type. */
    public static RecurrentLayer create(CellType cell, ParamSet params, int layer, int in, int hidden,
                                        Gemm gemm, Kernels k) {
        return switch (cell) {
            case RNN -> new Rnn(params, layer, in, hidden, gemm, k);
            case LSTM -> new Lstm(params, layer, in, hidden, gemm, k);
            case GRU -> new Gru(params, layer, in, hidden, gemm, k);
        };
    }

    /** Declares this layer's four tensors in PyTorch names and layouts. */
    public static void declare(ParamSet.Builder b, CellType cell, int layer, int in, int hidden) {
        int gh = cell.gates * hidden;
        b.add("rnn.weight_ih_l" + layer, gh, in);
        b.add("rnn.weight_hh_l" + layer, gh, hidden);
        b.add("rnn.bias_ih_l" + layer, gh);
        b.add("rnn.bias_hh_l" + layer, gh);
    }

    /** W_hhᵀ (H, G·H) packed for this forward pass's recurrent products h_{t−1} · W_hhᵀ. */
    protected Gemm.PackedB packForward() {
        return packedWhh = gemm.pack(true, hidden, gh, w, wHh, hidden, packedWhh);
    }

    /** W_hh (G·H, H) packed for this backward pass's products dGates_t · W_hh. */
    protected Gemm.PackedB packBackward() {
        return packedWhh = gemm.pack(false, gh, hidden, w, wHh, hidden, packedWhh);
    }

    static float[] grow(float[] a, long size) {
        if (size > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("window too large: " + size + " floats");
        return a.length >= size ? a : new float[(int) size];
    }

    /** Sets the window to (B, T), growing buffers if needed. */
    public void resize(int batch, int time) {
        this.batch = batch;
        this.time = time;
        long rows = (long) batch * time;
        hs = grow(hs, (rows + batch) * hidden);
        gates = grow(gates, rows * gh);
        dGates = grow(dGates, rows * gh);
        dh = grow(dh, (long) batch * hidden);
        resizeCell(batch, time);
    }

    /** Cell-specific buffers. */
    protected abstract void resizeCell(int batch, int time);

    public int inputSize() {
        return in;
    }

    public int hidden() {
        return hidden;
    }

    // ------------------------------------------------------------------------------------------------ forward

    /** (T, B, G·H) buffer of input-side pre-activations, for callers that fill it themselves (one-hot gather). */
    public float[] inputGates() {
        return gates;
    }

    /** gates (T·B, G·H) = x (T·B, I) · W_ihᵀ + input bias: the input projection for all steps in one GEMM. */
    public void projectInput(float[] x, int xOff) {
        int rows = batch * time;
        gemm.sgemm(false, true, rows, gh, in, 1f, x, xOff, in, w, wIh, in, 0f, gates, 0, gh);
        addInputBias(gates, 0, rows);
    }

    /**
     * Adds the bias that belongs to the input side to rows of (·, G·H): b_ih + b_hh for RNN and LSTM (both
     * simply add to the pre-activation), b_ih alone for the GRU (b_hn sits inside r ⊙ (W_hn h + b_hn)).
     */
    public abstract void addInputBias(float[] buf, int off, int rows);

    /**
     * Runs the time loop over the current window. h0/c0 (B, H) at the given offsets, or null for zeros
     * (c0 ignored except by the LSTM).
     */
    public final void forward(float[] h0, int h0Off, float[] c0, int c0Off) {
        int bh = batch * hidden;
        if (h0 == null) Arrays.fill(hs, 0, bh, 0f);
        else System.arraycopy(h0, h0Off, hs, 0, bh);
        setInitialCell(c0, c0Off);
        recur();
    }

    protected void setInitialCell(float[] c0, int c0Off) {}

    protected abstract void recur();

    // ------------------------------------------------------------------------------------------------ one step's cell kernels

    /**
     * Below this many elements per thread (rows · H) a time step's cell kernels stay on the calling thread. They
     * run between two recurrent products, while the pool's other threads wait in a spin, so splitting them by rows
     * costs no extra hand-off beyond the one call. Config A's (B 64, H 256) and B's (H 512) steps split in two;
     * D's (B 32, H 128: 4,096 elements) stays whole.
     */
    static final int CELL_MIN_ELEMENTS = 8192;

    // The arguments of the step the bodies below run (fields, so that a step allocates no lambda).
    private int cellT;                 // the time step
    protected float[] cellDOut;        // backward: d loss / d outputs (T, B, H) …
    protected int cellDOutOff;         // … at this offset
    private final Parallel.RangeBody cellForward = (r0, r1) -> cellForwardRows(cellT, r0, r1);
    private final Parallel.RangeBody cellBackward = (r0, r1) -> cellBackwardRows(cellT, r0, r1);

    /**
     * Step t's cell update over the batch (its local gradients: {@link #cellStepBackward}), split by rows across the
     * pool when the step is large enough. Every row's arithmetic is independent of the others, so the result is
     * the same bits whichever thread runs a row (LanguageModelTest: 1 and 3 threads agree).
     * Measured on a Zen 4 (two threads, whole training steps of two builds in turn in one process, 8 rounds
     * each): config A 1.035× and config B 1.04× (median ratio of the rounds' median steps).
     */
    protected final void cellStep(int t) {
        cellT = t;
        Parallel.forRange(batch, cellMinRows(), cellForward);
    }

    /** {@link #cellStep(int)}'s backward: step t's local gradients, given d loss / d outputs at dOutOff. */
    protected final void cellStepBackward(int t, float[] dOut, int dOutOff) {
        cellT = t;
        cellDOut = dOut;
        cellDOutOff = dOutOff;
        Parallel.forRange(batch, cellMinRows(), cellBackward);
    }

    private int cellMinRows() {
        return Math.max(1, (CELL_MIN_ELEMENTS + hidden - 1) / hidden);
    }

    /** Step t's cell update for batch rows [r0, r1): the gates of step t (recurrent product added) to h_t (and c_t). */
    protected abstract void cellForwardRows(int t, int r0, int r1);

    /**
     * Step t's local backward for batch rows [r0, r1): from d loss / d h_t (cellDOut plus the recurrent part
     * carried in this layer's buffers) to d loss / d gate pre-activations of step t.
     */
    protected abstract void cellBackwardRows(int t, int r0, int r1);

    /** The outputs h_0..h_{T-1}: rows (T·B, H) of {@link #outputs()} from this offset. */
    public int outputOffset() {
        return batch * hidden;
    }

    /** (T+1, B, H) hidden states; see {@link #outputOffset()}. */
    public float[] outputs() {
        return hs;
    }

    /** Copies the state after the last step into h/c (B, H) at the given offsets (c ignored unless LSTM). */
    public void finalState(float[] h, int hOff, float[] c, int cOff) {
        System.arraycopy(hs, time * batch * hidden, h, hOff, batch * hidden);
    }

    // ------------------------------------------------------------------------------------------------ backward

    /**
     * Backprop through time. dOut (T, B, H) at dOutOff = d loss / d outputs (read only during this call).
     * Fills {@link #dInputGates()}, adds d W_hh, b_ih, b_hh into the gradients, leaves d h0 (and d c0) behind.
     */
    public abstract void backward(float[] dOut, int dOutOff);

    /** (T, B, G·H) d loss / d input-side pre-activations after {@link #backward}. */
    public float[] dInputGates() {
        return dGates;
    }

    /** d W_ih += dGatesᵀ · x; and if dx is not null, dx (T·B, I) = dGates · W_ih. */
    public void backwardInput(float[] x, int xOff, float[] dx) {
        int rows = batch * time;
        gemm.sgemm(true, false, gh, in, rows, 1f, dGates, 0, gh, x, xOff, in, 1f, dw, wIh, in);
        if (dx != null) gemm.sgemm(false, false, rows, in, gh, 1f, dGates, 0, gh, w, wIh, in, 0f, dx, 0, in);
    }

    /** Offset of W_ih (G·H, I) in the parameter buffers, for the one-hot gather. */
    public int weightIhOffset() {
        return wIh;
    }

    /** Copies d loss / d h0 (and d c0) (B, H) out, after {@link #backward}. */
    public void initialStateGrad(float[] dh0, int dhOff, float[] dc0, int dcOff) {
        System.arraycopy(dh, 0, dh0, dhOff, batch * hidden);
    }

    // ------------------------------------------------------------------------------------------------ generation

    /** Sizes the one-step buffers for B sequences. */
    public void resizeStep(int batch) {
        stepGates = grow(stepGates, (long) batch * gh);
        resizeStepCell(batch);
    }

    protected void resizeStepCell(int batch) {}

    /** (B, G·H) buffer of one step's input-side pre-activations, for the one-hot gather. */
    public float[] stepInputGates() {
        return stepGates;
    }

    /** stepGates (B, G·H) = x (B, I) · W_ihᵀ + input bias. */
    public void projectStepInput(float[] x, int xOff, int batch) {
        gemm.sgemm(false, true, batch, gh, in, 1f, x, xOff, in, w, wIh, in, 0f, stepGates, 0, gh);
        addInputBias(stepGates, 0, batch);
    }

    /** One step for B sequences after the input projection: updates h (and c) (B, H) in place. */
    public abstract void step(int batch, float[] h, int hOff, float[] c, int cOff);

    // ------------------------------------------------------------------------------------------------ generation, split by units

    /**
     * One step of one sequence (B = 1) for hidden units [j0, j1) only, so that threads owning disjoint ranges run
     * it at the same time: the G gate rows of those units from x (I) and hPrev (H), then their cell update. The new
     * h goes to hNext, not over hPrev, which the other threads are still reading; the LSTM cell c is updated in
     * place (a unit's cell is touched by its owner only). With H % 4 == 0 and j0 a multiple of 4 the result is bit
     * for bit that of {@link #projectStepInput} and {@link #step} at B = 1: the same dots ({@link Gemm#gemvRows}),
     * bias adds and elementwise kernels (whose vector lanes and scalar tails compute alike), in the same order.
     * When projected is true, x (G·H) already holds W_ih · input (from {@link #projectInputRows}) and those rows
     * are copied instead of computed: the same bits, without reading W_ih.
     */
    public abstract void stepUnits(float[] x, int xOff, boolean projected, float[] hPrev, int hpOff, float[] c,
                                   int cOff, float[] hNext, int hnOff, int j0, int j1);

    /** out[o, o + n) = W_ih rows [row, row + n) · x (I), or those rows of x when it is already projected (G·H). */
    protected final void inputRows(float[] x, int xOff, boolean projected, int row, int n, float[] out, int o) {
        if (projected) System.arraycopy(x, xOff + row, out, o, n);
        else gemm.gemvRows(n, in, 1f, w, wIh + row * in, in, x, xOff, 0f, out, o);
    }

    /**
     * out[outOff + r] = (W_ih · x)[r] for r in [row0, row1), x (I): a slice of the input projection of one
     * sequence, each row's dot exactly as {@link #stepUnits} computes it when row0 is a multiple of 4.
     */
    public final void projectInputRows(float[] x, int xOff, int row0, int row1, float[] out, int outOff) {
        gemm.gemvRows(row1 - row0, in, 1f, w, wIh + row0 * in, in, x, xOff, 0f, out, outOff + row0);
    }

    /** Rows of the input projection: G·H. */
    public final int gateRows() {
        return gh;
    }

    /** out[o, o + n) += W_hh rows [row, row + n) · hPrev (H): the recurrent side of one gate's rows. */
    protected final void hiddenRows(float[] hPrev, int hpOff, int row, int n, float[] out, int o) {
        gemm.gemvRows(n, hidden, 1f, w, wHh + row * hidden, hidden, hPrev, hpOff, 1f, out, o);
    }

    /** Multiply-adds of one step at B = 1, to decide whether splitting it between threads pays. */
    public long stepMacs() {
        return (long) gh * (in + hidden);
    }
}
