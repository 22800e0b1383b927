package io.github.yuefu.generate;

import io.github.yuefu.config.SampleConfig;
import io.github.yuefu.kernel.Kernels;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row of (masked) logits: greedy argmax, or a draw from softmax(logits / T)
 * truncated to the top k tokens and then to the nucleus of mass p. The truncation thresholds come from
 * quickselect on a scratch copy (expected O(V), no sort, no allocation); tokens tied with the threshold are all
 * kept, so "top k" may keep a few more than k when probabilities tie exactly.
 *
 * <p>One sampler per generation request: it owns (V) scratch buffers and is not thread-safe.
 */
final class Sampler {
    private static final Kernels KERNELS = Kernels.best();

    private final double temperature;
    private final int topK;
    private final double topP;
    private final float[] probs;   // (V) unnormalised probabilities of the row being sampled
    private final float[] scratch; // (V) quickselect workspace

    Sampler(SampleConfig cfg, int vocab) {
        this.temperature = cfg.temperature();
        this.topK = cfg.topK();
        this.topP = cfg.topP();
        this.probs = new float[vocab];
        this.scratch = new float[vocab];
    }

    /** The chosen token of row {@code logits[off, off+V)}; at least one entry must be finite. */
    int choose(float[] logits, int off, int vocab, SplittableRandom rng) {
        if (temperature == 0) return argmax(logits, off, vocab);
        float max = Float.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) max = Math.max(max, logits[off + v]);
        float invT = (float) (1.0 / temperature);
        int n = 0;
        for (int v = 0; v < vocab; v++) {
            float l = logits[off + v];
            float p = l == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp((l - max) * invT);
            probs[v] = p;
            if (p > 0) scratch[n++] = p;
        }
        if (n == 0) return argmax(logits, off, vocab); // every admissible logit underflowed: fall back to greedy
        float threshold = 0f;
        if (topK > 0 && topK < n) {
            threshold = kthLargest(scratch, n, topK);
            n = 0;
            for (int v = 0; v < vocab; v++) {
                if (probs[v] >= threshold && probs[v] > 0) scratch[n++] = probs[v];
            }
        }
        if (topP < 1) {
            double mass = 0;
            for (int i = 0; i < n; i++) mass += scratch[i];
            threshold = Math.max(threshold, nucleusThreshold(scratch, n, topP * mass));
        }
        double total = 0;
        for (int v = 0; v < vocab; v++) {
            if (probs[v] >= threshold) total += probs[v];
        }
        double u = rng.nextDouble() * total;
        int last = -1;
        for (int v = 0; v < vocab; v++) {
            float p = probs[v];
            if (p >= threshold && p > 0) {
                last = v;
                u -= p;
                if (u < 0) return v;
            }
        }
        return last; // rounding left u a hair above zero: the last kept token
    }

    /** The first largest logit (NaN ignored; the first token when all are −∞, −1 when all are NaN). */
    static int argmax(float[] logits, int off, int vocab) {
        return KERNELS.argmax(logits, off, vocab);
    }

    /** The k-th largest of {@code a[0, n)} (1-based k), by quickselect; reorders {@code a}. */
    static float kthLargest(float[] a, int n, int k) {
        int lo = 0, hi = n, need = k;
        while (true) {
            if (hi - lo <= 16) {
                insertionSortDescending(a, lo, hi);
                return a[lo + need - 1];
            }
            float pivot = median3(a[lo], a[(lo + hi) >>> 1], a[hi - 1]);
            long split = partition3(a, lo, hi, pivot);
            int gtEnd = (int) (split >>> 32), eqEnd = (int) split;
            if (need <= gtEnd - lo) {
                hi = gtEnd;
            } else if (need <= eqEnd - lo) {
                return pivot;
            } else {
                need -= eqEnd - lo;
                lo = eqEnd;
            }
        }
    }

    /**
     * The smallest value t such that the entries ≥ t of {@code a[0, n)} sum to at least {@code target}: the edge of
     * the nucleus. A weighted quickselect: expected O(n); reorders {@code a}.
     */
    static float nucleusThreshold(float[] a, int n, double target) {
        int lo = 0, hi = n;
        double need = target;
        while (true) {
            if (hi - lo <= 16) {
                insertionSortDescending(a, lo, hi);
                for (int i = lo; i < hi; i++) {
                    need -= a[i];
                    if (need <= 0) return a[i];
                }
                return hi > lo ? a[hi - 1] : 0f;
            }
            float pivot = median3(a[lo], a[(lo + hi) >>> 1], a[hi - 1]);
            long split = partition3(a, lo, hi, pivot);
            int gtEnd = (int) (split >>> 32), eqEnd = (int) split;
            double greater = 0;
            for (int i = lo; i < gtEnd; i++) greater += a[i];
            if (greater >= need) {
                hi = gtEnd;
            } else if (greater + (double) pivot * (eqEnd - gtEnd) >= need) {
                return pivot;
            } else {
                need -= greater + (double) pivot * (eqEnd - gtEnd);
                lo = eqEnd;
                if (lo >= hi) return pivot;
            }
        }
    }

    /** Dutch-flag partition of a[lo, hi) into > pivot, == pivot, < pivot; returns (end of >) << 32 | (end of ==). */
    private static long partition3(float[] a, int lo, int hi, float pivot) {
        int lt = lo, i = lo, gt = hi;
        while (i < gt) {
            float x = a[i];
            if (x > pivot) {
                a[i++] = a[lt];
                a[lt++] = x;
            } else if (x < pivot) {
                a[i] = a[--gt];
                a[gt] = x;
            } else {
                i++;
            }
        }
        return ((long) lt << 32) | gt;
    }

    private static float median3(float x, float y, float z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
    }

    private static void insertionSortDescending(float[] a, int lo, int hi) {
        for (int i = lo + 1; i < hi; i++) {
            float x = a[i];
            int j = i - 1;
            while (j >= lo && a[j] < x) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = x;
        }
    }
}
