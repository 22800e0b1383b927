package io.github.yuefu.kernel;

import io.github.yuefu.config.ConfigException;

/**
 * The fused elementwise kernels of the engine: gate nonlinearities of the three cells (forward and backward),
 * log-softmax and its NLL backward, bias adds and row sums. Matrix products are not here: they go through
 * {@link Gemm}.
 *
 * <p>Legend: B rows (a batch), H hidden width, G gates, n a row length. Every gate buffer is row-major
 * (rows, G·H) with the gate blocks in PyTorch order inside each row (LSTM i,f,g,o; GRU r,z,n).
 *
 * <p>Two implementations: {@link ScalarKernels} (the readable reference, "SIMD off") and {@link VectorKernels}
 * (the Vector API, any lane width). They agree to float rounding; tests compare them over odd sizes.
 * Every kernel reads an element before it writes the same index and never reads an index it has already
 * written, so in-place use (state updated in place during generation, dc carried in place) is safe.
 */
public interface Kernels {

    /** "scalar" or "vector-256"… for logs. */
    String name();

    // ---------------------------------------------------------------- rows, biases, reductions

    /** y[r·n + j] += bias[j] for r in [0, rows): a bias added to every row. */
    void addBiasRows(float[] y, int yOff, int rows, int n, float[] bias, int biasOff);

    /** y[r·n + j] = a[j] + b[j] for every row (a null b means zero): rows pre-filled with a (combined) bias. */
    void fillRows(float[] y, int yOff, int rows, int n, float[] a, int aOff, float[] b, int bOff);

    /** out[j] += Σ_r x[r·n + j]: bias gradients. Rows are summed in order, so the result is deterministic. */
    void sumRowsInto(float[] x, int xOff, int rows, int n, float[] out, int outOff);

    /** out[i] = a[i] · b[i] (dropout masks); out may alias a. */
    void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n);

    // ---------------------------------------------------------------- Elman RNN (tanh)

    /** h = tanh(a) over n elements; h may alias a. */
    void rnnForward(float[] a, int aOff, float[] h, int hOff, int n);

    /** dA = (dOut + dRec) ⊙ (1 − h²): gradient of the pre-activation from the output and recurrent gradients. */
    void rnnBackward(float[] h, int hOff, float[] dOut, int dOutOff, float[] dRec, int dRecOff,
                     float[] dA, int dAOff, int n);

    // ---------------------------------------------------------------- LSTM (i, f, g, o)

    /**
     * gates (rows, 4H) pre-activations in, activated in place (σ(i), σ(f), tanh(g), σ(o));
     * c = f ⊙ cPrev + i ⊙ g; h = o ⊙ tanh(c). c may alias cPrev.
     */
    void lstmForward(float[] gates, int gOff, float[] cPrev, int cpOff, float[] c, int cOff,
                     float[] h, int hOff, int rows, int hidden);

    /** y[yOff, yOff + n) = tanh(x[xOff, xOff + n)). */
    void tanh(float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * Backward of one LSTM step. gates (rows, 4H) activated; cPrev (rows, H); tanhC (rows, H) = tanh(c_t), from
     * {@link #tanh} (a pass of its own: with the transcendental inside, C2 could not compile this kernel's vectors
     * into registers and boxed them, 125 MB per config-A step); dOut + dRec = dL/dh;
     * dc (rows, H) in: dL/dc from step t+1, out: dL/dcPrev (in place); dGates (rows, 4H) out: gradients of the
     * four pre-activations.
     */
    void lstmBackward(float[] gates, int gOff, float[] cPrev, int cpOff, float[] tanhC, int tcOff,
                      float[] dOut, int dOutOff, float[] dRec, int dRecOff, float[] dc, int dcOff,
                      float[] dGates, int dgOff, int rows, int hidden);

    // ---------------------------------------------------------------- GRU (r, z, n), PyTorch form

    /**
     * xg (rows, 3H) = W_ih x + b_ih in, overwritten with activated r, z, n; hg (rows, 3H) = W_hh hPrev + b_hh
     * (read only). r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r ⊙ h_n), h = (1 − z) ⊙ n + z ⊙ hPrev.
     * h may alias hPrev.
     */
    void gruForward(float[] xg, int xgOff, float[] hg, int hgOff, float[] hPrev, int hpOff,
                    float[] h, int hOff, int rows, int hidden);

    /**
     * Backward of one GRU step. xg (rows, 3H) activated r, z, n; hg (rows, 3H) hidden projections (h_n used);
     * dOut + dh = dL/dh. Writes dXg (rows, 3H) = gradients of the input-side pre-activations, dHg (rows, 3H) of
     * the hidden-side ones (differ in the n block: dHn = dAn ⊙ r), and dh (in place) = the direct part
     * dL/dh ⊙ z of dL/dhPrev (the caller adds dHg · W_hh).
     */
    void gruBackward(float[] xg, int xgOff, float[] hg, int hgOff, float[] hPrev, int hpOff,
                     float[] dOut, int dOutOff, float[] dh, int dhOff,
                     float[] dXg, int dxOff, float[] dHg, int dhgOff, int rows, int hidden);

    // ---------------------------------------------------------------- log-softmax and NLL

    /**
     * Row of n logits (plus bias[bOff..bOff+n) when bias is not null: the output layer's bias, fused here to save a
     * pass over the (B·T, V) logits) turned into log-probabilities in place; returns the log-sum-exp.
     */
    float logSoftmax(float[] x, int off, int n, float[] bias, int bOff);

    /**
     * Row of log-probabilities turned into scale · (softmax − onehot(target)) in place: the fused NLL backward.
     * When sum is not null the result is also added into sum[sOff..sOff+n) (the output bias gradient, while the
     * row is in cache).
     */
    void softmaxMinusOneHot(float[] x, int off, int n, int target, float scale, float[] sum, int sOff);

    /**
     * The training pass of both at once: row of n logits (plus bias when not null) → scale · (softmax −
     * onehot(target)) in place, also added into sum[sOff..sOff+n) when sum is not null; returns the row's NLL
     * −(z[target] − lse), with z the biased logits and lse as {@link #logSoftmax} computes it (same maximum, same
     * sum in the same order), so the loss equals the two-pass one bit for bit. Why: training needs only the
     * gradient and the loss; this takes one exp per logit instead of two and two fewer passes over the row
     * (measured on config D, (1024, 6000): ~3.5 ms instead of ~6 ms per step on 2 threads).
     */
    float logSoftmaxGrad(float[] x, int off, int n, float[] bias, int bOff, int target, float scale, float[] sum, int sOff);

    // ---------------------------------------------------------------- choice of a token

    /**
     * The index in [0, n) of the first largest of x[off, off + n), NaN ignored; −1 when n == 0 or all are NaN.
     * (Greedy decoding: with −∞ for masked tokens, the first token if all are masked.)
     */
    int argmax(float[] x, int off, int n);

    // ---------------------------------------------------------------- choice

    /** The kernels models use: the Vector API at the preferred width, or scalar when -Dyuefu.simd=off. */
    static Kernels best() {
        String simd = System.getProperty("yuefu.simd", "on");
        if (simd.equalsIgnoreCase("off")) return new ScalarKernels();
        return VectorKernels.preferred();
    }

    /** "scalar", "vector" (preferred width) or "vector-64/128/256/512". */
    static Kernels forName(String name) {
        if (name.equals("scalar")) return new ScalarKernels();
        if (name.equals("vector") || name.equals("best")) return best();
        if (name.startsWith("vector-")) {
            try {
                return VectorKernels.ofBits(Integer.parseInt(name.substring(7)));
            } catch (IllegalArgumentException e) {
                // falls through to the message below
            }
        }
        throw new ConfigException("unknown kernels '" + name + "': use scalar, vector or vector-64/128/256/512");
    }
}
