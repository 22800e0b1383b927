package io.github.yuefu.poetics;

import com.hankcs.hanlp.HanLP;
import com.hankcs.hanlp.dictionary.py.Shengmu;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Character readings from HanLP portable's pinyin dictionary (a maintained library, no download at run time).
 *
 * <p><b>Polyphonic characters</b> (多音字: 行 xíng/háng, 长 cháng/zhǎng, 看 kān/kàn) get HanLP's first, most common
 * reading for the character alone; the reading in context is not resolved. Rhyme and tone figures for such
 * characters are therefore sometimes wrong, which we accept for a first approximation.
 *
 * <p><b>Finals.</b> HanLP spells finals as written in pinyin, which hides two distinctions rhyme needs: the ü of
 * ju/qu/xu/yu (written "u") and the apical vowel of zhi/chi/shi/ri/zi/ci/si (written "i"). {@link #finalOf} restores
 * them: "v" for ü, "-i" for the apical vowel; y/w spellings are mapped back to their finals (yi→i, wei→ui, you→iu).
 */
public final class Pinyin {
    private Pinyin() {}

    private static final Reading NONE = new Reading("", "", 0);
    private static final Map<Integer, Reading> CACHE = new ConcurrentHashMap<>();

    /** The reading of a code point, or null when it is not a Han character HanLP knows. */
    public static Reading of(int codePoint) {
        Reading r = CACHE.computeIfAbsent(codePoint, Pinyin::lookup);
        return r == NONE ? null : r;
    }

    private static Reading lookup(int cp) {
        if (Character.UnicodeScript.of(cp) != Character.UnicodeScript.HAN) return NONE;
        List<com.hankcs.hanlp.dictionary.py.Pinyin> list = HanLP.convertToPinyinList(new String(Character.toChars(cp)));
        if (list.isEmpty()) return NONE;
        com.hankcs.hanlp.dictionary.py.Pinyin p = list.get(0);
        String syllable = p.getPinyinWithoutTone();
        if (syllable == null || syllable.equals("none")) return NONE;
        int tone = p.getTone();
        return new Reading(syllable, finalOf(p.getShengmu(), syllable), tone >= 1 && tone <= 4 ? tone : 0);
    }

    /** The final of a toneless syllable with the initial HanLP reports, ü and the apical vowel made explicit. */
    static String finalOf(Shengmu initial, String syllable) {
        String init = initial == null || initial == Shengmu.none ? "" : initial.name();
        String rest = syllable.startsWith(init) ? syllable.substring(init.length()) : syllable;
        switch (init) {
            case "y":
                if (rest.equals("i") || rest.startsWith("in")) return rest;          // yi, yin, ying
                if (rest.startsWith("u")) return "v" + rest.substring(1);            // yu, yue, yuan, yun
                if (rest.equals("ou")) return "iu";                                  // you
                return "i" + rest;                                                   // ya, yan, yang, yao, ye, yong
            case "w":
                if (rest.equals("u")) return "u";                                    // wu
                if (rest.equals("ei")) return "ui";                                  // wei
                if (rest.equals("en")) return "un";                                  // wen
                return "u" + rest;                                                   // wa, wai, wan, wang, weng, wo
            case "j", "q", "x":
                return rest.startsWith("u") ? "v" + rest.substring(1) : rest;        // ju → jü
            case "zh", "ch", "sh", "r", "z", "c", "s":
                return rest.equals("i") ? "-i" : rest;                               // zhi, si: apical vowel
            default:
                return rest;
        }
    }
}
