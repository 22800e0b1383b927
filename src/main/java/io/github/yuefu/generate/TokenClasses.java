package io.github.yuefu.generate;

import io.github.yuefu.poetics.Form;
import io.github.yuefu.poetics.RhymeGroup;
import io.github.yuefu.poetics.Tone;
import io.github.yuefu.text.Vocabulary;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What the constraints need to know about every token of a vocabulary, looked up once (pinyin lookups are
 * too slow for the sampling loop): is it a single Han character, its tone class, its rhyme group, is it
 * punctuation that closes a clause. Cached per vocabulary, so the server and the training loop's samples pay once.
 */
public final class TokenClasses {
    public static final byte LEVEL = 0, OBLIQUE = 1, UNKNOWN = 2;

    public final int vocab;
    public final boolean[] han;       // (V) one Han character: may fill a character slot of a form
    public final byte[] tone;         // (V) LEVEL, OBLIQUE or UNKNOWN
    public final byte[] rhyme;        // (V) RhymeGroup ordinal, -1 for none
    public final boolean[] clauseEnd; // (V) ，。？！；、： and their ASCII twins: punctuation inside a text
    public final int[] groupSize;     // (14) Han tokens per rhyme group
    public final int[] groupLevel;    // (14) level-toned Han tokens per rhyme group
    public final int comma;           // id of ，or -1
    public final int period;          // id of 。or -1

    private static final Map<Vocabulary, TokenClasses> CACHE = new WeakHashMap<>();

    public static synchronized TokenClasses of(Vocabulary v) {
        return CACHE.computeIfAbsent(v, TokenClasses::new);
    }

    private TokenClasses(Vocabulary v) {
        vocab = v.size();
        han = new boolean[vocab];
        tone = new byte[vocab];
        rhyme = new byte[vocab];
        clauseEnd = new boolean[vocab];
        groupSize = new int[RhymeGroup.values().length];
        groupLevel = new int[RhymeGroup.values().length];
        for (int id = 0; id < vocab; id++) {
            tone[id] = UNKNOWN;
            rhyme[id] = -1;
            if (Vocabulary.isSpecial(id)) continue;
            String t = v.token(id);
            if (t.codePointCount(0, t.length()) != 1) continue;
            int cp = t.codePointAt(0);
            if ("，。？！；、：,.?!;:".indexOf(cp) >= 0) clauseEnd[id] = true;
            if (Character.UnicodeScript.of(cp) != Character.UnicodeScript.HAN || !Character.isLetter(cp)) continue;
            han[id] = true;
            Tone tn = Tone.of(cp);
            tone[id] = tn == Tone.LEVEL ? LEVEL : tn == Tone.OBLIQUE ? OBLIQUE : UNKNOWN;
            RhymeGroup g = RhymeGroup.of(cp);
            rhyme[id] = (byte) (g == null ? -1 : g.ordinal());
            if (g != null) {
                groupSize[g.ordinal()]++;
                if (tone[id] == LEVEL) groupLevel[g.ordinal()]++;
            }
        }
        comma = v.contains(Form.COMMA) ? v.id(Form.COMMA) : -1;
        period = v.contains(Form.PERIOD) ? v.id(Form.PERIOD) : -1;
    }

    /** Whether a token may appear in generated text at all: never pad, unknown or begin. */
    public static boolean generable(int id) {
        return id != Vocabulary.PAD && id != Vocabulary.UNK && id != Vocabulary.BEGIN;
    }
}
