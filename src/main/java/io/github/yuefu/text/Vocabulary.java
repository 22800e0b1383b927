package io.github.yuefu.text;

import io.github.yuefu.config.ConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token strings ↔ ids. Ids 0..3 are fixed special tokens so every model, batch and checkpoint agrees on them:
 * {@code 0 = <pad>} (ignored by the loss), {@code 1 = <unk>}, {@code 2 = G} (begin of a document),
 * {@code 3 = E} (end of a document). Ordinary tokens follow in order of falling frequency, ties broken by the
 * token string (code point order) so the same corpus always gives the same ids.
 *
 * <p>A token is a string: one code point for the character tokenizer (so characters outside the BMP are one
 * token, not two UTF-16 units), or a word for the word tokenizer. The special tokens' spellings ("<pad>",
 * "<unk>", "<G>", "<E>") cannot collide with a one-code-point token.
 */
public final class Vocabulary {
    public static final int PAD = 0;
    public static final int UNK = 1;
    public static final int BEGIN = 2;
    public static final int END = 3;
    public static final List<String> SPECIALS = List.of("<pad>", "<unk>", "<G>", "<E>");

    private final List<String> tokens;       // (V) id → token
    private final Map<String, Integer> ids;   // token → id

    /** From an explicit id-ordered token list whose first four entries are {@link #SPECIALS}. */
    public Vocabulary(List<String> tokens) {
        if (tokens.size() < SPECIALS.size() || !tokens.subList(0, SPECIALS.size()).equals(SPECIALS)) {
            throw new ConfigException("vocabulary must start with " + SPECIALS + "; the model file may be damaged");
        }
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            if (ids.put(tokens.get(i), i) != null) {
                throw new ConfigException("vocabulary lists token '" + tokens.get(i) + "' twice; the model file may be damaged");
            }
        }
    }

    /**
     * Frequency-ordered vocabulary from token counts: tokens seen fewer than {@code minCount} times, and those past
     * the {@code maxSize} most frequent (specials included in the size), map to {@code <unk>}.
     */
    public static Vocabulary fromCounts(Map<String, Long> counts, int maxSize, long minCount) {
        if (maxSize < SPECIALS.size() + 1) throw new ConfigException("--max-vocab must be at least " + (SPECIALS.size() + 1));
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.removeIf(e -> e.getValue() < minCount || SPECIALS.contains(e.getKey()));
        entries.sort((a, b) -> {
            int c = Long.compare(b.getValue(), a.getValue());
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        List<String> list = new ArrayList<>(SPECIALS);
        for (Map.Entry<String, Long> e : entries) {
            if (list.size() >= maxSize) break;
            list.add(e.getKey());
        }
        return new Vocabulary(list);
    }

    public int size() {
        return tokens.size();
    }

    /** The id of a token, or {@link #UNK} when it is not in the vocabulary. */
    public int id(String token) {
        Integer i = ids.get(token);
        return i == null ? UNK : i;
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    public String token(int id) {
        return tokens.get(id);
    }

    /** Id-ordered tokens, specials first (what a model file stores). */
    public List<String> tokens() {
        return Collections.unmodifiableList(tokens);
    }

    public static boolean isSpecial(int id) {
        return id < SPECIALS.size();
    }
}
