package io.github.yuefu.nn;

/**
 * One-hot input into layer 0: W_ih (G·H, V) times a one-hot column is column id of W_ih, so the "product" is a
 * gather of columns and its backward a scatter-add into columns. Never a dense (T·B, V) × (V, G·H) product.
 *
 * <pre>
 * Legend: B batch, T time, V vocabulary, G·H the gate width of layer 0.
 * W_ih (G·H, V) at wOff; ids (B, T) row-major; gates (T, B, G·H) time-major.
 * forward : gates[t·B + b][j] = W_ih[j][ids[b·T + t]]
 * backward: dW_ih[j][ids[b·T + t]] += dGates[t·B + b][j]
 * </pre>
 * The gather reads W_ih with stride V (one cache line per element at large V); it is still O(T·B·G·H), far below
 * the recurrent products, so a transposed copy of W_ih is not worth its memory here.
 */
public final class OneHot {
    private final int vocab; // V
    private final int gh;    // G·H

    public OneHot(int vocab, int gatesTimesHidden) {
        this.vocab = vocab;
        this.gh = gatesTimesHidden;
    }

    /** gates (T, B, G·H) = columns of W_ih (at wOff in w) picked by ids (B, T). */
    public void forward(float[] w, int wOff, int[] ids, int batch, int time, float[] gates, int gOff) {
        for (int t = 0; t < time; t++) {
            for (int b = 0; b < batch; b++) {
                int col = wOff + ids[b * time + t], dst = gOff + (t * batch + b) * gh;
                for (int j = 0; j < gh; j++) gates[dst + j] = w[col + j * vocab];
            }
        }
    }

    /** dW_ih (G·H, V) += scatter of dGates (T, B, G·H) into the columns picked by ids. */
    public void backward(float[] dw, int wOff, int[] ids, int batch, int time, float[] dGates) {
        for (int t = 0; t < time; t++) {
            for (int b = 0; b < batch; b++) {
                int col = wOff + ids[b * time + t], src = (t * batch + b) * gh;
                for (int j = 0; j < gh; j++) dw[col + j * vocab] += dGates[src + j];
            }
        }
    }
}
