package io.github.yuefu.nn;

import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.Parallel;
import java.util.Arrays;

/**
 * Log-softmax and the negative log-likelihood, fused with the output layer's bias. Targets equal to ignoreIndex
 * (padding) count for nothing; the loss is the mean over the counted targets.
 *
 * <pre>
 * Legend: N rows (B·T, row b·T + t), V vocabulary.
 * forward : x (N, V) = x W-product + b → log-probabilities, in place;  nll_r = −x[r][target_r];  loss = Σ nll / count
 * backward: x (N, V) log-probabilities → (softmax − onehot(target)) / count in place (ignored rows → 0);
 *           dBias (V) += Σ_rows of that, summed while each row is in cache
 * training: forwardWithGradient does both in one pass per row (x → the gradient, the loss returned, the bias
 *           gradient's chunk sums kept), then addBiasGradient adds those into dBias once the caller's
 *           gradient buffer is ready. The log-probabilities are never written: training does not read them.
 *           A RowSource can compute x a few rows at a time just before the pass reads them (in cache).
 * </pre>
 *
 * Why the bias lives here: adding it in its own pass, and summing its gradient in another, each cost a trip through
 * the (B·T, V) buffer (100 MB at B·T = 4096, V = 6000); here both ride on passes that happen anyway.
 *
 * <p>Determinism: per-row NLLs are summed in row order, and the bias gradient in {@value #CHUNKS} fixed row chunks
 * whose partial sums are added in chunk order, so neither depends on the thread count.
 */
public final class LogSoftmaxNll {
    static final int CHUNKS = 16;

    private final Kernels k;
    private double[] nll = new double[0];      // (N) per-row NLL of the last forward (0 for ignored rows)
    private float[] partial = new float[0];    // (CHUNKS, V) per-chunk bias-gradient sums
    private double sumNll;
    private int count;

    // Arguments of the call in flight, read by the preallocated parallel bodies (no lambda per call).
    private float[] x, bias, dBias;
    private int rows, vocab, bOff, ignoreIndex, chunks;
    private int[] targets;
    private float scale;
    private RowSource source;
    private final Parallel.RangeBody forwardBody = this::forwardRows;
    private final Parallel.RangeBody backwardBody = this::backwardChunks;
    private final Parallel.RangeBody gradientBody = this::gradientChunks;
    private boolean biasGradientPending;       // forwardWithGradient's chunk sums wait in partial

    public LogSoftmaxNll(Kernels k) {
        this.k = k;
    }

    /**
     * Adds bias (V) at bOff (if not null) to x (N, V) and turns it into log-probabilities; returns the mean NLL over
     * counted targets (0 if none, or if targets is null).
     */
    public double forward(float[] x, int rows, int vocab, float[] bias, int bOff, int[] targets, int ignoreIndex) {
        if (nll.length < rows) nll = new double[rows];
        set(x, rows, vocab, bias, bOff, targets, ignoreIndex);
        Parallel.forRange(rows, 16, forwardBody);
        double sum = 0;
        int n = 0;
        for (int r = 0; r < rows; r++) {
            sum += nll[r];
            if (targets != null && targets[r] != ignoreIndex) n++;
        }
        sumNll = sum;
        count = n;
        this.x = null;
        return n == 0 ? 0.0 : sum / n;
    }

    private void forwardRows(int from, int to) {
        for (int r = from; r < to; r++) {
            k.logSoftmax(x, r * vocab, vocab, bias, bOff);
            int tgt = targets == null ? ignoreIndex : targets[r];
            nll[r] = tgt == ignoreIndex ? 0.0 : -x[r * vocab + tgt];
        }
    }

    public double sumNll() {
        return sumNll;
    }

    public int count() {
        return count;
    }

    /**
     * x (N, V) log-probabilities → d(mean loss)/d logits, in place; dBias (V) at dbOff += its column sums (if not
     * null).
     */
    public void backward(float[] x, int rows, int vocab, int[] targets, int ignoreIndex, float[] dBias, int dbOff) {
        set(x, rows, vocab, null, 0, targets, ignoreIndex);
        this.dBias = dBias;
        this.scale = count == 0 ? 0f : 1f / count;
        this.chunks = Math.min(CHUNKS, rows);
        if (dBias != null) {
            if (partial.length < chunks * vocab) partial = new float[chunks * vocab];
            Arrays.fill(partial, 0, chunks * vocab, 0f);
        }
        Parallel.forRange(chunks, 1, backwardBody);
        if (dBias != null) k.sumRowsInto(partial, 0, chunks, vocab, dBias, dbOff);
        this.x = null;
        this.dBias = null;
    }

    private void backwardChunks(int fromChunk, int toChunk) {
        for (int c = fromChunk; c < toChunk; c++) {
            int from = (int) ((long) rows * c / chunks), to = (int) ((long) rows * (c + 1) / chunks);
            for (int r = from; r < to; r++) {
                int tgt = targets == null ? ignoreIndex : targets[r];
                if (tgt == ignoreIndex) Arrays.fill(x, r * vocab, (r + 1) * vocab, 0f);
                else k.softmaxMinusOneHot(x, r * vocab, vocab, tgt, scale, dBias == null ? null : partial, c * vocab);
            }
        }
    }

    /**
     * The training forward and backward in one: adds bias (V) at bOff to x (N, V) and turns it into
     * d(mean loss)/d logits = (softmax − onehot(target)) / count in place (ignored rows → 0); returns the mean NLL
     * over counted targets, equal bit for bit to what {@link #forward} returns. The bias gradient is summed per
     * fixed chunk of rows (as {@link #backward} does) and added by {@link #addBiasGradient}.
     */
    public double forwardWithGradient(float[] x, int rows, int vocab, float[] bias, int bOff, int[] targets,
                                      int ignoreIndex) {
        return forwardWithGradient(null, x, rows, vocab, bias, bOff, targets, ignoreIndex);
    }

    /**
     * Fills rows [from, to) of x (the logits without bias) just before the loss pass reads them: the output layer's
     * product for those rows, on the thread that then runs the pass.
     */
    @FunctionalInterface
    public interface RowSource {
        void fill(int from, int to);
    }

    /**
     * Rows the source fills at a time: 24 rows of V = 6,000 logits (576 KB) are still in a 1 MB L2 when the pass
     * reads them, where a whole (B·T, V) product (24.6 MB at config D) has left them in L3 or memory. Config D's
     * forward + backward on a Zen 4, whole steps of the two builds in turn: 24 rows against 12, 0.987; against 36,
     * 1.004 (noise).
     */
    static final int SOURCE_ROWS = 24;

    /**
     * {@link #forwardWithGradient(float[], int, int, float[], int, int[], int)} with x filled by source, SOURCE_ROWS
     * rows at a time, right before the pass reads them (null: x is filled already); the same bits when the source
     * gives each block the bits of the whole product (Linear.forwardRowsWithoutBias does, by Gemm.sgemmRows). The
     * chunks are claimed by whichever thread is free (each chunk's rows in order on one thread, so the bias
     * gradient's chunk sums are the same).
     */
    public double forwardWithGradient(RowSource source, float[] x, int rows, int vocab, float[] bias, int bOff,
                                      int[] targets, int ignoreIndex) {
        this.source = source;
        if (nll.length < rows) nll = new double[rows];
        set(x, rows, vocab, bias, bOff, targets, ignoreIndex);
        int n = 0;
        if (targets != null) for (int r = 0; r < rows; r++) if (targets[r] != ignoreIndex) n++;
        count = n;
        scale = n == 0 ? 0f : 1f / n;
        chunks = Math.min(CHUNKS, rows);
        if (partial.length < chunks * vocab) partial = new float[chunks * vocab];
        Arrays.fill(partial, 0, chunks * vocab, 0f);
        Parallel.forTasks(chunks, gradientBody);
        this.source = null;
        double sum = 0;
        for (int r = 0; r < rows; r++) sum += nll[r];
        sumNll = sum;
        biasGradientPending = true;
        this.x = null;
        return n == 0 ? 0.0 : sum / n;
    }

    private void gradientChunks(int fromChunk, int toChunk) {
        for (int c = fromChunk; c < toChunk; c++) {
            int from = (int) ((long) rows * c / chunks), to = (int) ((long) rows * (c + 1) / chunks);
            for (int r = from; r < to; r++) {
                if (source != null && (r - from) % SOURCE_ROWS == 0) source.fill(r, Math.min(to, r + SOURCE_ROWS));
                int tgt = targets == null ? ignoreIndex : targets[r];
                if (tgt == ignoreIndex) {
                    Arrays.fill(x, r * vocab, (r + 1) * vocab, 0f);
                    nll[r] = 0.0;
                } else {
                    nll[r] = k.logSoftmaxGrad(x, r * vocab, vocab, bias, bOff, tgt, scale, partial, c * vocab);
                }
            }
        }
    }

    /** dBias (V) at dbOff += the bias gradient of the last {@link #forwardWithGradient}; once per such call. */
    public void addBiasGradient(float[] dBias, int dbOff) {
        if (!biasGradientPending) throw new IllegalStateException("addBiasGradient needs a forwardWithGradient first");
        biasGradientPending = false;
        k.sumRowsInto(partial, 0, chunks, vocab, dBias, dbOff);
    }

    private void set(float[] x, int rows, int vocab, float[] bias, int bOff, int[] targets, int ignoreIndex) {
        this.x = x;
        this.rows = rows;
        this.vocab = vocab;
        this.bias = bias;
        this.bOff = bOff;
        this.targets = targets;
        this.ignoreIndex = ignoreIndex;
    }
}
