package io.github.yuefu.experiments;

import io.github.yuefu.config.CellType;
import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Gemms;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.nn.Embedding;
import io.github.yuefu.nn.Linear;
import io.github.yuefu.nn.LogSoftmaxNll;
import io.github.yuefu.nn.RecurrentLayer;
import io.github.yuefu.tensor.Init;
import io.github.yuefu.tensor.ParamSet;

/**
 * The learn-to-carry network of the Learn2Carry exercise: both numbers' digits through one shared embedding,
 * concatenated per position, one recurrent layer, a dense layer giving each sum digit. Built from the engine's
 * layers, so every cell type and every kernel the language model uses is exercised here too.
 *
 * <pre>
 * Legend: B batch, T positions, E embedding, H hidden, G gates, D = 10 digits.
 *
 * a, b (B, T) ─Embedding (D, E), shared─▶ ea, eb (T, B, E) ─concat─▶ x (T, B, 2E)
 *   ─recurrent layer─▶ h (T, B, H) ─Linear (D, H)─▶ logits (T, B, D) ─log-softmax + NLL vs sum digits─▶ loss
 * </pre>
 *
 * Parameters keep PyTorch names ({@code embedding.weight}, {@code rnn.weight_ih_l0}…, {@code output.weight}), so a
 * saved adder loads into the equivalent {@code nn.Module}. Loss is the mean cross-entropy over all B·T positions.
 * Not thread-safe; buffers grow to the largest (B, T) seen and are reused.
 */
public final class Adder {
    private final CellType cell;
    private final int embed, hidden; // E, H
    private final ParamSet params;
    private final Embedding embedding;
    private final RecurrentLayer rnn;
    private final Linear output;
    private final LogSoftmaxNll loss;

    private int batch, time;
    private float[] ea = new float[0];     // (T, B, E) embedded digits of a
    private float[] eb = new float[0];     // (T, B, E) embedded digits of b
    private float[] x = new float[0];      // (T, B, 2E) concatenated inputs
    private float[] dx = new float[0];     // (T, B, 2E) d loss / d x
    private float[] logits = new float[0]; // (T, B, D) logits → log-probs → d loss / d logits
    private float[] dh = new float[0];     // (T, B, H) d loss / d h
    private int[] target = new int[0];     // (T, B) sum digits, time-major like the logits
    private int[] ids = new int[0];        // (B, T) copy of a, then b, for the embedding's backward
    private int[] idsB = new int[0];       // (B, T)

    public Adder(CellType cell, int embed, int hidden) {
        this(cell, embed, hidden, Gemms.best(), Kernels.best());
    }

    public Adder(CellType cell, int embed, int hidden, Gemm gemm, Kernels k) {
        this.cell = cell;
        this.embed = embed;
        this.hidden = hidden;
        this.params = layout(cell, embed, hidden);
        this.embedding = new Embedding(params.view("embedding.weight"));
        this.rnn = RecurrentLayer.create(cell, params, 0, 2 * embed, hidden, gemm, k);
        this.output = new Linear(params.view("output.weight"), params.view("output.bias"), gemm, k);
        this.loss = new LogSoftmaxNll(k);
    }

    static ParamSet layout(CellType cell, int embed, int hidden) {
        ParamSet.Builder b = ParamSet.builder();
        b.add("embedding.weight", AdditionProblems.DIGITS, embed);
        RecurrentLayer.declare(b, cell, 0, 2 * embed, hidden);
        b.add("output.weight", AdditionProblems.DIGITS, hidden);
        b.add("output.bias", AdditionProblems.DIGITS);
        return b.build();
    }

    public CellType cell() {
        return cell;
    }

    public int embed() {
        return embed;
    }

    public int hidden() {
        return hidden;
    }

    public ParamSet params() {
        return params;
    }

    /** PyTorch's defaults, as the language model: U(−1/√H, 1/√H) for the layer and the output, N(0, 1) embedding. */
    public void initialize(long seed) {
        Init.pytorchDefault(params, hidden, seed);
    }

    // ================================================================================================ forward

    /** Forward over a batch of problems; returns the mean cross-entropy over all B·T sum digits. */
    public double forward(AdditionProblems.Batch p) {
        int B = p.batch(), T = p.positions(), n = B * T;
        resize(B, T);
        System.arraycopy(p.a(), 0, ids, 0, n);
        System.arraycopy(p.b(), 0, idsB, 0, n);
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < B; b++) target[t * B + b] = p.sum()[b * T + t];
        }
        embedding.forward(params.data, ids, B, T, ea);
        embedding.forward(params.data, idsB, B, T, eb);
        concat(ea, eb, x, n, embed);
        rnn.projectInput(x, 0);
        rnn.forward(null, 0, null, 0);
        output.forward(params.data, rnn.outputs(), rnn.outputOffset(), n, logits, 0);
        return loss.forward(logits, n, AdditionProblems.DIGITS, null, 0, target, -1);
    }

    /** x (N, 2E) row r = [ea row r, eb row r]. */
    private static void concat(float[] ea, float[] eb, float[] x, int rows, int e) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(ea, r * e, x, r * 2 * e, e);
            System.arraycopy(eb, r * e, x, r * 2 * e + e, e);
        }
    }

    /** The most likely digit at every position of the last forward, as (B, T) row-major in reading order. */
    public int[] predictions() {
        int B = batch, T = time, d = AdditionProblems.DIGITS;
        int[] out = new int[B * T];
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < B; b++) {
                int row = (t * B + b) * d, best = 0;
                for (int v = 1; v < d; v++) if (logits[row + v] > logits[row + best]) best = v;
                out[b * T + t] = best;
            }
        }
        return out;
    }

    // ================================================================================================ backward

    /** After {@link #forward}: ADDS d(mean loss)/d(params) into params().grad (the caller zeroes it). */
    public void backward() {
        int B = batch, T = time, n = B * T;
        float[] w = params.data, dw = params.grad;
        loss.backward(logits, n, AdditionProblems.DIGITS, target, -1, null, 0);
        output.backward(w, dw, rnn.outputs(), rnn.outputOffset(), logits, 0, n, dh, 0);
        rnn.backward(dh, 0);
        rnn.backwardInput(x, 0, dx);
        split(dx, ea, eb, n, embed); // ea, eb now hold d loss / d embeddings
        embedding.backward(dw, ids, B, T, ea);
        embedding.backward(dw, idsB, B, T, eb);
    }

    /** The inverse of concat: dx (N, 2E) → da, db (N, E). */
    private static void split(float[] dx, float[] da, float[] db, int rows, int e) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(dx, r * 2 * e, da, r * e, e);
            System.arraycopy(dx, r * 2 * e + e, db, r * e, e);
        }
    }

    private void resize(int batch, int time) {
        this.batch = batch;
        this.time = time;
        int n = batch * time;
        if (ids.length < n) {
            ids = new int[n];
            idsB = new int[n];
            target = new int[n];
            ea = new float[n * embed];
            eb = new float[n * embed];
            x = new float[n * 2 * embed];
            dx = new float[n * 2 * embed];
            logits = new float[n * AdditionProblems.DIGITS];
            dh = new float[n * hidden];
        }
        rnn.resize(batch, time);
    }
}
