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
    private final Parallel.RangeBody forwardBody = this::forwardRows;
    private final Parallel.RangeBody backwardBody = this::backwardChunks;

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

    // ------------------------------------------------------------------------------------------------- fused

    /** Row blocks per fused chunk, each with its own bias-gradient partial: fixed, so sums do not depend on threads. */
    static final int FUSED_TASKS = 8;

    private int fusedRow;                          // rows [0, fusedRow) done by chunk() since begin()
    private final Parallel.RangeBody fusedBody = this::fusedTask;

    /**
     * Starts a fused pass over N rows whose logits arrive a chunk at a time (see {@link #chunk}): the loss and its
     * gradient are computed while each chunk is in cache, so the (N, V) logits never exist at once. The count of
     * targets is known up front (it scales the gradient); the NLL of each row is kept until {@link #finish}.
     */
    public void begin(int rows, int vocab, float[] bias, int bOff, int[] targets, int ignoreIndex) {
        if (nll.length < rows) nll = new double[rows];
        set(null, rows, vocab, bias, bOff, targets, ignoreIndex);
        int n = 0;
        for (int r = 0; r < rows; r++) if (targets[r] != ignoreIndex) n++;
        count = n;
        scale = n == 0 ? 0f : 1f / n;
        if (partial.length < FUSED_TASKS * vocab) partial = new float[FUSED_TASKS * vocab];
        Arrays.fill(partial, 0, FUSED_TASKS * vocab, 0f);
        fusedRow = 0;
    }

    /**
     * Rows [r0, r0 + rows) of the pass, their logits (rows, V) in x from offset 0: bias added, log-softmax, NLL kept,
     * then in place d(mean loss)/d logits = (softmax − onehot)/count (0 for ignored rows). Chunks come in order.
     * The rows split into {@value #FUSED_TASKS} fixed blocks; block s adds its bias gradient to partial s.
     */
    public void chunk(float[] x, int r0, int rows) {
        if (r0 != fusedRow) throw new IllegalStateException("fused chunk at row " + r0 + ", expected " + fusedRow);
        this.x = x;
        this.chunkStart = r0;
        this.chunkRows = rows;
        Parallel.forTasks(Math.min(FUSED_TASKS, rows), fusedBody);
        fusedRow = r0 + rows;
        this.x = null;
    }

    private int chunkStart, chunkRows;

    private void fusedTask(int task, int taskEnd) {
        int tasks = Math.min(FUSED_TASKS, chunkRows);
        for (int s = task; s < taskEnd; s++) {
            int from = (int) ((long) chunkRows * s / tasks), to = (int) ((long) chunkRows * (s + 1) / tasks);
            for (int i = from; i < to; i++) {
                int r = chunkStart + i, off = i * vocab, tgt = targets[r];
                k.logSoftmax(x, off, vocab, bias, bOff);
                if (tgt == ignoreIndex) {
                    nll[r] = 0.0;
                    Arrays.fill(x, off, off + vocab, 0f);
                } else {
                    nll[r] = -x[off + tgt];
                    k.softmaxMinusOneHot(x, off, vocab, tgt, scale, partial, s * vocab);
                }
            }
        }
    }

    /** Ends the fused pass: dBias (V) at dbOff += the bias gradient (if not null); returns the mean NLL. */
    public double finish(float[] dBias, int dbOff) {
        if (fusedRow != rows) throw new IllegalStateException("fused pass ended at row " + fusedRow + " of " + rows);
        double sum = 0;
        for (int r = 0; r < rows; r++) sum += nll[r];
        sumNll = sum;
        if (dBias != null) k.sumRowsInto(partial, 0, FUSED_TASKS, vocab, dBias, dbOff);
        return count == 0 ? 0.0 : sum / count;
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
