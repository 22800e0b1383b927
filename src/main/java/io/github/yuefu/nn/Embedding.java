package io.github.yuefu.nn;

import io.github.yuefu.tensor.ParamSet;

/**
 * Token ids → rows of a learned table, PyTorch's {@code nn.Embedding} (no padding_idx: the pad row is an ordinary
 * row; its gradient is zero anyway when no counted target depends on it).
 *
 * <pre>
 * Legend: B batch, T time, V vocabulary, E embedding width.
 * weight (V, E); ids (B, T) row-major (b·T + t); out (T, B, E) time-major (row t·B + b), the layout the
 * recurrent layers read.
 * forward : out[t·B + b] = weight[ids[b·T + t]]
 * backward: dWeight[ids[b·T + t]] += dOut[t·B + b]   (a scatter-add, in a fixed order: deterministic)
 * </pre>
 */
public final class Embedding {
    private final int vocab; // V
    private final int dim;   // E
    private final int off;   // offset of weight (V, E) in the parameter buffers

    public Embedding(ParamSet.View weight) {
        this.vocab = weight.dim(0);
        this.dim = weight.dim(1);
        this.off = weight.offset();
    }

    public int dim() {
        return dim;
    }

    /** Where token id's vector (E) starts in the parameter buffer: a one-step caller reads it in place. */
    public int rowOffset(int id) {
        return off + id * dim;
    }

    /** out (T, B, E) from ids (B, T); w = all parameters. */
    public void forward(float[] w, int[] ids, int batch, int time, float[] out) {
        for (int t = 0; t < time; t++) {
            for (int b = 0; b < batch; b++) {
                int id = ids[b * time + t];
                System.arraycopy(w, off + id * dim, out, (t * batch + b) * dim, dim);
            }
        }
    }

    /** dW (V, E) += scatter of dOut (T, B, E); dw = all gradients. */
    public void backward(float[] dw, int[] ids, int batch, int time, float[] dOut) {
        for (int t = 0; t < time; t++) {
            for (int b = 0; b < batch; b++) {
                int row = off + ids[b * time + t] * dim, src = (t * batch + b) * dim;
                for (int j = 0; j < dim; j++) dw[row + j] += dOut[src + j];
            }
        }
    }

    public int vocab() {
        return vocab;
    }
}
