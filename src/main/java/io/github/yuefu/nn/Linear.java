package io.github.yuefu.nn;

import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.tensor.ParamSet;

/**
 * A fully connected layer, PyTorch's {@code nn.Linear}: y = x Wᵀ + b, applied to N rows at once.
 *
 * <pre>
 * Legend: N rows (B·T for the output layer), I input width (H), O output width (V).
 * weight (O, I), bias (O); x (N, I); y (N, O).
 * forward : y = x · Wᵀ + b
 * backward: dW += dyᵀ · x;  db += Σ_rows dy;  dx = dy · W
 * </pre>
 */
public final class Linear {
    private final int inDim;  // I
    private final int outDim; // O
    private final int wOff, bOff;
    private final Gemm gemm;
    private final Kernels k;

    public Linear(ParamSet.View weight, ParamSet.View bias, Gemm gemm, Kernels k) {
        this.outDim = weight.dim(0);
        this.inDim = weight.dim(1);
        this.wOff = weight.offset();
        this.bOff = bias.offset();
        this.gemm = gemm;
        this.k = k;
    }

    /** y (N, O) = x (N, I) · Wᵀ + b; w = all parameters. */
    public void forward(float[] w, float[] x, int xOff, int rows, float[] y, int yOff) {
        k.fillRows(y, yOff, rows, outDim, w, bOff, null, 0);
        gemm.sgemm(false, true, rows, outDim, inDim, 1f, x, xOff, inDim, w, wOff, inDim, 1f, y, yOff, outDim);
    }

    /**
     * Outputs [r0, r1) of one row: y[yOff + r0, yOff + r1) = x (1, I) · W[r0:r1]ᵀ + b[r0:r1], for a caller that
     * splits a row's outputs between threads (the generation step). Bit for bit {@link #forward}'s, for r0 a multiple
     * of 4 (see {@link Gemm#gemvRows}).
     */
    public void forwardRows(float[] w, float[] x, int xOff, int r0, int r1, float[] y, int yOff) {
        k.fillRows(y, yOff + r0, 1, r1 - r0, w, bOff + r0, null, 0);
        gemm.gemvRows(r1 - r0, inDim, 1f, w, wOff + r0 * inDim, inDim, x, xOff, 1f, y, yOff + r0);
    }

    /**
     * y (N, O) = x (N, I) · Wᵀ without the bias, for a caller that adds b itself in a pass it makes anyway
     * ({@link LogSoftmaxNll}); see {@link #biasOffset()}.
     */
    public void forwardWithoutBias(float[] w, float[] x, int xOff, int rows, float[] y, int yOff) {
        gemm.sgemm(false, true, rows, outDim, inDim, 1f, x, xOff, inDim, w, wOff, inDim, 0f, y, yOff, outDim);
    }

    /** Wᵀ laid out for {@link #forwardRowsWithoutBias}; reuse as in {@link Gemm#pack}. */
    public Gemm.PackedB packWeight(float[] w, Gemm.PackedB reuse) {
        return gemm.pack(true, inDim, outDim, w, wOff, inDim, reuse);
    }

    /**
     * Rows [r0, r1) of {@link #forwardWithoutBias(float[], float[], int, int, float[], int)} over N rows, with Wᵀ
     * from {@link #packWeight}: bit for bit those rows of the whole product (see {@link Gemm#sgemmRows}).
     */
    public void forwardRowsWithoutBias(Gemm.PackedB wt, float[] x, int xOff, int rows, int r0, int r1, float[] y, int yOff) {
        gemm.sgemmRows(false, rows, r0, r1, outDim, inDim, 1f, x, xOff, inDim, wt, 0f, y, yOff, outDim);
    }

    /** Offset of b (O) in the parameter buffers. */
    public int biasOffset() {
        return bOff;
    }

    /** dW += dyᵀ x, db += Σ dy, and dx (N, I) = dy · W when dx is not null. */
    public void backward(float[] w, float[] dw, float[] x, int xOff, float[] dy, int dyOff, int rows, float[] dx, int dxOff) {
        k.sumRowsInto(dy, dyOff, rows, outDim, dw, bOff);
        backwardWithoutBias(w, dw, x, xOff, dy, dyOff, rows, dx, dxOff);
    }

    /** {@link #backward} less the bias gradient, for a caller that summed it already. */
    public void backwardWithoutBias(float[] w, float[] dw, float[] x, int xOff, float[] dy, int dyOff, int rows,
                                    float[] dx, int dxOff) {
        backwardWeight(dw, x, xOff, dy, dyOff, rows);
        if (dx != null) backwardInput(w, dy, dyOff, rows, dx, dxOff);
    }

    /** dW (O, I) += dyᵀ · x: the weight gradient alone. */
    public void backwardWeight(float[] dw, float[] x, int xOff, float[] dy, int dyOff, int rows) {
        gemm.sgemm(true, false, outDim, inDim, rows, 1f, dy, dyOff, outDim, x, xOff, inDim, 1f, dw, wOff, inDim);
    }

    /** dx (N, I) = dy (N, O) · W: the input gradient alone. */
    public void backwardInput(float[] w, float[] dy, int dyOff, int rows, float[] dx, int dxOff) {
        gemm.sgemm(false, false, rows, inDim, outDim, 1f, dy, dyOff, outDim, w, wOff, inDim, 0f, dx, dxOff, inDim);
    }

    /** x (N, I) laid out as the right-hand operand of {@link #backwardWeightRows}; reuse as in {@link Gemm#pack}. */
    public Gemm.PackedB packInput(float[] x, int xOff, int rows, Gemm.PackedB reuse) {
        return gemm.pack(false, rows, inDim, x, xOff, inDim, reuse);
    }

    /**
     * Rows [o0, o1) of dW (O, I) += dy[:, o0:o1]ᵀ · x, x from {@link #packInput}: the weight gradient a block of
     * outputs at a time, for a caller that runs the blocks beside other work; bit for bit those rows of
     * {@link #backwardWeight} (see {@link Gemm#sgemmRows}).
     */
    public void backwardWeightRows(float[] dw, Gemm.PackedB x, float[] dy, int dyOff, int rows, int o0, int o1) {
        gemm.sgemmRows(true, outDim, o0, o1, inDim, rows, 1f, dy, dyOff, outDim, x, 1f, dw, wOff, inDim);
    }
}
