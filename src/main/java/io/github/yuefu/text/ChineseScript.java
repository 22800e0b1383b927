package io.github.yuefu.text;

import com.hankcs.hanlp.HanLP;

/**
 * Traditional → simplified Chinese with HanLP portable's converter (maintained, in the jar, no native code).
 * It loads its dictionary on first use (~0.1 s) and converts the whole Tang corpus in ~0.2 s. Its tables differ
 * from OpenCC's in places (poems.txt was made with OpenCC t2s): HanLP converts 鑪 → 𬬻 as OpenCC does, but about
 * 6 % of poems differ in at least one character, so a model trained on poems.txt and a prompt simplified here may
 * disagree on a rare character.
 */
public final class ChineseScript {
    private ChineseScript() {}

    public static String toSimplified(String text) {
        return HanLP.convertToSimplifiedChinese(text);
    }
}
