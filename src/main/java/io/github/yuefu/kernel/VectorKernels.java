package io.github.yuefu.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of {@link ScalarKernels}: the same equations over L lanes at a time, the tail
 * (n mod L elements) done by the scalar formulas. exp, tanh, σ and lane sums come from {@link VectorMath} (tails
 * from its scalar twins), not lanewise EXP/TANH or reduceLanes(ADD), whose bits change when C2 compiles a kernel:
 * results are the same at every JIT tier. They differ from {@link ScalarKernels} (Math in double) by an ulp or
 * so: the two agree to float rounding, not bit for bit.
 *
 * <p>Why the species comes from an abstract {@link #species()} implemented by one tiny final class per width:
 * the JIT only emits real vector instructions when the species is a compile-time constant. A model uses a single
 * width, so the call is monomorphic, gets inlined and folds to the subclass's {@code static final} species.
 * Tests that mix widths see slower (megamorphic) code, which does not change the results.
 */
public abstract sealed class VectorKernels implements Kernels
        permits VectorKernels.W64, VectorKernels.W128, VectorKernels.W256, VectorKernels.W512 {

    abstract VectorSpecies<Float> species();

    /** The width the hardware prefers (512 bits on AVX-512, 256 on AVX2…). */
    public static VectorKernels preferred() {
        return ofBits(FloatVector.SPECIES_PREFERRED.vectorBitSize());
    }

    /** A fixed lane width: 64, 128, 256 or 512 bits (2 to 16 floats). */
    public static VectorKernels ofBits(int bits) {
        return switch (bits) {
            case 64 -> new W64();
            case 128 -> new W128();
            case 256 -> new W256();
            case 512 -> new W512();
            default -> throw new IllegalArgumentException("no float vector of " + bits + " bits");
        };
    }

    @Override
    public String name() {
        return "vector-" + species().vectorBitSize();
    }

    static final class W64 extends VectorKernels {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_64;

        @Override
        VectorSpecies<Float> species() {
            return S;
        }
    }

    static final class W128 extends VectorKernels {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_128;

        @Override
        VectorSpecies<Float> species() {
            return S;
        }
    }

    static final class W256 extends VectorKernels {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;

        @Override
        VectorSpecies<Float> species() {
            return S;
        }
    }

    static final class W512 extends VectorKernels {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;

        @Override
        VectorSpecies<Float> species() {
            return S;
        }
    }

    private static FloatVector sigmoid(FloatVector x) {
        return VectorMath.sigmoid(x);
    }

    /** 1 − y²: the slope of tanh at its output y. */
    private static FloatVector oneMinusSquare(FloatVector y) {
        return y.mul(y).neg().add(1f);
    }

    /** y (1 − y) = y − y²: the slope of σ at its output y. */
    private static FloatVector sigmoidSlope(FloatVector y) {
        return y.sub(y.mul(y));
    }

    private static FloatVector tanh(FloatVector x) {
        return VectorMath.tanh(x);
    }

    @Override
    public void addBiasRows(float[] y, int yOff, int rows, int n, float[] bias, int biasOff) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int o = yOff + r * n, j = 0;
            for (; j < bound; j += s.length()) {
                FloatVector.fromArray(s, y, o + j).add(FloatVector.fromArray(s, bias, biasOff + j)).intoArray(y, o + j);
            }
            for (; j < n; j++) y[o + j] += bias[biasOff + j];
        }
    }

    @Override
    public void fillRows(float[] y, int yOff, int rows, int n, float[] a, int aOff, float[] b, int bOff) {
        for (int r = 0; r < rows; r++) {
            int o = yOff + r * n;
            if (b == null) {
                System.arraycopy(a, aOff, y, o, n);
            } else {
                VectorSpecies<Float> s = species();
                int bound = s.loopBound(n), j = 0;
                for (; j < bound; j += s.length()) {
                    FloatVector.fromArray(s, a, aOff + j).add(FloatVector.fromArray(s, b, bOff + j)).intoArray(y, o + j);
                }
                for (; j < n; j++) y[o + j] = a[aOff + j] + b[bOff + j];
            }
        }
    }

    @Override
    public void sumRowsInto(float[] x, int xOff, int rows, int n, float[] out, int outOff) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int o = xOff + r * n, j = 0;
            for (; j < bound; j += s.length()) {
                FloatVector.fromArray(s, out, outOff + j).add(FloatVector.fromArray(s, x, o + j)).intoArray(out, outOff + j);
            }
            for (; j < n; j++) out[outOff + j] += x[o + j];
        }
    }

    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int n) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        for (; i < bound; i += s.length()) {
            FloatVector.fromArray(s, a, aOff + i).mul(FloatVector.fromArray(s, b, bOff + i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] = a[aOff + i] * b[bOff + i];
    }

    @Override
    public void rnnForward(float[] a, int aOff, float[] h, int hOff, int n) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        for (; i < bound; i += s.length()) tanh(FloatVector.fromArray(s, a, aOff + i)).intoArray(h, hOff + i);
        for (; i < n; i++) h[hOff + i] = VectorMath.tanh(a[aOff + i]);
    }

    @Override
    public void rnnBackward(float[] h, int hOff, float[] dOut, int dOutOff, float[] dRec, int dRecOff,
                            float[] dA, int dAOff, int n) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        for (; i < bound; i += s.length()) {
            FloatVector hv = FloatVector.fromArray(s, h, hOff + i);
            FloatVector d = FloatVector.fromArray(s, dOut, dOutOff + i).add(FloatVector.fromArray(s, dRec, dRecOff + i));
            d.mul(oneMinusSquare(hv)).intoArray(dA, dAOff + i);
        }
        for (; i < n; i++) {
            float hv = h[hOff + i];
            dA[dAOff + i] = (dOut[dOutOff + i] + dRec[dRecOff + i]) * (1f - hv * hv);
        }
    }

    @Override
    public void lstmForward(float[] gates, int gOff, float[] cPrev, int cpOff, float[] c, int cOff,
                            float[] h, int hOff, int rows, int hidden) {
        VectorSpecies<Float> s = species();
        int H = hidden, bound = s.loopBound(H);
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * 4 * H, st = r * H, j = 0;
            // One transcendental per loop: five inlined VectorMath calls in one loop body exceed C2's node budget
            // for inlining (NodeCountInliningCutoff), and a call not inlined boxes every vector (measured 3× slower).
            sigmoidInPlace(gates, g, 2 * H);        // i, f
            tanhInPlace(gates, g + 2 * H, H);       // g
            sigmoidInPlace(gates, g + 3 * H, H);    // o
            for (; j < bound; j += s.length()) {
                FloatVector i = FloatVector.fromArray(s, gates, g + j);
                FloatVector f = FloatVector.fromArray(s, gates, g + H + j);
                FloatVector gg = FloatVector.fromArray(s, gates, g + 2 * H + j);
                FloatVector cv = f.mul(FloatVector.fromArray(s, cPrev, cpOff + st + j)).add(i.mul(gg));
                cv.intoArray(c, cOff + st + j);
                cv.intoArray(h, hOff + st + j);
            }
            for (; j < H; j++) {
                float i = gates[g + j], f = gates[g + H + j], gg = gates[g + 2 * H + j];
                float cv = f * cPrev[cpOff + st + j] + i * gg;
                c[cOff + st + j] = cv;
                h[hOff + st + j] = cv;
            }
            // h = o ⊙ tanh(c): the tanh in a pass of its own too (see above).
            tanhInPlace(h, hOff + st, H);
            mulInPlace(h, hOff + st, gates, g + 3 * H, H);
        }
    }

    /** a[off, off + n) = σ(a) in place. */
    private void sigmoidInPlace(float[] a, int off, int n) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        for (; i < bound; i += s.length()) sigmoid(FloatVector.fromArray(s, a, off + i)).intoArray(a, off + i);
        for (; i < n; i++) a[off + i] = VectorMath.sigmoid(a[off + i]);
    }

    /** a[off, off + n) = tanh(a) in place. */
    private void tanhInPlace(float[] a, int off, int n) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        for (; i < bound; i += s.length()) tanh(FloatVector.fromArray(s, a, off + i)).intoArray(a, off + i);
        for (; i < n; i++) a[off + i] = VectorMath.tanh(a[off + i]);
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        for (; i < bound; i += s.length()) tanh(FloatVector.fromArray(s, x, xOff + i)).intoArray(y, yOff + i);
        for (; i < n; i++) y[yOff + i] = VectorMath.tanh(x[xOff + i]);
    }

    /** a[aOff, aOff + n) *= b[bOff, bOff + n). */
    private void mulInPlace(float[] a, int aOff, float[] b, int bOff, int n) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        for (; i < bound; i += s.length()) {
            FloatVector.fromArray(s, a, aOff + i).mul(FloatVector.fromArray(s, b, bOff + i)).intoArray(a, aOff + i);
        }
        for (; i < n; i++) a[aOff + i] *= b[bOff + i];
    }

    /** a[aOff, aOff + n) = σ(a + b) in place. */
    private void sigmoidOfSumInPlace(float[] a, int aOff, float[] b, int bOff, int n) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        for (; i < bound; i += s.length()) {
            sigmoid(FloatVector.fromArray(s, a, aOff + i).add(FloatVector.fromArray(s, b, bOff + i))).intoArray(a, aOff + i);
        }
        for (; i < n; i++) a[aOff + i] = VectorMath.sigmoid(a[aOff + i] + b[bOff + i]);
    }

    @Override
    public void lstmBackward(float[] gates, int gOff, float[] cPrev, int cpOff, float[] tanhC, int tcOff,
                             float[] dOut, int dOutOff, float[] dRec, int dRecOff, float[] dc, int dcOff,
                             float[] dGates, int dgOff, int rows, int hidden) {
        VectorSpecies<Float> s = species();
        int H = hidden, bound = s.loopBound(H);
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * 4 * H, dg = dgOff + r * 4 * H, st = r * H, j = 0;
            // Pass 1: dc += dh ⊙ o ⊙ (1 − tanh² c) and d o; pass 2 from dc. (tanh c comes in: see Kernels.)
            for (; j < bound; j += s.length()) {
                FloatVector o = FloatVector.fromArray(s, gates, g + 3 * H + j);
                FloatVector dh = FloatVector.fromArray(s, dOut, dOutOff + st + j)
                        .add(FloatVector.fromArray(s, dRec, dRecOff + st + j));
                FloatVector tc = FloatVector.fromArray(s, tanhC, tcOff + st + j);
                FloatVector dcv = FloatVector.fromArray(s, dc, dcOff + st + j)
                        .add(dh.mul(o).mul(oneMinusSquare(tc)));
                dcv.intoArray(dc, dcOff + st + j);
                dh.mul(tc).mul(sigmoidSlope(o)).intoArray(dGates, dg + 3 * H + j);
            }
            for (; j < H; j++) {
                float o = gates[g + 3 * H + j];
                float dh = dOut[dOutOff + st + j] + dRec[dRecOff + st + j];
                float tc = tanhC[tcOff + st + j];
                float dcv = dc[dcOff + st + j] + dh * o * (1f - tc * tc);
                dc[dcOff + st + j] = dcv;
                dGates[dg + 3 * H + j] = dh * tc * o * (1f - o);
            }
            // Pass 2: d i, d f, d g from dc; dc ← dc ⊙ f for the step before.
            for (j = 0; j < bound; j += s.length()) {
                FloatVector i = FloatVector.fromArray(s, gates, g + j);
                FloatVector f = FloatVector.fromArray(s, gates, g + H + j);
                FloatVector gg = FloatVector.fromArray(s, gates, g + 2 * H + j);
                FloatVector dcv = FloatVector.fromArray(s, dc, dcOff + st + j);
                dcv.mul(gg).mul(sigmoidSlope(i)).intoArray(dGates, dg + j);
                dcv.mul(FloatVector.fromArray(s, cPrev, cpOff + st + j)).mul(sigmoidSlope(f)).intoArray(dGates, dg + H + j);
                dcv.mul(i).mul(oneMinusSquare(gg)).intoArray(dGates, dg + 2 * H + j);
                dcv.mul(f).intoArray(dc, dcOff + st + j);
            }
            for (; j < H; j++) {
                float i = gates[g + j], f = gates[g + H + j], gg = gates[g + 2 * H + j];
                float dcv = dc[dcOff + st + j];
                dGates[dg + j] = dcv * gg * i * (1f - i);
                dGates[dg + H + j] = dcv * cPrev[cpOff + st + j] * f * (1f - f);
                dGates[dg + 2 * H + j] = dcv * i * (1f - gg * gg);
                dc[dcOff + st + j] = dcv * f;
            }
        }
    }

    @Override
    public void gruForward(float[] xg, int xgOff, float[] hg, int hgOff, float[] hPrev, int hpOff,
                           float[] h, int hOff, int rows, int hidden) {
        VectorSpecies<Float> s = species();
        int H = hidden, bound = s.loopBound(H);
        for (int r = 0; r < rows; r++) {
            int x = xgOff + r * 3 * H, hh = hgOff + r * 3 * H, st = r * H, j = 0;
            sigmoidOfSumInPlace(xg, x, hg, hh, 2 * H);   // r, z (one transcendental per loop, see lstmForward)
            for (; j < bound; j += s.length()) {        // n's pre-activation, then its tanh in a pass of its own
                FloatVector rv = FloatVector.fromArray(s, xg, x + j);
                FloatVector.fromArray(s, xg, x + 2 * H + j).add(rv.mul(FloatVector.fromArray(s, hg, hh + 2 * H + j)))
                        .intoArray(xg, x + 2 * H + j);
            }
            for (; j < H; j++) xg[x + 2 * H + j] = xg[x + 2 * H + j] + xg[x + j] * hg[hh + 2 * H + j];
            tanhInPlace(xg, x + 2 * H, H);
            for (j = 0; j < bound; j += s.length()) {
                FloatVector z = FloatVector.fromArray(s, xg, x + H + j);
                FloatVector n = FloatVector.fromArray(s, xg, x + 2 * H + j);
                // (1 − z) n + z hPrev = n + z (hPrev − n)
                FloatVector hp = FloatVector.fromArray(s, hPrev, hpOff + st + j);
                z.fma(hp.sub(n), n).intoArray(h, hOff + st + j);
            }
            for (; j < H; j++) {
                float z = xg[x + H + j], n = xg[x + 2 * H + j];
                h[hOff + st + j] = Math.fma(z, hPrev[hpOff + st + j] - n, n);   // as the vector lanes
            }
        }
    }

    @Override
    public void gruBackward(float[] xg, int xgOff, float[] hg, int hgOff, float[] hPrev, int hpOff,
                            float[] dOut, int dOutOff, float[] dh, int dhOff,
                            float[] dXg, int dxOff, float[] dHg, int dhgOff, int rows, int hidden) {
        VectorSpecies<Float> s = species();
        int H = hidden, bound = s.loopBound(H);
        for (int r = 0; r < rows; r++) {
            int x = xgOff + r * 3 * H, hh = hgOff + r * 3 * H, dx = dxOff + r * 3 * H, dhg = dhgOff + r * 3 * H;
            int st = r * H, j = 0;
            for (; j < bound; j += s.length()) {
                FloatVector rv = FloatVector.fromArray(s, xg, x + j);
                FloatVector z = FloatVector.fromArray(s, xg, x + H + j);
                FloatVector n = FloatVector.fromArray(s, xg, x + 2 * H + j);
                FloatVector d = FloatVector.fromArray(s, dOut, dOutOff + st + j)
                        .add(FloatVector.fromArray(s, dh, dhOff + st + j));
                FloatVector dAn = d.mul(z.neg().add(1f)).mul(oneMinusSquare(n));
                FloatVector dAr = dAn.mul(FloatVector.fromArray(s, hg, hh + 2 * H + j)).mul(sigmoidSlope(rv));
                FloatVector dAz = d.mul(FloatVector.fromArray(s, hPrev, hpOff + st + j).sub(n)).mul(sigmoidSlope(z));
                dAr.intoArray(dXg, dx + j);
                dAz.intoArray(dXg, dx + H + j);
                dAn.intoArray(dXg, dx + 2 * H + j);
                dAr.intoArray(dHg, dhg + j);
                dAz.intoArray(dHg, dhg + H + j);
                dAn.mul(rv).intoArray(dHg, dhg + 2 * H + j);
                d.mul(z).intoArray(dh, dhOff + st + j);
            }
            for (; j < H; j++) {
                float rv = xg[x + j], z = xg[x + H + j], n = xg[x + 2 * H + j];
                float d = dOut[dOutOff + st + j] + dh[dhOff + st + j];
                float dAn = d * (1f - z) * (1f - n * n);
                float dAr = dAn * hg[hh + 2 * H + j] * rv * (1f - rv);
                float dAz = d * (hPrev[hpOff + st + j] - n) * z * (1f - z);
                dXg[dx + j] = dAr;
                dXg[dx + H + j] = dAz;
                dXg[dx + 2 * H + j] = dAn;
                dHg[dhg + j] = dAr;
                dHg[dhg + H + j] = dAz;
                dHg[dhg + 2 * H + j] = dAn * rv;
                dh[dhOff + st + j] = d * z;
            }
        }
    }

    /**
     * x[off, off + n) += bias (when not null), in place; returns the row's maximum: both log-softmaxes' first pass.
     * Four running maxima: with one, every max waited on the one before (Java's max, with its NaN and −0 rules, is
     * several instructions). One Zen 4 core, 1024 rows of 6,000: this pass in cache 1.35 → 0.6 ms, the whole training
     * loss pass (rows from memory) 4.72 → 4.55 ms. Math.max is associative and commutative (it returns one of its
     * operands: NaN over everything, then the larger, +0 over −0), so the split changes no bit.
     */
    private float addBiasAndMax(float[] x, int off, int n, float[] bias, int bOff) {
        VectorSpecies<Float> s = species();
        int lanes = s.length(), bound = s.loopBound(n), bound4 = bound - bound % (4 * lanes), i = 0;
        float max = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector m0 = FloatVector.broadcast(s, Float.NEGATIVE_INFINITY), m1 = m0, m2 = m0, m3 = m0;
            for (; i < bound4; i += 4 * lanes) {
                m0 = m0.max(withBias(x, off + i, bias, bOff + i));
                m1 = m1.max(withBias(x, off + i + lanes, bias, bOff + i + lanes));
                m2 = m2.max(withBias(x, off + i + 2 * lanes, bias, bOff + i + 2 * lanes));
                m3 = m3.max(withBias(x, off + i + 3 * lanes, bias, bOff + i + 3 * lanes));
            }
            for (; i < bound; i += lanes) m0 = m0.max(withBias(x, off + i, bias, bOff + i));
            max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            if (bias != null) x[off + i] += bias[bOff + i];
            max = Math.max(max, x[off + i]);
        }
        return max;
    }

    /** x[i, i + lanes), with bias[b, b + lanes) added and stored back when bias is not null (C2 unswitches the loop). */
    private FloatVector withBias(float[] x, int i, float[] bias, int b) {
        FloatVector v = FloatVector.fromArray(species(), x, i);
        if (bias == null) return v;
        v = v.add(FloatVector.fromArray(species(), bias, b));
        v.intoArray(x, i);
        return v;
    }

    @Override
    public float logSoftmax(float[] x, int off, int n, float[] bias, int bOff) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i;
        float max = addBiasAndMax(x, off, n, bias, bOff);
        FloatVector acc = FloatVector.zero(s);
        i = 0;
        for (; i < bound; i += s.length()) {
            acc = acc.add(VectorMath.exp(FloatVector.fromArray(s, x, off + i).sub(max)));
        }
        float sum = VectorMath.sum(acc);
        for (; i < n; i++) sum += VectorMath.exp(x[off + i] - max);
        float lse = max + (float) Math.log(sum);
        i = 0;
        for (; i < bound; i += s.length()) FloatVector.fromArray(s, x, off + i).sub(lse).intoArray(x, off + i);
        for (; i < n; i++) x[off + i] -= lse;
        return lse;
    }

    @Override
    public void softmaxMinusOneHot(float[] x, int off, int n, int target, float scale, float[] sum, int sOff) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        for (; i < bound; i += s.length()) {
            VectorMath.exp(FloatVector.fromArray(s, x, off + i)).mul(scale).intoArray(x, off + i);
        }
        for (; i < n; i++) x[off + i] = scale * VectorMath.exp(x[off + i]);
        x[off + target] -= scale;
        if (sum != null) {
            i = 0;
            for (; i < bound; i += s.length()) {
                FloatVector.fromArray(s, sum, sOff + i).add(FloatVector.fromArray(s, x, off + i)).intoArray(sum, sOff + i);
            }
            for (; i < n; i++) sum[sOff + i] += x[off + i];
        }
    }

    @Override
    public float logSoftmaxGrad(float[] x, int off, int n, float[] bias, int bOff, int target, float scale,
                                float[] sum, int sOff) {
        // Three passes, each a method of its own: as one method C2 ran out of its inlining budget and boxed the
        // vectors (a steady-state allocation profile of config D: ~8 MB a step here, 0 now).
        float max = addBiasAndMax(x, off, n, bias, bOff);   // pass 1, as logSoftmax's
        float zTarget = x[off + target];
        float total = expInPlaceAndSum(x, off, n, max);
        float lse = max + (float) Math.log(total);
        scaleAndAdd(x, off, n, scale / total, sum, sOff);
        if (sum != null) sum[sOff + target] -= scale;   // the one-hot's share, after the softmax's (as the scalar twin)
        x[off + target] -= scale;
        return -(zTarget - lse);
    }

    /** x[off, off + n) ← exp(x − max) in place; returns their sum, added as logSoftmax adds it (lanes, then tail). */
    private float expInPlaceAndSum(float[] x, int off, int n, float max) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        FloatVector acc = FloatVector.zero(s);
        for (; i < bound; i += s.length()) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(s, x, off + i).sub(max));
            e.intoArray(x, off + i);
            acc = acc.add(e);
        }
        float total = VectorMath.sum(acc);
        for (; i < n; i++) {
            float e = VectorMath.exp(x[off + i] - max);
            x[off + i] = e;
            total += e;
        }
        return total;
    }

    /** x[off, off + n) ·= f, then added into sum[sOff, sOff + n) when sum is not null (the bias gradient). */
    private void scaleAndAdd(float[] x, int off, int n, float f, float[] sum, int sOff) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        FloatVector vf = FloatVector.broadcast(s, f);
        if (sum == null) {
            for (; i < bound; i += s.length()) FloatVector.fromArray(s, x, off + i).mul(vf).intoArray(x, off + i);
            for (; i < n; i++) x[off + i] *= f;
            return;
        }
        for (; i < bound; i += s.length()) {
            FloatVector p = FloatVector.fromArray(s, x, off + i).mul(vf);
            p.intoArray(x, off + i);
            FloatVector.fromArray(s, sum, sOff + i).add(p).intoArray(sum, sOff + i);
        }
        for (; i < n; i++) {
            x[off + i] *= f;
            sum[sOff + i] += x[off + i];
        }
    }

    /**
     * Two passes over a row that sits in L1: the largest value (lane-wise maxima that skip NaN: a lane takes v only
     * where v > its maximum so far), then the first index holding it. The scalar loop over 6,000 logits took ~4 µs
     * of a ~110 µs generation step.
     */
    @Override
    public int argmax(float[] x, int off, int n) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        float max = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector m = FloatVector.broadcast(s, Float.NEGATIVE_INFINITY);
            for (; i < bound; i += s.length()) {
                FloatVector v = FloatVector.fromArray(s, x, off + i);
                m = m.blend(v, v.compare(VectorOperators.GT, m));
            }
            max = m.reduceLanes(VectorOperators.MAX);   // no NaN left in m; the order of a max does not matter
        }
        for (; i < n; i++) if (x[off + i] > max) max = x[off + i];
        // −∞ is the answer only if some value is −∞ (the rest NaN); the search below finds it, or returns −1.
        i = 0;
        for (; i < bound; i += s.length()) {
            int lane = FloatVector.fromArray(s, x, off + i).compare(VectorOperators.EQ, max).firstTrue();
            if (lane < s.length()) return i + lane;
        }
        for (; i < n; i++) if (x[off + i] == max) return i;
        return -1;
    }
}
