package io.github.yuefu.model;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Gemms;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.Parallel;
import io.github.yuefu.nn.Dropout;
import io.github.yuefu.nn.Embedding;
import io.github.yuefu.nn.Linear;
import io.github.yuefu.nn.LogSoftmaxNll;
import io.github.yuefu.nn.OneHot;
import io.github.yuefu.nn.RecurrentLayer;
import io.github.yuefu.tensor.Init;
import io.github.yuefu.tensor.ParamSet;

/**
 * The recurrent language model: the whole stack, forward over a (B, T) window, backprop through time, state
 * carry, and one-step generation.
 *
 * <pre>
 * Legend: B batch, T time, E embedding, H hidden, G gates, V vocabulary, L layers.
 *
 * ids (B, T) ─Embedding─▶ x0 (T, B, E) ─W_ih0─▶ gates0 (T, B, G·H)      [one-hot: a column gather of W_ih0]
 *   layer k: gates_k ─time loop─▶ h_k (T, B, H) ─dropout─▶ input of layer k+1 (T, B, H) ─W_ih(k+1)─▶ …
 * h_{L−1} ─dropout─▶ transpose ─▶ top (B, T, H) ─Linear─▶ logits (B, T, V) ─log-softmax+NLL─▶ loss
 * </pre>
 *
 * Backward walks the same path in reverse. Activations are time-major inside the stack so each step's rows are
 * contiguous, and batch-major at the top so log-probs line up with the caller's (B, T) targets. Dropout sits
 * between layers and before the output projection, in training only.
 *
 * <p>Not thread-safe: one model, one caller (several threads generating: one {@link #sharingWeights()} twin each).
 * Buffers are sized for the largest window seen and reused.
 */
public final class LanguageModel implements StepModel {

    private final ModelConfig config;
    private final Gemm gemm;
    private final Kernels k;
    private final ParamSet params;
    private final Embedding embedding; // null for one-hot
    private final OneHot oneHot;       // null for an embedding
    private final RecurrentLayer[] layers;
    private final Dropout[] dropouts;  // after each layer; null when dropout is 0
    private final Linear output;
    private final LogSoftmaxNll loss;
    private Gemm.PackedB outputWt;       // Wᵀ of the output layer, packed once per training forward
    /**
     * Whether backward runs the recurrent layers on one thread beside dW_out (see {@link #overlapsOutputWeights}).
     */
    private boolean overlapOutputWeights;
    /** Blocks of dW_out's rows handed out beside the recurrent backward: ~190 rows each at V = 6,000. */
    static final int OUTPUT_WEIGHT_BLOCKS = 32;
    private Gemm.PackedB topPacked;      // top (B·T, H) as dW_out's right-hand operand, when overlapping
    private final Parallel.RangeBody overlapBody = this::overlapTask;
    private final LogSoftmaxNll.RowSource logitRows = this::logitRows;

    private final int vocab, hidden, numLayers;

    // Window of the last forward
    private int batch, time, ignoreIndex;
    private boolean trained;         // last forward kept what backward needs
    private boolean frozen;          // setWeightsFrozen: the caller promised the weights stay as they are
    private boolean logitsAreLogProbs; // logits holds log-probabilities (an evaluation forward), not gradients
    private int[] ids = new int[0];      // (B, T) copy of the inputs
    private int[] targets = new int[0];  // (B, T) copy of the targets
    private boolean hasTargets;
    private float[] x0 = new float[0];     // (T, B, E) embedded inputs
    private final float[][] layerIn;       // [k] array holding the input of layer k ≥ 1, (T, B, H) …
    private final int[] layerInOff;        // … at this offset
    private float[] top = new float[0];    // (B, T, H) top layer's outputs after dropout, batch-major
    private float[] logits = new float[0]; // (B, T, V) logits → log-probs → d loss / d logits
    private float[] dTop = new float[0];   // (B, T, H) d loss / d top
    private float[] dAct = new float[0];   // (T, B, max(E, H)) d loss / d a layer's outputs or inputs

    // Generation
    private float[] stepX = new float[0];  // (B, E) embedded tokens of one step
    final SplitStep split;                 // the B = 1 step split by hidden units, or null where it does not apply
    boolean splitSteps = true;             // tests turn it off to compare the two paths

    private long rngState = 0x5eed_0f_7a11L;

    public LanguageModel(ModelConfig config) {
        this(config, Gemms.best());
    }

    public LanguageModel(ModelConfig config, Gemm gemm) {
        this(config, gemm, Kernels.best());
    }

    public LanguageModel(ModelConfig config, Gemm gemm, Kernels kernels) {
        this(config, gemm, kernels, layout(config));
    }

    /**
     * Another model on the same weights (shared, not copied) with its own buffers, so each of several threads can
     * {@link #step} through its own instance (the server: weights loaded once, one instance per generation thread).
     * Inference only: the twin has no gradient buffer. It is frozen ({@link #setWeightsFrozen}) when this one is.
     */
    public LanguageModel sharingWeights() {
        LanguageModel twin = new LanguageModel(config, gemm, k, params.sharingData());
        twin.setWeightsFrozen(frozen);
        return twin;
    }

    private LanguageModel(ModelConfig config, Gemm gemm, Kernels kernels, ParamSet params) {
        this.config = config;
        this.gemm = gemm;
        this.k = kernels;
        this.vocab = config.vocab();
        this.hidden = config.hidden();
        this.numLayers = config.layers();
        this.params = params;
        CellType cell = config.cell();
        this.embedding = config.input() == InputKind.EMBEDDING ? new Embedding(params.view("embedding.weight")) : null;
        this.oneHot = config.input() == InputKind.ONEHOT ? new OneHot(vocab, cell.gates * hidden) : null;
        this.layers = new RecurrentLayer[numLayers];
        this.dropouts = new Dropout[numLayers];
        for (int l = 0; l < numLayers; l++) {
            layers[l] = RecurrentLayer.create(cell, params, l, config.layerInputSize(l), hidden, gemm, k);
            if (config.dropout() > 0f) dropouts[l] = new Dropout(config.dropout(), k);
        }
        this.output = new Linear(params.view("output.weight"), params.view("output.bias"), gemm, k);
        this.loss = new LogSoftmaxNll(k);
        this.overlapOutputWeights = overlapsOutputWeights(config);
        this.layerIn = new float[numLayers][];
        this.layerInOff = new int[numLayers];
        this.split = SplitStep.applies(embedding != null, hidden)
                ? new SplitStep(layers, embedding, output, params.data, hidden, vocab) : null;
    }

    /**
     * Whether the recurrent backward is small next to dW_out: at most 1/8 of its multiply-adds (per layer, d h and
     * dW_hh: 2·G·H·H a token; dX and dW_ih: 2·G·H·in, none for a one-hot gather; dW_out: H·V). Then it runs on one
     * thread (its products are small and its time loop serial: config D's layer leaves the other thread idle for
     * ~2 ms a step) while the other thread works through dW_out, and no thread waits for it. With a recurrent part
     * that does split over threads (configs A, B, C, E: 38–150 % of dW_out) one thread alone would be slower.
     */
    static boolean overlapsOutputWeights(ModelConfig c) {
        long g = (long) c.cell().gates * c.hidden(), recurrent = 0;
        for (int l = 0; l < c.layers(); l++) {
            boolean gather = l == 0 && c.input() == InputKind.ONEHOT;
            recurrent += 2 * g * (c.hidden() + (gather ? 0 : c.layerInputSize(l)));
        }
        return 8 * recurrent <= (long) c.hidden() * c.vocab();
    }

    /** The parameter layout in PyTorch names, in state-dict order. */
    static ParamSet layout(ModelConfig c) {
        ParamSet.Builder b = ParamSet.builder();
        if (c.input() == InputKind.EMBEDDING) b.add("embedding.weight", c.vocab(), c.embed());
        for (int l = 0; l < c.layers(); l++) RecurrentLayer.declare(b, c.cell(), l, c.layerInputSize(l), c.hidden());
        b.add("output.weight", c.vocab(), c.hidden());
        b.add("output.bias", c.vocab());
        return b.build();
    }

    public ModelConfig config() {
        return config;
    }

    public ParamSet params() {
        return params;
    }

    /** The GEMM and kernels in use, for logs ("scalar/vector-512"). */
    public String engineName() {
        return gemm.name() + "/" + k.name();
    }

    @Override
    public int vocab() {
        return vocab;
    }

    /**
     * PyTorch's default initialisation: recurrent weights and biases and the output layer U(−1/√H, 1/√H)
     * (nn.RNN/LSTM/GRU's reset_parameters; nn.Linear's kaiming-uniform(a=√5) gives the same bound with fan-in H),
     * the embedding N(0, 1). Gradients are zeroed.
     */
    public void initialize(long seed) {
        Init.pytorchDefault(params, hidden, seed);
    }

    // ================================================================================================ forward

    /**
     * Forward over a (B, T) window of ids (row-major, b·T + t). Returns the mean NLL over targets != ignoreIndex
     * (0 if none; targets may be null for no loss). state: in = initial state, out = final state after step T−1
     * (updated in place); null = zeros, not returned. training = dropout active and activations kept for
     * {@link #backward()}. Buffers grow as needed; nothing is allocated when (B, T) repeats.
     */
    public double forward(int[] inputs, int[] targets, int batch, int time, int ignoreIndex,
                          RecurrentState state, boolean training) {
        if (training && frozen) {
            throw new IllegalStateException("the weights are frozen for generation: setWeightsFrozen(false) before training");
        }
        checkWindow(inputs, targets, batch, time, ignoreIndex, state);
        resize(batch, time);
        int n = batch * time, bth = n * hidden;
        System.arraycopy(inputs, 0, ids, 0, n);
        hasTargets = targets != null;
        if (hasTargets) System.arraycopy(targets, 0, this.targets, 0, n);
        this.ignoreIndex = ignoreIndex;
        boolean drop = training && config.dropout() > 0f;

        // Layer 0's input projection for all T steps at once.
        RecurrentLayer first = layers[0];
        if (oneHot != null) {
            oneHot.forward(params.data, first.weightIhOffset(), ids, batch, time, first.inputGates(), 0);
            first.addInputBias(first.inputGates(), 0, n);
        } else {
            embedding.forward(params.data, ids, batch, time, x0);
            first.projectInput(x0, 0);
        }
        float[] out = null; // (T, B, H) output of the layer just run, at outOff
        int outOff = 0;
        for (int l = 0; l < numLayers; l++) {
            RecurrentLayer layer = layers[l];
            if (l > 0) {
                layerIn[l] = out;
                layerInOff[l] = outOff;
                layer.projectInput(out, outOff);
            }
            if (state == null) layer.forward(null, 0, null, 0);
            else layer.forward(state.h, state.offset(l, 0), state.c, state.offset(l, 0));
            out = layer.outputs();
            outOff = layer.outputOffset();
            if (drop) {
                long seed = rngState;
                rngState = Dropout.advance(rngState);
                out = dropouts[l].forward(seed, out, outOff, bth);
                outOff = 0;
            }
        }
        if (state != null) {
            for (int l = 0; l < numLayers; l++) {
                layers[l].finalState(state.h, state.offset(l, 0), state.c, state.offset(l, 0));
            }
        }
        // (T, B, H) → (B, T, H), then logits (B·T, V) for all steps at once.
        transpose(out, outOff, top, 0, time, batch, hidden);
        // Training needs the loss and its gradient, not the log-probabilities: one fused pass leaves the gradient,
        // the output layer's product filling the logits 24 rows at a time right before the pass reads them (still
        // in L2). Config D, Zen 4, forward + backward of the two builds in turn: 1.037× (24 rounds, 16 faster).
        int[] tg = hasTargets ? this.targets : null;
        double mean;
        if (training) {
            outputWt = output.packWeight(params.data, outputWt);
            mean = loss.forwardWithGradient(logitRows, logits, n, vocab, params.data, output.biasOffset(), tg, ignoreIndex);
        } else {
            output.forwardWithoutBias(params.data, top, 0, n, logits, 0);
            mean = loss.forward(logits, n, vocab, params.data, output.biasOffset(), tg, ignoreIndex);
        }
        trained = training;
        logitsAreLogProbs = !training;
        return mean;
    }

    /** Logits (without bias) of rows [from, to) of top into logits, for the loss pass that reads them next. */
    private void logitRows(int from, int to) {
        output.forwardRowsWithoutBias(outputWt, top, 0, batch * time, from, to, logits, 0);
    }

    private void checkWindow(int[] inputs, int[] targets, int batch, int time, int ignoreIndex, RecurrentState state) {
        if (batch < 1 || time < 1) throw new IllegalArgumentException("batch and time must be ≥ 1, got " + batch + "×" + time);
        int n = batch * time;
        if (inputs.length < n) throw new IllegalArgumentException("inputs hold " + inputs.length + " ids, need B·T = " + n);
        if (targets != null && targets.length < n) {
            throw new IllegalArgumentException("targets hold " + targets.length + " ids, need B·T = " + n);
        }
        for (int i = 0; i < n; i++) {
            if (inputs[i] < 0 || inputs[i] >= vocab) {
                throw new IllegalArgumentException("input id " + inputs[i] + " at " + i + " outside vocabulary [0, " + vocab + ")");
            }
            if (targets != null && targets[i] != ignoreIndex && (targets[i] < 0 || targets[i] >= vocab)) {
                throw new IllegalArgumentException("target id " + targets[i] + " at " + i + " outside vocabulary [0, " + vocab + ")");
            }
        }
        if (state != null) checkState(state, batch);
    }

    private void checkState(RecurrentState s, int batch) {
        boolean lstm = config.cell() == CellType.LSTM;
        if (s.layers != numLayers || s.batch != batch || s.hidden != hidden || (s.c != null) != lstm) {
            throw new IllegalArgumentException("state is (" + s.layers + ", " + s.batch + ", " + s.hidden + ")"
                    + (s.c != null ? " with c" : "") + ", model needs (" + numLayers + ", " + batch + ", " + hidden + ")"
                    + (lstm ? " with c" : ""));
        }
    }

    private void resize(int batch, int time) {
        this.batch = batch;
        this.time = time;
        long n = (long) batch * time;
        ids = n > ids.length ? new int[(int) n] : ids;
        targets = n > targets.length ? new int[(int) n] : targets;
        if (embedding != null) x0 = grow(x0, n * embedding.dim());
        top = grow(top, n * hidden);
        dTop = grow(dTop, n * hidden);
        logits = grow(logits, n * vocab);
        dAct = grow(dAct, n * Math.max(hidden, config.inputSize() * (embedding != null ? 1 : 0)));
        for (RecurrentLayer l : layers) l.resize(batch, time);
    }

    private static float[] grow(float[] a, long size) {
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("window too large: a buffer of " + size + " floats; lower --batch or --seq");
        }
        return a.length >= size ? a : new float[(int) size];
    }

    /** src (A, Bd, H) at srcOff → dst (Bd, A, H) at dstOff: swaps the two leading axes. */
    static void transpose(float[] src, int srcOff, float[] dst, int dstOff, int a, int bd, int h) {
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < bd; j++) {
                System.arraycopy(src, srcOff + (i * bd + j) * h, dst, dstOff + (j * a + i) * h, h);
            }
        }
    }

    /** Sum of NLL over the counted targets of the last forward. */
    public double lastSumNll() {
        return loss.sumNll();
    }

    /** Number of counted (non-ignored) targets of the last forward. */
    public int lastTargetCount() {
        return loss.count();
    }

    /**
     * (B, T, V) log-probabilities of the last evaluation forward (training = false), row b·T + t. The array may be
     * longer than B·T·V. Valid until the next forward. A training forward writes d loss / d logits there instead.
     */
    public float[] logProbs() {
        if (!logitsAreLogProbs) {
            throw new IllegalStateException("log-probabilities are kept by forward(…, training = false) only; "
                    + "a training forward leaves d loss / d logits in their place");
        }
        return logits;
    }

    /** d loss / d logits (B, T, V) after a training forward, for tests; the array may be longer than B·T·V. */
    float[] logitGradients() {
        if (logitsAreLogProbs) throw new IllegalStateException("the last forward was an evaluation forward");
        return logits;
    }

    // ================================================================================================ backward

    /** After a training forward: ADDS d(mean loss)/d(params) into params().grad (the caller zeroes it). */
    public void backward() {
        if (!trained) throw new IllegalStateException("backward() needs a forward(…, training = true) just before");
        trained = false;
        int n = batch * time;
        float[] w = params.data, dw = params.grad;
        loss.addBiasGradient(dw, output.biasOffset()); // logits holds d loss / d logits since the forward
        output.backwardInput(w, logits, 0, n, dTop, 0);
        if (overlapOutputWeights) {
            // The recurrent backward on one thread while the other starts on dW_out, blocks of output rows claimed
            // by whichever thread is free; once the recurrent part is done, both finish dW_out.
            topPacked = output.packInput(top, 0, n, topPacked);
            Parallel.forTasks(1 + OUTPUT_WEIGHT_BLOCKS, overlapBody);
        } else {
            output.backwardWeight(dw, top, 0, logits, 0, n);
            recurrentBackward();
        }
    }

    /** For tests: backward with or without the overlap, whatever the shapes say. */
    void setOverlapOutputWeights(boolean on) {
        overlapOutputWeights = on;
    }

    /** Task 0: the recurrent layers' backward; task b ≥ 1: block b − 1 of dW_out's rows. */
    private void overlapTask(int task, int taskEnd) {
        for (int t = task; t < taskEnd; t++) {
            if (t == 0) {
                recurrentBackward();
            } else {
                int o0 = (int) ((long) vocab * (t - 1) / OUTPUT_WEIGHT_BLOCKS), o1 = (int) ((long) vocab * t / OUTPUT_WEIGHT_BLOCKS);
                output.backwardWeightRows(params.grad, topPacked, logits, 0, batch * time, o0, o1);
            }
        }
    }

    /** d top (B, T, H) → every recurrent layer's, the embedding's or one-hot's gradients. */
    private void recurrentBackward() {
        int bth = batch * time * hidden;
        float[] dw = params.grad;
        transpose(dTop, 0, dAct, 0, batch, time, hidden); // (B, T, H) → (T, B, H)
        boolean drop = config.dropout() > 0f;
        if (drop) dropouts[numLayers - 1].backward(dAct, 0, dAct, 0, bth);
        for (int l = numLayers - 1; l >= 0; l--) {
            RecurrentLayer layer = layers[l];
            layer.backward(dAct, 0); // reads dAct = d loss / d outputs of layer l
            if (l > 0) {
                layer.backwardInput(layerIn[l], layerInOff[l], dAct); // dAct ← d loss / d inputs of layer l
                if (drop) dropouts[l - 1].backward(dAct, 0, dAct, 0, bth);
            } else if (oneHot != null) {
                oneHot.backward(dw, layer.weightIhOffset(), ids, batch, time, layer.dInputGates());
            } else {
                layer.backwardInput(x0, 0, dAct);
                embedding.backward(dw, ids, batch, time, dAct);
            }
        }
    }

    /**
     * d(mean loss)/d(initial state) of the last backward, (L, B, H) h and c: what gradient checks and
     * truncated-BPTT diagnostics look at. A fresh object each call.
     */
    public RecurrentState initialStateGradient() {
        RecurrentState g = new RecurrentState(numLayers, batch, hidden, config.cell() == CellType.LSTM);
        for (int l = 0; l < numLayers; l++) layers[l].initialStateGrad(g.h, g.offset(l, 0), g.c, g.offset(l, 0));
        return g;
    }

    // ================================================================================================ generation

    @Override
    public RecurrentState newState(int batch) {
        return new RecurrentState(numLayers, batch, hidden, config.cell() == CellType.LSTM);
    }

    /**
     * One step for B sequences: feeds tokens[0..B), updates state in place and writes raw logits (B, V). No
     * dropout. Allocates nothing once the step buffers have grown to B. One sequence goes through {@link SplitStep}
     * (the same bits, less hand-off between threads).
     */
    @Override
    public void step(int[] tokens, int batch, RecurrentState state, float[] logits) {
        checkState(state, batch);
        if (logits.length < batch * vocab) throw new IllegalArgumentException("logits hold " + logits.length + ", need B·V = " + batch * vocab);
        for (int b = 0; b < batch; b++) {
            if (tokens[b] < 0 || tokens[b] >= vocab) {
                throw new IllegalArgumentException("token id " + tokens[b] + " outside vocabulary [0, " + vocab + ")");
            }
        }
        if (batch == 1 && split != null && splitSteps) {
            split.step(tokens[0], state, logits);
            return;
        }
        for (RecurrentLayer l : layers) l.resizeStep(batch);
        float[] w = params.data;
        RecurrentLayer first = layers[0];
        if (oneHot != null) {
            oneHot.forward(w, first.weightIhOffset(), tokens, batch, 1, first.stepInputGates(), 0);
            first.addInputBias(first.stepInputGates(), 0, batch);
        } else {
            stepX = grow(stepX, (long) batch * embedding.dim());
            embedding.forward(w, tokens, batch, 1, stepX);
            first.projectStepInput(stepX, 0, batch);
        }
        for (int l = 0; l < numLayers; l++) {
            if (l > 0) layers[l].projectStepInput(state.h, state.offset(l - 1, 0), batch);
            layers[l].step(batch, state.h, state.offset(l, 0), state.c, state.offset(l, 0));
        }
        output.forward(w, state.h, state.offset(numLayers - 1, 0), batch, logits, 0);
    }

    /**
     * frozen = the caller promises not to change params().data until it unfreezes (generation from a loaded model:
     * write, serve, bench): the batch-1 step may then keep layer 0's input projection per token (see
     * {@link SplitStep}; the same results, less weight traffic). Unfreezing drops what was kept; training a frozen
     * model is refused.
     */
    public void setWeightsFrozen(boolean frozen) {
        this.frozen = frozen;
        if (split != null) split.setFrozen(frozen);
    }

    public boolean weightsFrozen() {
        return frozen;
    }

    // ================================================================================================ RNG

    /** The dropout RNG state (saved in checkpoints for an exact resume). */
    public long rngState() {
        return rngState;
    }

    public void setRngState(long s) {
        this.rngState = s;
    }
}
