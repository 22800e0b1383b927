package io.github.yuefu.data;

/**
 * One (B, T) batch, row-major ({@code b*T + t}). Pad positions hold {@link io.github.yuefu.text.Vocabulary#PAD} = 0
 * in both arrays; a target of 0 is ignored by the loss (pass {@code ignoreIndex = 0} to the model).
 *
 * @param batch       B rows (the last batch of a poem epoch may have fewer than the configured size)
 * @param time        T steps
 * @param inputs      (B*T) input ids
 * @param targets     (B*T) inputs shifted by one; 0 = padding, not counted
 * @param targetCount number of non-pad targets (what the mean loss divides by)
 * @param resetState  true when the recurrent state must start from zero (every poem batch; the first window of
 *                    each stream epoch); false = carry the final state of the previous batch (truncated BPTT)
 * @param epoch       epoch this batch belongs to (0-based)
 * @param index       position in the epoch (0-based); the cursor after it is (epoch, index + 1)
 */
public record Batch(int batch, int time, int[] inputs, int[] targets, int targetCount, boolean resetState, int epoch, int index) {

    /** The mask: true when position {@code k = b*T + t} has a real target (counted by the loss), false for padding. */
    public boolean isTarget(int k) {
        return targets[k] != io.github.yuefu.text.Vocabulary.PAD;
    }
}
