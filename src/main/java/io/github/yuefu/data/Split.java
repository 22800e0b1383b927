package io.github.yuefu.data;

import io.github.yuefu.config.ConfigException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Train / validation split by document (never by window, so no validation poem is ever trained on), seeded and
 * reproducible: {@link #byDocument(EncodedCorpus, double, long)} with the same corpus, fraction and seed always
 * picks the same documents. Save {@link #spec()} with the model; {@link #recreate} rebuilds the split and checks
 * (by a checksum of the validation tokens) that the corpus is the same one.
 *
 * <p>A corpus with a single document (plain text read as a stream) is split by position instead: the last
 * {@code fraction} of its tokens is the validation tail.
 *
 * @param train      training ranges, in corpus order
 * @param validation validation ranges, in corpus order (empty when fraction is 0)
 */
public record Split(Subset train, Subset validation, Spec spec) {

    /**
     * What is needed to recreate a split: seed, fraction, document count and an FNV-1a checksum of the
     * validation tokens (detects a different corpus or different cleaning).
     */
    public record Spec(long seed, double fraction, int documents, long checksum) {}

    public static Split byDocument(EncodedCorpus corpus, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) throw new ConfigException("--valid-fraction must be in [0, 1), got " + fraction);
        int d = corpus.documents();
        Subset train;
        Subset valid;
        if (d == 1) {
            int len = corpus.length(0);
            int cut = (int) Math.round(len * (1 - fraction));
            if (fraction > 0 && (cut < 2 || len - cut < 2)) {
                throw new ConfigException("the corpus is one document of " + len + " tokens, too short to split off a "
                        + fraction + " validation tail; use a larger corpus or --valid-fraction 0");
            }
            train = new Subset(corpus, new int[] {corpus.start(0)}, new int[] {cut});
            valid = cut == len ? new Subset(corpus, new int[0], new int[0])
                    : new Subset(corpus, new int[] {corpus.start(0) + cut}, new int[] {len - cut});
        } else {
            int nValid = fraction == 0 ? 0 : (int) Math.max(1, Math.min(d - 1, Math.round(d * fraction)));
            boolean[] isValid = new boolean[d];
            int[] perm = permutation(d, new SplittableRandom(seed));
            for (int i = 0; i < nValid; i++) isValid[perm[i]] = true;
            train = pick(corpus, isValid, false, d - nValid);
            valid = pick(corpus, isValid, true, nValid);
        }
        return new Split(train, valid, new Spec(seed, fraction, d, checksum(valid)));
    }

    /** The split described by {@code spec}, or an error if {@code corpus} is not the corpus it was made on. */
    public static Split recreate(EncodedCorpus corpus, Spec spec) {
        if (corpus.documents() != spec.documents()) {
            throw new ConfigException("the corpus has " + corpus.documents() + " documents but the model was trained on "
                    + spec.documents() + "; use the same corpus file and cleaning options as for training");
        }
        Split s = byDocument(corpus, spec.fraction(), spec.seed());
        if (s.spec().checksum() != spec.checksum()) {
            throw new ConfigException("the validation documents differ from those the model was trained with (checksum "
                    + Long.toHexString(s.spec().checksum()) + " vs " + Long.toHexString(spec.checksum())
                    + "); use the same corpus file and cleaning options as for training");
        }
        return s;
    }

    /** Fisher–Yates permutation of 0..n-1. */
    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static Subset pick(EncodedCorpus c, boolean[] isValid, boolean want, int n) {
        int[] s = new int[n];
        int[] l = new int[n];
        int k = 0;
        for (int d = 0; d < isValid.length; d++) {
            if (isValid[d] == want) {
                s[k] = c.start(d);
                l[k++] = c.length(d);
            }
        }
        return new Subset(c, Arrays.copyOf(s, k), Arrays.copyOf(l, k));
    }

    private static long checksum(Subset s) {
        long h = 0xcbf29ce484222325L;
        int[] t = s.corpus().tokens();
        for (int i = 0; i < s.size(); i++) {
            h = (h ^ s.start(i)) * 0x100000001b3L;
            for (int j = s.start(i), e = j + s.length(i); j < e; j++) h = (h ^ t[j]) * 0x100000001b3L;
        }
        return h;
    }
}
