package io.github.yuefu.nn;

import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.Parallel;

/**
 * Log-softmax and the negative log-likelihood, fused. Targets equal to ignoreIndex (padding) count for nothing;
 * the loss is the mean over the counted targets.
 *
 * <pre>
 * Legend: N rows (B·T, row b·T + t), V vocabulary.
 * forward : x (N, V) logits → log-probabilities in place;  nll_r = −x[r][target_r];  loss = Σ nll / count
 * backward: x (N, V) log-probabilities → (softmax − onehot(target)) / count in place; ignored rows → 0
 * </pre>
 * Per-row NLLs are kept and summed in row order, so the loss does not depend on the thread count.
 */
public final class LogSoftmaxNll {
    private final Kernels k;
    private double[] nll = new double[0]; // (N) per-row NLL of the last forward (0 for ignored rows)
    private double sumNll;
    private int count;

    public LogSoftmaxNll(Kernels k) {
        this.k = k;
    }

    /** Turns x (N, V) into log-probabilities; returns the mean NLL over counted targets (0 if none or no targets). */
    public double forward(float[] x, int rows, int vocab, int[] targets, int ignoreIndex) {
        if (nll.length < rows) nll = new double[rows];
        final double[] rowNll = nll;
        Parallel.forRange(rows, 16, (from, to) -> {
            for (int r = from; r < to; r++) {
                k.logSoftmax(x, r * vocab, vocab);
                int tgt = targets == null ? ignoreIndex : targets[r];
                rowNll[r] = tgt == ignoreIndex ? 0.0 : -x[r * vocab + tgt];
            }
        });
        double sum = 0;
        int n = 0;
        for (int r = 0; r < rows; r++) {
            sum += rowNll[r];
            if (targets != null && targets[r] != ignoreIndex) n++;
        }
        sumNll = sum;
        count = n;
        return n == 0 ? 0.0 : sum / n;
    }

    public double sumNll() {
        return sumNll;
    }

    public int count() {
        return count;
    }

    /** x (N, V) log-probabilities → d(mean loss)/d logits, in place. */
    public void backward(float[] x, int rows, int vocab, int[] targets, int ignoreIndex) {
        final float scale = count == 0 ? 0f : 1f / count;
        Parallel.forRange(rows, 16, (from, to) -> {
            for (int r = from; r < to; r++) {
                int tgt = targets == null ? ignoreIndex : targets[r];
                if (tgt == ignoreIndex) java.util.Arrays.fill(x, r * vocab, (r + 1) * vocab, 0f);
                else k.softmaxMinusOneHot(x, r * vocab, vocab, tgt, scale);
            }
        });
    }
}
