package io.github.yuefu.train;

import io.github.yuefu.data.Batch;
import io.github.yuefu.data.Batches;
import io.github.yuefu.data.StreamBatches;
import io.github.yuefu.model.LanguageModel;
import io.github.yuefu.model.RecurrentState;
import io.github.yuefu.text.Vocabulary;

/**
 * Held-out evaluation: one pass over a whole split with dropout off. Perplexity is exp(total NLL / total counted
 * tokens) over the split — not an average of per-batch perplexities, which would weight short batches too much.
 * Bits per token (per character for the character tokenizer) = mean NLL / ln 2.
 *
 * <p>Touches neither the training state nor the model's dropout RNG, so evaluating does not change what training
 * does next (exact resume depends on that).
 */
public final class Evaluator {
    private Evaluator() {}

    /** Loss (mean NLL, nats), perplexity, bits per token, and the number of tokens counted. */
    public record Result(double loss, double ppl, double bpc, long tokens) {
        static Result of(double sumNll, long count) {
            double loss = count == 0 ? Double.NaN : sumNll / count;
            return new Result(loss, Math.exp(loss), loss / Math.log(2), count);
        }
    }

    /** One epoch of {@code split} (its batch order for epoch 0); stream batches carry the state across windows. */
    public static Result evaluate(LanguageModel model, Batches split) {
        boolean carry = split instanceof StreamBatches;
        RecurrentState state = null;
        double sum = 0;
        long count = 0;
        for (Batch b : split.epoch(0)) {
            if (carry && (state == null || state.batch != b.batch())) state = model.newState(b.batch());
            if (carry && b.resetState()) state.reset();
            model.forward(b.inputs(), b.targets(), b.batch(), b.time(), Vocabulary.PAD, state, false);
            sum += model.lastSumNll();
            count += model.lastTargetCount();
        }
        return Result.of(sum, count);
    }
}
