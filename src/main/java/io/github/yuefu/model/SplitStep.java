package io.github.yuefu.model;

import io.github.yuefu.kernel.Parallel;
import io.github.yuefu.nn.Embedding;
import io.github.yuefu.nn.Linear;
import io.github.yuefu.nn.RecurrentLayer;

/**
 * The generation step of one sequence (B = 1), split between the threads by hidden units: one parallel call per
 * layer, in which each thread computes the gate rows of its units (input and recurrent products, biases) and
 * updates those units' cells, and one for the output layer, split by vocabulary rows.
 *
 * <pre>
 * Legend: E embedding, H hidden, V vocabulary, L layers.
 * x_0 = embedding row of the token (E), read in place
 * layer l, thread p owning units U_p:  h_l[U_p] ← cell(W_ih[U_p] x_l + b + W_hh[U_p] h_l + …)   (into hNext, then copied)
 * output, thread p owning rows R_p:   logits[R_p] = W_out[R_p] h_{L−1} + b_out[R_p]
 * </pre>
 *
 * Why: the plain step makes a parallel call per matrix-vector product and runs the cell updates, bias adds and
 * copies between them on one thread; at batch 1 those serial pieces and hand-offs are a large part of a token's
 * ~0.15 ms. Here each layer is one hand-off and nothing runs alone.
 *
 * <p>Ranges are cut at multiples of {@value #BLOCK} units or rows. Then every dot product is computed exactly as
 * in the whole product ({@link io.github.yuefu.kernel.Gemm#gemvRows}: dots go four rows at a time) and every
 * elementwise kernel does the same operations on each element, so the result is bit for bit the plain step's,
 * at any thread count (a test). That needs H % 4 == 0 (else the gate blocks G·H apart would not start on those
 * four-row boundaries): {@link #applies} says when this path is used.
 *
 * <p>While the weights are frozen ({@link #setFrozen}), layer 0's input projection W_ih · e(token) (G·H) is kept
 * per token once computed, and later steps on that token copy it instead of reading W_ih (G·H × E floats: 2 MB of
 * config B's 27 MB per token, a batch-1 step being bound by reading the weights). A token seen for the first time
 * costs what it did (its projection is computed by the same row split, then kept); the kept rows are those dots
 * bit for bit, so the step's result does not change. Bounded by {@value #KEPT_MAX_FLOATS} floats per model.
 *
 * <p>Snake order: every other token, each thread walks its units and rows last to first (in pieces of
 * {@value #SUB_UNITS} units and {@value #SUB_ROWS} rows). When the weights do not all fit in the share of the L3
 * cache other processes leave (config B: 25 MB against a 32 MB L3 shared with other tenants), a walk in the same
 * direction every token is the worst case for the cache: it evicts exactly the rows the next token reads first.
 * Walking back, a token starts on the rows the previous one read last, still cached. (Measured on config B at batch
 * 1 while the machine was busy: 304-527 µs a token against 552-636 µs; when it was quiet, no difference.) Each
 * piece computes the same dots, so the bits do not change.
 */
final class SplitStep {
    static final int BLOCK = 16;
    /** Pieces of the backward walk (snake order): big enough that a call's overhead is small, multiples of 4. */
    static final int SUB_UNITS = 32, SUB_ROWS = 256;
    /** At most this many kept projection floats (128 MB); tokens beyond it are projected every time. */
    static final long KEPT_MAX_FLOATS = 1L << 25;

    private final RecurrentLayer[] layers;
    private final Embedding embedding;
    private final Linear output;
    private final float[] w;        // all parameters
    private final int hidden, vocab;
    private final float[] hNext;    // (H) the new h of the layer in flight; copied over the state after its call
    private final float[][] kept;   // (V) per token: layer 0's W_ih · e(token) (G·H) once computed while frozen, else null
    private long keptFloats;
    long keptMax = KEPT_MAX_FLOATS;   // tests lower it
    private boolean frozen;

    // The call in flight, read by the preallocated parallel bodies (no lambda per token).
    private RecurrentState state;
    private float[] in, logits, projecting;
    private int inOff, layer;
    private boolean inProjected;
    private boolean reverse;        // this token walks each thread's units and rows last to first (snake order)
    private final Parallel.RangeBody layerBody = this::layerBlocks;
    private final Parallel.RangeBody projectBody = this::projectBlocks;
    private final Parallel.RangeBody outputBody = this::outputBlocks;

    SplitStep(RecurrentLayer[] layers, Embedding embedding, Linear output, float[] w, int hidden, int vocab) {
        this.layers = layers;
        this.embedding = embedding;
        this.output = output;
        this.w = w;
        this.hidden = hidden;
        this.vocab = vocab;
        this.hNext = new float[hidden];
        this.kept = new float[vocab][];
    }

    /**
     * frozen = the caller promises the weights stay as they are until it unfreezes: layer 0's input projection
     * may then be kept per token. Unfreezing drops what was kept.
     */
    void setFrozen(boolean frozen) {
        this.frozen = frozen;
        if (!frozen && keptFloats > 0) {
            java.util.Arrays.fill(kept, null);
            keptFloats = 0;
        }
    }

    /** Embedding input (a one-hot first layer is a gather, not a product) and H % 4 == 0 (see the class comment). */
    static boolean applies(boolean embeddingInput, int hidden) {
        return embeddingInput && hidden % 4 == 0;
    }

    /** Feeds token, updates state (B = 1) in place, writes logits (V). */
    void step(int token, RecurrentState s, float[] logits) {
        this.state = s;
        this.logits = logits;
        reverse = !reverse;
        for (int l = 0; l < layers.length; l++) {
            layer = l;
            in = l == 0 ? w : s.h;
            inOff = l == 0 ? embedding.rowOffset(token) : s.offset(l - 1, 0);
            inProjected = l == 0 && frozen && project(token);
            if (inProjected) {
                in = kept[token];
                inOff = 0;
            }
            run(hidden, layers[l].stepMacs(), layerBody);
            System.arraycopy(hNext, 0, s.h, s.offset(l, 0), hidden);
        }
        run(vocab, (long) vocab * hidden, outputBody);
        this.state = null;
        this.in = this.logits = null;
    }

    /** True when token's layer-0 projection is kept (computing it now if there is room). */
    private boolean project(int token) {
        if (kept[token] != null) return true;
        int rows = layers[0].gateRows();
        if (keptFloats + rows > keptMax) return false;
        projecting = new float[rows];
        run(rows, (long) rows * embedding.dim(), projectBody);   // in, inOff: the token's embedding row
        kept[token] = projecting;
        keptFloats += rows;
        projecting = null;
        return true;
    }

    private void projectBlocks(int b0, int b1) {
        layers[0].projectInputRows(in, inOff, b0 * BLOCK, Math.min(projecting.length, b1 * BLOCK), projecting, 0);
    }

    /** Splits n units or rows into blocks of BLOCK, over the threads when the phase is big enough (as the GEMM's split). */
    private static void run(int n, long macs, Parallel.RangeBody body) {
        int blocks = (n + BLOCK - 1) / BLOCK;
        int chunks = macs >= Parallel.MIN_MATVEC_MACS ? Math.min(Parallel.threads(), blocks) : 1;
        Parallel.forChunks(blocks, chunks, body);
    }

    private void layerBlocks(int b0, int b1) {
        int j0 = b0 * BLOCK, j1 = Math.min(hidden, b1 * BLOCK), off = state.offset(layer, 0);
        float[] c = state.c;   // null unless LSTM
        if (!reverse) {
            layers[layer].stepUnits(in, inOff, inProjected, state.h, off, c, c == null ? 0 : off, hNext, 0, j0, j1);
            return;
        }
        for (int q = (j1 - j0 - 1) / SUB_UNITS; q >= 0; q--) {   // pieces start at multiples of 4 (BLOCK, SUB_UNITS)
            int a = j0 + q * SUB_UNITS;
            layers[layer].stepUnits(in, inOff, inProjected, state.h, off, c, c == null ? 0 : off, hNext, 0, a,
                    Math.min(j1, a + SUB_UNITS));
        }
    }

    private void outputBlocks(int b0, int b1) {
        int r0 = b0 * BLOCK, r1 = Math.min(vocab, b1 * BLOCK), hOff = state.offset(layers.length - 1, 0);
        if (!reverse) {
            output.forwardRows(w, state.h, hOff, r0, r1, logits, 0);
            return;
        }
        for (int q = (r1 - r0 - 1) / SUB_ROWS; q >= 0; q--) {
            int a = r0 + q * SUB_ROWS;
            output.forwardRows(w, state.h, hOff, a, Math.min(r1, a + SUB_ROWS), logits, 0);
        }
    }
}
