package io.github.yuefu.generate;

import com.hankcs.hanlp.HanLP;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.text.Tokenizer;
import io.github.yuefu.text.Vocabulary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns prompt text into token ids, refusing characters the model has never seen (feeding {@code <unk>} would
 * quietly derail the poem, as the course reports' generators did with a KeyError). The error lists every unknown
 * character and, where the vocabulary has it, its simplified or traditional counterpart.
 */
public final class Prompts {
    private Prompts() {}

    /** Ids of {@code text}'s tokens (one per code point for a character vocabulary). */
    public static int[] encode(String text, Vocabulary vocab, Tokenizer tokenizer, String option) {
        List<String> tokens = tokenizer.split(text);
        int[] ids = new int[tokens.size()];
        Set<String> unknown = new LinkedHashSet<>();
        for (int i = 0; i < ids.length; i++) {
            String t = tokens.get(i);
            if (vocab.contains(t) && !Vocabulary.isSpecial(vocab.id(t))) {
                ids[i] = vocab.id(t);
            } else {
                unknown.add(t);
            }
        }
        if (!unknown.isEmpty()) throw new ConfigException(unknownMessage(unknown, vocab, option));
        return ids;
    }

    private static String unknownMessage(Set<String> unknown, Vocabulary vocab, String option) {
        List<String> parts = new ArrayList<>();
        for (String u : unknown) {
            String shown = u.isBlank() ? "'" + u + "' (U+" + Integer.toHexString(u.codePointAt(0)).toUpperCase() + ")" : "'" + u + "'";
            String hint = suggestion(u, vocab);
            parts.add(hint == null ? shown : shown + " (try '" + hint + "')");
        }
        return option + " has " + (unknown.size() == 1 ? "a character" : unknown.size() + " characters")
                + " the model does not know: " + String.join(", ", parts)
                + "; use characters from the training corpus";
    }

    /** A counterpart of {@code u} the vocabulary knows: simplified, traditional, or null. */
    static String suggestion(String u, Vocabulary vocab) {
        if (u.isEmpty() || Character.UnicodeScript.of(u.codePointAt(0)) != Character.UnicodeScript.HAN) return null;
        for (String cand : new String[] {HanLP.convertToSimplifiedChinese(u), HanLP.convertToTraditionalChinese(u)}) {
            if (cand != null && !cand.equals(u) && vocab.contains(cand)) return cand;
        }
        return null;
    }
}
