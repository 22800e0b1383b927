package io.github.yuefu.nn;

import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.Parallel;

/**
 * Inverted dropout (training only): each element is kept with probability 1 − p and scaled by 1 / (1 − p),
 * so evaluation needs no rescaling.
 *
 * <pre>
 * Legend: n elements (T·B·H).
 * mask (n) ∈ {0, 1/(1−p)};  forward: y = x ⊙ mask;  backward: dx = dy ⊙ mask
 * </pre>
 *
 * The random draws are counter-based: element i of a call seeded with s keeps iff hash(s, i) ≥ p. So the mask is
 * the same whatever the thread count or chunking, and the caller's RNG state (a long, saved in checkpoints)
 * advances by one per call, which makes resume exact.
 */
public final class Dropout {
    private final float p;
    private final float scale; // 1 / (1 − p)
    private final Kernels k;
    private float[] mask = new float[0]; // (n) the kept-and-scaled mask of the last forward
    private float[] out = new float[0];  // (n) y of the last forward
    private long seed;                   // seed of the call in flight, read by maskBody
    private final Parallel.RangeBody maskBody = this::drawMask; // made once: no lambda per call

    public Dropout(float p, Kernels k) {
        this.p = p;
        this.scale = 1f / (1f - p);
        this.k = k;
    }

    /** splitmix64's finaliser: a good 64-bit mix, cheap enough per element. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The next RNG state after a call seeded with s. */
    public static long advance(long s) {
        return mix(s + 0x9e3779b97f4a7c15L);
    }

    /** y = x ⊙ mask with a fresh mask drawn from seed; returns the buffer holding y (n), valid until the next call. */
    public float[] forward(long seed, float[] x, int xOff, int n) {
        if (mask.length < n) {
            mask = new float[n];
            out = new float[n];
        }
        this.seed = seed;
        Parallel.forRange(n, 1 << 15, maskBody);
        k.mul(x, xOff, mask, 0, out, 0, n);
        return out;
    }

    /** mask[i] = 0 with probability p, else 1/(1−p); u_i = hash(seed, i) uniform in [0, 1). */
    private void drawMask(int from, int to) {
        for (int i = from; i < to; i++) {
            double u = (mix(seed ^ (i * 0x9e3779b97f4a7c15L)) >>> 11) * 0x1.0p-53;
            mask[i] = u < p ? 0f : scale;
        }
    }

    /** dx = dy ⊙ mask (may be in place). */
    public void backward(float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        k.mul(dy, dyOff, mask, 0, dx, dxOff, n);
    }
}
