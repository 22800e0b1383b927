package io.github.yuefu.generate;

import io.github.yuefu.config.SampleConfig;
import io.github.yuefu.text.Vocabulary;

/**
 * Discouraging repetition. The repetition penalty (Keskar et al., CTRL) divides a positive logit of a token
 * already in the poem by θ and multiplies a negative one by θ; punctuation and special tokens are exempt, since
 * a poem must repeat its ，and 。. The no-repeat n-gram rule (as in fairseq/HF) forbids any token that would
 * complete an n-gram already present. Both work in place on one row of logits, allocation-free.
 */
final class Penalties {
    private final float penalty;
    private final int ngram;
    private final TokenClasses tc;
    private final int[] stamp; // (V) call number of the last time a token was penalised: dedupe without clearing
    private int calls;

    Penalties(SampleConfig cfg, TokenClasses tc) {
        this.penalty = (float) cfg.repetitionPenalty();
        this.ngram = cfg.noRepeatNgram();
        this.tc = tc;
        this.stamp = new int[tc.vocab];
    }

    boolean active() {
        return penalty != 1f || ngram > 0;
    }

    void repetition(int[] hist, int len, float[] logits, int off) {
        if (penalty == 1f) return;
        int call = ++calls;
        for (int i = 0; i < len; i++) {
            int t = hist[i];
            if (Vocabulary.isSpecial(t) || tc.clauseEnd[t] || stamp[t] == call) continue;
            stamp[t] = call;
            float l = logits[off + t];
            logits[off + t] = l > 0 ? l / penalty : l * penalty;
        }
    }

    /** Bans every token that would complete an n-gram of {@code hist[0, len)} a second time (punctuation exempt). */
    void noRepeat(int[] hist, int len, float[] logits, int off) {
        int n = ngram;
        if (n <= 0 || len < n - 1) return;
        // The new n-gram would be hist[len-n+1, len) + x; find earlier positions i with the same n-1 prefix.
        for (int i = 0; i + n - 1 < len; i++) {
            boolean same = true;
            for (int j = 0; j < n - 1 && same; j++) same = hist[i + j] == hist[len - n + 1 + j];
            int banned = hist[i + n - 1];
            if (same && !tc.clauseEnd[banned]) logits[off + banned] = Float.NEGATIVE_INFINITY; // a form needs its ，。
        }
    }
}
