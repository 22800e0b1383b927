package io.github.yuefu.generate;

/**
 * Receives tokens as they are chosen (for server-sent events and interactive echo). Sampling reports each token
 * the step it is drawn; beam search can only report a poem once it is final, then token by token. The end
 * token is reported as id {@link io.github.yuefu.text.Vocabulary#END} with text "".
 */
@FunctionalInterface
public interface TokenListener {
    void onToken(int poem, int id, String text);
}
