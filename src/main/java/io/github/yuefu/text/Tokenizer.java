package io.github.yuefu.text;

import io.github.yuefu.config.CorpusConfig.TokenizerKind;
import java.util.List;

/**
 * Text → token strings. Two kinds: {@link CharTokenizer} (one token per Unicode code point, so a CJK Extension B
 * character is one token, not a surrogate pair) and {@link WordTokenizer} (HanLP's segmenter, for prose).
 * Both keep every code point: joining the tokens gives back the text exactly.
 */
public interface Tokenizer {

    TokenizerKind kind();

    /** The tokens of {@code text}, in order; their concatenation is {@code text}. */
    List<String> split(String text);

    /**
     * Appends the ids of {@code text}'s tokens to {@code out} starting at {@code pos}; unknown tokens → {@link Vocabulary#UNK}.
     * Returns the new position. {@code out} must have room for {@link #maxTokens(String)} ids.
     */
    default int encode(String text, Vocabulary vocab, int[] out, int pos) {
        for (String t : split(text)) out[pos++] = vocab.id(t);
        return pos;
    }

    /** An upper bound on the number of tokens of {@code text} (its code point count). */
    default int maxTokens(String text) {
        return text.codePointCount(0, text.length());
    }

    static Tokenizer of(TokenizerKind kind) {
        return switch (kind) {
            case CHAR -> CharTokenizer.INSTANCE;
            case WORD -> new WordTokenizer();
        };
    }
}
