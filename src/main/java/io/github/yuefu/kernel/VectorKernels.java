package io.github.yuefu.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API twin of {@link ScalarKernels}: the same equations over L lanes at a time, the tail
 * (n mod L elements) done by the scalar formulas. exp, σ and tanh are computed here from IEEE arithmetic (see
 * {@link #exp}), within a few ulp of {@link Math}'s: the two agree to float rounding, not bit for bit.
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

    // exp, σ and tanh from adds, multiplies, fma and an int conversion only, not lanewise(EXP/TANH): those are
    // SVML intrinsics once C2 has compiled a kernel but a Math-based fallback before, and the two differ in the
    // last bit (measured: 19 of 1536 LSTM outputs), so results would depend on when the JIT kicked in. IEEE add,
    // multiply, fma and the int conversion give the same bits interpreted or compiled: a fixed seed is bit-identical.

    /** e^x to ~1 ulp (Cephes expf): x = n·ln2 + r, e^r by a degree-6 polynomial, 2^n built in the exponent bits. */
    static FloatVector exp(FloatVector x) {
        x = x.max(-87.3f).min(88.3f); // e^±88 is about the float range; below −87 the result is ~0 anyway
        // n = round(x·log2 e) by the 1.5·2^23 trick: adding it leaves n in the low mantissa bits (no conversions).
        FloatVector t = x.mul(1.44269504088896341f).add(0x1.8p23f);
        FloatVector nf = t.sub(0x1.8p23f);
        IntVector n = t.reinterpretAsInts().sub(0x4B400000);
        FloatVector r = x.sub(nf.mul(0.693359375f)).add(nf.mul(2.12194440e-4f)); // r = x − n·ln2 (ln2 in two parts)
        FloatVector y = r.mul(1.9875691500e-4f).add(1.3981999507e-3f)
                .fma(r, FloatVector.broadcast(x.species(), 8.3334519073e-3f))
                .fma(r, FloatVector.broadcast(x.species(), 4.1665795894e-2f))
                .fma(r, FloatVector.broadcast(x.species(), 1.6666665459e-1f))
                .fma(r, FloatVector.broadcast(x.species(), 5.0000001201e-1f));
        y = y.mul(r.mul(r)).add(r).add(1f);
        FloatVector pow2n = n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(pow2n);
    }

    /**
     * y = σ(x), or tanh(x) = 2σ(2x) − 1 when tanh, over n elements (y may alias x). Why a loop of its own: a kernel
     * that inlines several exp polynomials outgrows C2's inlining node budget and the rest of its vector code falls
     * back to boxed objects (measured 10× slower); one exp per compiled loop keeps every kernel intrinsified.
     */
    private void activate(float[] x, int xOff, float[] y, int yOff, int n, boolean tanh) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        float k = tanh ? -2f : -1f;
        for (; i < bound; i += s.length()) {
            FloatVector v = FloatVector.fromArray(s, x, xOff + i);
            FloatVector sig = FloatVector.broadcast(s, 1f).div(exp(v.mul(k)).add(1f));
            (tanh ? sig.add(sig).sub(1f) : sig).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = tanh ? ScalarKernels.tanh(x[xOff + i]) : ScalarKernels.sigmoid(x[xOff + i]);
    }

    /**
     * Σ lanes in lane order. Not reduceLanes(ADD): its order of additions is unspecified and does differ between
     * the interpreter/C1 and C2's intrinsic, so the same row could give a different last bit early and late in a
     * run — and a fixed seed must give bit-identical results. Once per row, so the scalar loop costs nothing.
     */
    private static float sumLanesInOrder(FloatVector v) {
        float sum = 0f;
        for (int i = 0; i < v.length(); i++) sum += v.lane(i);
        return sum;
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
        activate(a, aOff, h, hOff, n, true);
    }

    // The backward kernels write σ'(y) = y − y² and tanh'(y) = 1 − y² inline, not as helpers taking vectors: a
    // helper C2 fails to inline (its node budget runs out in these long loops) boxes its vectors, 5× slower.

    @Override
    public void rnnBackward(float[] h, int hOff, float[] dOut, int dOutOff, float[] dRec, int dRecOff,
                            float[] dA, int dAOff, int n) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        for (; i < bound; i += s.length()) {
            FloatVector hv = FloatVector.fromArray(s, h, hOff + i);
            FloatVector d = FloatVector.fromArray(s, dOut, dOutOff + i).add(FloatVector.fromArray(s, dRec, dRecOff + i));
            d.mul(hv.mul(hv).neg().add(1f)).intoArray(dA, dAOff + i);
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
            // All four gates through one σ pass (fewer inlined exp copies: see activate): tanh(a) = 2σ(2a) − 1.
            scale(gates, g + 2 * H, H, 2f);
            activate(gates, g, gates, g, 4 * H, false);
            for (; j < bound; j += s.length()) {
                FloatVector y = FloatVector.fromArray(s, gates, g + 2 * H + j);
                y.add(y).sub(1f).intoArray(gates, g + 2 * H + j);
            }
            for (; j < H; j++) gates[g + 2 * H + j] = 2f * gates[g + 2 * H + j] - 1f;
            j = 0;
            for (; j < bound; j += s.length()) {
                FloatVector i = FloatVector.fromArray(s, gates, g + j);
                FloatVector f = FloatVector.fromArray(s, gates, g + H + j);
                FloatVector gg = FloatVector.fromArray(s, gates, g + 2 * H + j);
                f.mul(FloatVector.fromArray(s, cPrev, cpOff + st + j)).add(i.mul(gg)).intoArray(c, cOff + st + j);
            }
            for (; j < H; j++) c[cOff + st + j] = gates[g + H + j] * cPrev[cpOff + st + j] + gates[g + j] * gates[g + 2 * H + j];
            activate(c, cOff + st, h, hOff + st, H, true);           // tanh(c) …
            mul(h, hOff + st, gates, g + 3 * H, h, hOff + st, H);    // … times o
        }
    }

    @Override
    public void lstmBackward(float[] gates, int gOff, float[] cPrev, int cpOff, float[] c, int cOff,
                             float[] dOut, int dOutOff, float[] dRec, int dRecOff, float[] dc, int dcOff,
                             float[] dGates, int dgOff, int rows, int hidden) {
        VectorSpecies<Float> s = species();
        int H = hidden, bound = s.loopBound(H);
        for (int r = 0; r < rows; r++) {
            int g = gOff + r * 4 * H, dg = dgOff + r * 4 * H, st = r * H, j = 0;
            activate(c, cOff + st, dGates, dg + 3 * H, H, true); // tanh(c) parked in the o block, overwritten below
            for (; j < bound; j += s.length()) {
                FloatVector i = FloatVector.fromArray(s, gates, g + j);
                FloatVector f = FloatVector.fromArray(s, gates, g + H + j);
                FloatVector gg = FloatVector.fromArray(s, gates, g + 2 * H + j);
                FloatVector o = FloatVector.fromArray(s, gates, g + 3 * H + j);
                FloatVector dh = FloatVector.fromArray(s, dOut, dOutOff + st + j)
                        .add(FloatVector.fromArray(s, dRec, dRecOff + st + j));
                FloatVector tc = FloatVector.fromArray(s, dGates, dg + 3 * H + j);
                FloatVector dcv = FloatVector.fromArray(s, dc, dcOff + st + j)
                        .add(dh.mul(o).mul(tc.mul(tc).neg().add(1f)));
                dcv.mul(gg).mul(i.sub(i.mul(i))).intoArray(dGates, dg + j);
                dcv.mul(FloatVector.fromArray(s, cPrev, cpOff + st + j)).mul(f.sub(f.mul(f))).intoArray(dGates, dg + H + j);
                dcv.mul(i).mul(gg.mul(gg).neg().add(1f)).intoArray(dGates, dg + 2 * H + j);
                dh.mul(tc).mul(o.sub(o.mul(o))).intoArray(dGates, dg + 3 * H + j);
                dcv.mul(f).intoArray(dc, dcOff + st + j);
            }
            for (; j < H; j++) {
                float i = gates[g + j], f = gates[g + H + j], gg = gates[g + 2 * H + j], o = gates[g + 3 * H + j];
                float dh = dOut[dOutOff + st + j] + dRec[dRecOff + st + j];
                float tc = dGates[dg + 3 * H + j];
                float dcv = dc[dcOff + st + j] + dh * o * (1f - tc * tc);
                dGates[dg + j] = dcv * gg * i * (1f - i);
                dGates[dg + H + j] = dcv * cPrev[cpOff + st + j] * f * (1f - f);
                dGates[dg + 2 * H + j] = dcv * i * (1f - gg * gg);
                dGates[dg + 3 * H + j] = dh * tc * o * (1f - o);
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
            addInto(xg, x, hg, hh, 2 * H);                       // x_r + h_r, x_z + h_z
            activate(xg, x, xg, x, 2 * H, false);                // r, z
            for (; j < bound; j += s.length()) {                 // x_n + r ⊙ h_n
                FloatVector rv = FloatVector.fromArray(s, xg, x + j);
                rv.fma(FloatVector.fromArray(s, hg, hh + 2 * H + j), FloatVector.fromArray(s, xg, x + 2 * H + j))
                        .intoArray(xg, x + 2 * H + j);
            }
            for (; j < H; j++) xg[x + 2 * H + j] = xg[x + 2 * H + j] + xg[x + j] * hg[hh + 2 * H + j];
            activate(xg, x + 2 * H, xg, x + 2 * H, H, true);     // n
            j = 0;
            for (; j < bound; j += s.length()) {                 // h = (1 − z) n + z hPrev = n + z (hPrev − n)
                FloatVector z = FloatVector.fromArray(s, xg, x + H + j);
                FloatVector n = FloatVector.fromArray(s, xg, x + 2 * H + j);
                z.fma(FloatVector.fromArray(s, hPrev, hpOff + st + j).sub(n), n).intoArray(h, hOff + st + j);
            }
            for (; j < H; j++) {
                float z = xg[x + H + j], n = xg[x + 2 * H + j];
                h[hOff + st + j] = (1f - z) * n + z * hPrev[hpOff + st + j];
            }
        }
    }

    /** x[i] = a · e^x[i] over n elements (a loop of its own, like {@link #activate}). */
    private void expScaled(float[] x, int off, int n, float a) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        for (; i < bound; i += s.length()) exp(FloatVector.fromArray(s, x, off + i)).mul(a).intoArray(x, off + i);
        for (; i < n; i++) x[off + i] = a * (float) Math.exp(x[off + i]);
    }

    /** x[i] *= a over n elements. */
    private void scale(float[] x, int off, int n, float a) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        for (; i < bound; i += s.length()) FloatVector.fromArray(s, x, off + i).mul(a).intoArray(x, off + i);
        for (; i < n; i++) x[off + i] *= a;
    }

    /** y[i] += x[i] over n elements. */
    private void addInto(float[] y, int yOff, float[] x, int xOff, int n) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        for (; i < bound; i += s.length()) {
            FloatVector.fromArray(s, y, yOff + i).add(FloatVector.fromArray(s, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] += x[xOff + i];
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
                FloatVector dAn = d.mul(z.neg().add(1f)).mul(n.mul(n).neg().add(1f));
                FloatVector dAr = dAn.mul(FloatVector.fromArray(s, hg, hh + 2 * H + j)).mul(rv.sub(rv.mul(rv)));
                FloatVector dAz = d.mul(FloatVector.fromArray(s, hPrev, hpOff + st + j).sub(n)).mul(z.sub(z.mul(z)));
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

    @Override
    public float logSoftmax(float[] x, int off, int n, float[] bias, int bOff) {
        VectorSpecies<Float> s = species();
        int bound = s.loopBound(n), i = 0;
        float max = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector m = FloatVector.broadcast(s, Float.NEGATIVE_INFINITY);
            if (bias == null) {
                for (; i < bound; i += s.length()) m = m.max(FloatVector.fromArray(s, x, off + i));
            } else {
                for (; i < bound; i += s.length()) {
                    FloatVector v = FloatVector.fromArray(s, x, off + i).add(FloatVector.fromArray(s, bias, bOff + i));
                    v.intoArray(x, off + i);
                    m = m.max(v);
                }
            }
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            if (bias != null) x[off + i] += bias[bOff + i];
            max = Math.max(max, x[off + i]);
        }
        FloatVector acc = FloatVector.zero(s);
        i = 0;
        for (; i < bound; i += s.length()) {
            acc = acc.add(exp(FloatVector.fromArray(s, x, off + i).sub(max)));
        }
        float sum = sumLanesInOrder(acc);
        for (; i < n; i++) sum += (float) Math.exp(x[off + i] - max);
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
        expScaled(x, off, n, scale);
        x[off + target] -= scale;
        if (sum != null) {
            i = 0;
            for (; i < bound; i += s.length()) {
                FloatVector.fromArray(s, sum, sOff + i).add(FloatVector.fromArray(s, x, off + i)).intoArray(sum, sOff + i);
            }
            for (; i < n; i++) sum[sOff + i] += x[off + i];
        }
    }
}
