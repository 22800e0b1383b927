package io.github.yuefu.text;

import io.github.yuefu.config.CorpusConfig.TokenizerKind;
import java.util.ArrayList;
import java.util.List;

/** One token per Unicode code point (never per UTF-16 {@code char}: 2,556 poems.txt characters are outside the BMP). */
public final class CharTokenizer implements Tokenizer {
    public static final CharTokenizer INSTANCE = new CharTokenizer();

    private CharTokenizer() {}

    @Override
    public TokenizerKind kind() {
        return TokenizerKind.CHAR;
    }

    @Override
    public List<String> split(String text) {
        List<String> out = new ArrayList<>(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            out.add(text.substring(i, i + n));
            i += n;
        }
        return out;
    }

    /** Fast path: a code point → id table lookup, no token strings made. */
    @Override
    public int encode(String text, Vocabulary vocab, int[] out, int pos) {
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            out[pos++] = vocab.idOfCodePoint(cp);
            i += Character.charCount(cp);
        }
        return pos;
    }
}
