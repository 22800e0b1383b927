package io.github.yuefu.model;

/**
 * What a generator needs from a model: advance B sequences by one token each and get the next-token logits.
 * {@link LanguageModel} implements it; tests of samplers and constraints can use a tiny fake.
 */
public interface StepModel {
    /** Vocabulary size V. */
    int vocab();

    /** A fresh zero state for {@code batch} sequences. */
    RecurrentState newState(int batch);

    /**
     * One step for {@code batch} sequences: feed {@code tokens[0..batch)}, update {@code state} in place, and
     * write raw (pre-softmax) logits into {@code logits} (batch, V). Allocates nothing.
     */
    void step(int[] tokens, int batch, RecurrentState state, float[] logits);
}
