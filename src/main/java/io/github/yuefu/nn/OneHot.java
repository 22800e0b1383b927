package io.github.yuefu.nn;

import io.github.yuefu.kernel.Parallel;

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
 *
 * Why blocked: a column of W_ih is strided by V, so gathering whole columns touches one cache line (and at large V
 * one page) per element. Instead the G·H weight rows are taken a block at a time, sized so the block (rows × V)
 * stays in L2, and every token row is visited per block. Blocks own disjoint weight rows, so they run in parallel
 * and each gradient element is still summed in token order: deterministic.
 */
public final class OneHot {
    private final int vocab; // V
    private final int gh;    // G·H
    private final int block; // weight rows per block

    // Arguments of the call in flight, read by the preallocated parallel bodies.
    private float[] w, gates;
    private int wOff, gOff, batch, time;
    private int[] ids;
    private final Parallel.RangeBody gatherBody = this::gatherBlocks;
    private final Parallel.RangeBody scatterBody = this::scatterBlocks;

    public OneHot(int vocab, int gatesTimesHidden) {
        this.vocab = vocab;
        this.gh = gatesTimesHidden;
        this.block = Math.max(1, Math.min(64, (1 << 16) / vocab)); // ≤ 256 KB of weights per block
    }

    private int blocks() {
        return (gh + block - 1) / block;
    }

    private void set(float[] w, int wOff, int[] ids, int batch, int time, float[] gates, int gOff) {
        this.w = w;
        this.wOff = wOff;
        this.ids = ids;
        this.batch = batch;
        this.time = time;
        this.gates = gates;
        this.gOff = gOff;
    }

    /** gates (T, B, G·H) = columns of W_ih (at wOff in w) picked by ids (B, T). */
    public void forward(float[] w, int wOff, int[] ids, int batch, int time, float[] gates, int gOff) {
        set(w, wOff, ids, batch, time, gates, gOff);
        Parallel.forRange(blocks(), Math.max(1, 2048 / (batch * time)), gatherBody);
        set(null, 0, null, 0, 0, null, 0);
    }

    private void gatherBlocks(int fromBlock, int toBlock) {
        for (int jb = fromBlock; jb < toBlock; jb++) {
            int j0 = jb * block, j1 = Math.min(gh, j0 + block);
            for (int t = 0; t < time; t++) {
                for (int b = 0; b < batch; b++) {
                    int col = wOff + ids[b * time + t], dst = gOff + (t * batch + b) * gh;
                    for (int j = j0; j < j1; j++) gates[dst + j] = w[col + j * vocab];
                }
            }
        }
    }

    /** dW_ih (G·H, V) += scatter of dGates (T, B, G·H) into the columns picked by ids; dw = all gradients. */
    public void backward(float[] dw, int wOff, int[] ids, int batch, int time, float[] dGates) {
        set(dw, wOff, ids, batch, time, dGates, 0);
        Parallel.forRange(blocks(), Math.max(1, 2048 / (batch * time)), scatterBody);
        set(null, 0, null, 0, 0, null, 0);
    }

    private void scatterBlocks(int fromBlock, int toBlock) {
        float[] dw = w, dGates = gates;
        for (int jb = fromBlock; jb < toBlock; jb++) {
            int j0 = jb * block, j1 = Math.min(gh, j0 + block);
            for (int t = 0; t < time; t++) {
                for (int b = 0; b < batch; b++) {
                    int col = wOff + ids[b * time + t], src = (t * batch + b) * gh;
                    for (int j = j0; j < j1; j++) dw[col + j * vocab] += dGates[src + j];
                }
            }
        }
    }
}
