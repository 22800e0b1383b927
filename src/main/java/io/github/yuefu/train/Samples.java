package io.github.yuefu.train;

import io.github.yuefu.model.RecurrentState;
import io.github.yuefu.model.StepModel;
import io.github.yuefu.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A minimal temperature sampler for the samples written during training (the generate package has the real
 * samplers: top-k/top-p, beam search, forms). Primes with G and the seed character, then draws from
 * softmax(logits / temperature) until E or {@code maxLen} tokens. Seeded: the same step gives the same samples.
 */
public final class Samples {
    /** The seed characters of the README's main job. */
    public static final List<String> SEEDS = List.of("日", "红", "山", "夜", "湖", "海", "月");

    private Samples() {}

    /** One text per seed character in the vocabulary (others are skipped). */
    public static List<String> write(StepModel model, Vocabulary vocab, List<String> seeds, long rngSeed,
                                     double temperature, int maxLen) {
        List<String> out = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(rngSeed);
        float[] logits = new float[model.vocab()];
        int[] tok = new int[1];
        for (String s : seeds) {
            if (!vocab.contains(s)) continue;
            RecurrentState state = model.newState(1);
            StringBuilder sb = new StringBuilder(s);
            tok[0] = Vocabulary.BEGIN;
            model.step(tok, 1, state, logits);
            tok[0] = vocab.id(s);
            for (int i = 0; i < maxLen; i++) {
                model.step(tok, 1, state, logits);
                int next = draw(logits, temperature, rng);
                if (next == Vocabulary.END) break;
                if (!Vocabulary.isSpecial(next)) sb.append(vocab.token(next));
                tok[0] = next;
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** Draws an id from softmax(logits / temperature), never pad, begin or unk. */
    static int draw(float[] logits, double temperature, SplittableRandom rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < logits.length; v++) if (allowed(v)) max = Math.max(max, logits[v]);
        double z = 0;
        double[] p = new double[logits.length];
        for (int v = 0; v < logits.length; v++) {
            p[v] = allowed(v) ? Math.exp((logits[v] - max) / temperature) : 0;
            z += p[v];
        }
        double u = rng.nextDouble() * z;
        for (int v = 0; v < logits.length; v++) {
            u -= p[v];
            if (u <= 0 && p[v] > 0) return v;
        }
        return Vocabulary.END;
    }

    private static boolean allowed(int v) {
        return v != Vocabulary.PAD && v != Vocabulary.BEGIN && v != Vocabulary.UNK;
    }
}
