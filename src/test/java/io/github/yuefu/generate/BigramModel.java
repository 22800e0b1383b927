package io.github.yuefu.generate;

import io.github.yuefu.model.RecurrentState;
import io.github.yuefu.model.StepModel;
import io.github.yuefu.text.Vocabulary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake model for generator tests: next-token logits are log bigram frequencies of a tiny corpus (add-α
 * smoothed, so every token stays possible). The "state" just remembers the last token (H = 1).
 */
public final class BigramModel implements StepModel {
    public final Vocabulary vocab;
    final float[] table; // (V, V) logits of next given previous
    final int v;
    int steps;           // step() calls, for tests that count model passes

    BigramModel(List<String> poems, double alpha) {
        Map<String, Long> counts = new HashMap<>();
        for (String p : poems) p.codePoints().forEach(cp -> counts.merge(Character.toString(cp), 1L, Long::sum));
        vocab = Vocabulary.fromCounts(counts, 100_000, 1);
        v = vocab.size();
        double[] c = new double[v * v];
        for (String p : poems) {
            int prev = Vocabulary.BEGIN;
            for (int cp : p.codePoints().toArray()) {
                int id = vocab.id(Character.toString(cp));
                c[prev * v + id]++;
                prev = id;
            }
            c[prev * v + Vocabulary.END]++;
        }
        table = new float[v * v];
        java.util.Random noise = new java.util.Random(42); // breaks ties, so greedy and top-1 agree
        for (int a = 0; a < v; a++) {
            double sum = 0;
            for (int b = 0; b < v; b++) sum += c[a * v + b] + alpha;
            for (int b = 0; b < v; b++) table[a * v + b] = (float) (Math.log((c[a * v + b] + alpha) / sum) + 1e-3 * noise.nextDouble());
        }
    }

    public static BigramModel poems() {
        return new BigramModel(TestPoems.ALL, 0.01);
    }

    @Override
    public int vocab() {
        return v;
    }

    @Override
    public RecurrentState newState(int batch) {
        return new RecurrentState(1, batch, 1, false);
    }

    @Override
    public void step(int[] tokens, int batch, RecurrentState state, float[] logits) {
        steps++;
        for (int b = 0; b < batch; b++) {
            System.arraycopy(table, tokens[b] * v, logits, b * v, v);
            state.h[b] = tokens[b];
        }
    }

    /** log P(tokens[from..]) under the table, given the token before {@code from}. */
    double logProb(int[] tokens, int before, int from) {
        double lp = 0;
        int prev = before;
        for (int i = from; i < tokens.length; i++) {
            lp += table[prev * v + tokens[i]] - Generator.logSumExp(table, prev * v, v);
            prev = tokens[i];
        }
        return lp;
    }
}
