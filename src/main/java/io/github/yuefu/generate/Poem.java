package io.github.yuefu.generate;

import java.util.List;

/**
 * One generated poem.
 *
 * @param text       printed text: the start character or prefix, then what the model wrote (no end token)
 * @param tokens     ids of the printed text, followed by the end token when the poem ended
 * @param logProb    natural-log probability under the model (raw softmax, before temperature, truncation or
 *                   masks) of the generated tokens, end token included; prompt tokens are given, not scored
 * @param scored     number of tokens in {@code logProb}
 * @param perplexity exp(−logProb / scored)
 * @param relaxed    constraints relaxed to get out of a dead end (empty when all held)
 */
public record Poem(String text, int[] tokens, double logProb, int scored, double perplexity, List<String> relaxed) {

    /** The text one clause pair per line: a line break after every 。！？； (see {@link PoemText#lines}). */
    public List<String> lines() {
        return PoemText.lines(text);
    }
}
