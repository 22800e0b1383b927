package io.github.yuefu.text;

import io.github.yuefu.config.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Token strings ↔ ids. Ids 0..3 are fixed special tokens so every model, batch and checkpoint agrees on them:
 * {@code 0 = <pad>} (ignored by the loss), {@code 1 = <unk>}, {@code 2 = G} (begin of a document),
 * {@code 3 = E} (end of a document). Ordinary tokens follow in order of falling frequency, ties broken by the
 * token string (code point order) so the same corpus always gives the same ids.
 *
 * <p>A token is a string: one code point for the character tokenizer (so characters outside the BMP are one
 * token, not two UTF-16 units), or a word for the word tokenizer. The special tokens' spellings ("<pad>",
 * "<unk>", "<G>", "<E>") cannot collide with a one-code-point token. The line break {@link #LINE_BREAK} is an
 * ordinary token (lyrics and prose read as a stream keep their lines); it gets an id by frequency like any other.
 *
 * <p>Typical use: {@code Vocabulary.build(corpus.documents(), tokenizer, maxVocab, minCount)}, then
 * {@code tokenizer.encode(text, vocab, out, pos)} (or {@link #encode(String)} for characters), {@link #decode(int[])}
 * to print, and {@link #encodePrompt} for text typed by a user (unknown characters are an error listing them).
 * Encoding then decoding gives back the text exactly when every token is in the vocabulary.
 */
public final class Vocabulary {
    public static final int PAD = 0;
    public static final int UNK = 1;
    public static final int BEGIN = 2;
    public static final int END = 3;
    public static final List<String> SPECIALS = List.of("<pad>", "<unk>", "<G>", "<E>");
    /** The line-break token: an ordinary token, not a special. */
    public static final String LINE_BREAK = "\n";
    /** Code points up to here get a direct lookup table (covers CJK Extensions B–H); the rest use the map. */
    private static final int TABLE_LIMIT = 0x40000;

    private final List<String> tokens;       // (V) id → token
    private final Map<String, Integer> ids;   // token → id
    private final int[] codePointIds;         // (max code point + 1) code point → id of its one-code-point token, UNK if none

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
        this.codePointIds = codePointTable(this.tokens);
    }

    private static int[] codePointTable(List<String> tokens) {
        int max = -1;
        for (int i = SPECIALS.size(); i < tokens.size(); i++) {
            int cp = singleCodePoint(tokens.get(i));
            if (cp >= 0 && cp < TABLE_LIMIT) max = Math.max(max, cp);
        }
        int[] table = new int[max + 1];
        Arrays.fill(table, UNK);
        for (int i = SPECIALS.size(); i < tokens.size(); i++) {
            int cp = singleCodePoint(tokens.get(i));
            if (cp >= 0 && cp < TABLE_LIMIT) table[cp] = i;
        }
        return table;
    }

    private static int singleCodePoint(String t) {
        if (t.isEmpty()) return -1;
        int cp = t.codePointAt(0);
        return Character.charCount(cp) == t.length() ? cp : -1;
    }

    /**
     * Builds a vocabulary from documents: counts tokens, keeps at most {@code maxSize} (specials included) seen at
     * least {@code minCount} times, the rest map to unk. The character tokenizer counts code points in an array
     * (no token strings), which keeps the whole Tang corpus under 100 ms.
     */
    public static Vocabulary build(Iterable<String> documents, Tokenizer tokenizer, int maxSize, long minCount) {
        Map<String, Long> counts = new HashMap<>();
        if (tokenizer.kind() == io.github.yuefu.config.CorpusConfig.TokenizerKind.CHAR) {
            int[] perCodePoint = new int[Character.MAX_CODE_POINT + 1];   // 4.4 MB, transient
            for (String d : documents) {
                for (int i = 0; i < d.length(); ) {
                    int cp = d.codePointAt(i);
                    perCodePoint[cp]++;
                    i += Character.charCount(cp);
                }
            }
            for (int cp = 0; cp < perCodePoint.length; cp++) {
                if (perCodePoint[cp] > 0) counts.put(Character.toString(cp), (long) perCodePoint[cp]);
            }
        } else {
            for (String d : documents) {
                for (String t : tokenizer.split(d)) counts.merge(t, 1L, Long::sum);
            }
        }
        return fromCounts(counts, maxSize, minCount);
    }

    /** {@link #build(Iterable, Tokenizer, int, long)} with the character tokenizer. */
    public static Vocabulary build(Iterable<String> documents, int maxSize, long minCount) {
        return build(documents, CharTokenizer.INSTANCE, maxSize, minCount);
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

    /** The id of the one-code-point token {@code cp}, or {@link #UNK}. */
    public int idOfCodePoint(int cp) {
        if (cp < codePointIds.length) return codePointIds[cp];
        if (cp < TABLE_LIMIT) return UNK;
        return id(Character.toString(cp));
    }

    /** Character-level ids of {@code text} (one per code point), unknown characters → {@link #UNK}. No G/E added. */
    public int[] encode(String text) {
        return encode(text, CharTokenizer.INSTANCE);
    }

    /** Ids of {@code text} under {@code tokenizer}, unknown tokens → {@link #UNK}. No G/E added. */
    public int[] encode(String text, Tokenizer tokenizer) {
        int[] out = new int[tokenizer.maxTokens(text)];
        int n = tokenizer.encode(text, this, out, 0);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * Ids of text typed by a user (a prompt, a first character). Tokens not in the vocabulary are an error listing
     * them all, unless {@code unknownToUnk}, when they become {@link #UNK}.
     */
    public int[] encodePrompt(String text, Tokenizer tokenizer, boolean unknownToUnk) {
        List<String> parts = tokenizer.split(text);
        int[] out = new int[parts.size()];
        Set<String> unknown = new LinkedHashSet<>();
        for (int i = 0; i < out.length; i++) {
            Integer id = ids.get(parts.get(i));
            if (id == null || isSpecial(id)) unknown.add(parts.get(i));
            out[i] = id == null || isSpecial(id) ? UNK : id;
        }
        if (!unknown.isEmpty() && !unknownToUnk) {
            StringBuilder sb = new StringBuilder();
            for (String u : unknown) {
                if (!sb.isEmpty()) sb.append(", ");
                sb.append('\'').append(u).append('\'');
                if (u.codePointCount(0, u.length()) == 1) sb.append(String.format(" (U+%04X)", u.codePointAt(0)));
            }
            throw new ConfigException("not in the model's vocabulary: " + sb
                    + "; choose other characters or allow unknown tokens (they become <unk>)");
        }
        return out;
    }

    /** The text of {@code ids}: tokens concatenated; pad, G and E print as nothing, unk as {@code <unk>}. */
    public String decode(int[] ids) {
        return decode(ids, 0, ids.length);
    }

    /** {@link #decode(int[])} of {@code ids[from, to)}. */
    public String decode(int[] ids, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            int id = ids[i];
            if (id == PAD || id == BEGIN || id == END) continue;
            sb.append(tokens.get(id));
        }
        return sb.toString();
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
