package io.github.yuefu.poetics;

import java.util.Map;

/**
 * Rhyme groups of modern Mandarin after 《中华新韵》 (the 2005 "fourteen rhymes", 十四韵), keyed by the pinyin
 * final (see {@link Pinyin#finalOf}). Two characters rhyme when their finals fall in the same group; tone is
 * ignored here (regulated verse also wants rhymes on level tones, which the tone patterns enforce).
 *
 * <pre>
 *  group  finals                      example
 *  麻 MA   a ia ua                     花 家 沙
 *  波 BO   o uo e (ê)                  波 多 歌
 *  皆 JIE  ie üe                       街 月 雪
 *  开 KAI  ai uai                      来 怀 开
 *  微 WEI  ei ui (uei)                 飞 归 回
 *  豪 HAO  ao iao                      高 桥 遥
 *  尤 YOU  ou iu (iou)                 楼 流 秋
 *  寒 HAN  an ian uan üan              山 天 还 泉
 *  文 WEN  en in un (uen) ün           人 林 春 云
 *  唐 TANG ang iang uang               长 乡 光
 *  庚 GENG eng ing ong iong ueng       声 明 东 穷
 *  齐 QI   i er ü                      西 儿 居
 *  支 ZHI  -i (zhi chi shi ri zi ci si) 时 枝 丝
 *  姑 GU   u                           无 孤 湖
 * </pre>
 * The modern scheme merges what the classical 平水韵 (106 groups, read in Middle Chinese) kept apart and splits
 * some of what it joined, so a rhyme judged here may not be a rhyme by Tang rules and vice versa.
 */
public enum RhymeGroup {
    MA('麻'), BO('波'), JIE('皆'), KAI('开'), WEI('微'), HAO('豪'), YOU('尤'),
    HAN('寒'), WEN('文'), TANG('唐'), GENG('庚'), QI('齐'), ZHI('支'), GU('姑');

    public final char label;

    RhymeGroup(char label) {
        this.label = label;
    }

    /** Final → group, exactly the table above. */
    private static final Map<String, RhymeGroup> BY_FINAL = Map.ofEntries(
            Map.entry("a", MA), Map.entry("ia", MA), Map.entry("ua", MA),
            Map.entry("o", BO), Map.entry("uo", BO), Map.entry("e", BO), Map.entry("io", BO),
            Map.entry("ie", JIE), Map.entry("ve", JIE),
            Map.entry("ai", KAI), Map.entry("uai", KAI),
            Map.entry("ei", WEI), Map.entry("ui", WEI),
            Map.entry("ao", HAO), Map.entry("iao", HAO),
            Map.entry("ou", YOU), Map.entry("iu", YOU),
            Map.entry("an", HAN), Map.entry("ian", HAN), Map.entry("uan", HAN), Map.entry("van", HAN),
            Map.entry("en", WEN), Map.entry("in", WEN), Map.entry("un", WEN), Map.entry("vn", WEN),
            Map.entry("ang", TANG), Map.entry("iang", TANG), Map.entry("uang", TANG),
            Map.entry("eng", GENG), Map.entry("ing", GENG), Map.entry("ong", GENG), Map.entry("iong", GENG),
            Map.entry("ueng", GENG),
            Map.entry("i", QI), Map.entry("er", QI), Map.entry("v", QI),
            Map.entry("-i", ZHI),
            Map.entry("u", GU));

    /** The group of a final, or null (syllabic n/m/ng interjections, unknown spellings). */
    public static RhymeGroup ofFinal(String fin) {
        return BY_FINAL.get(fin);
    }

    /** The rhyme group of a character by its most common reading, or null for non-Han or unknown characters. */
    public static RhymeGroup of(int codePoint) {
        Reading r = Pinyin.of(codePoint);
        return r == null ? null : ofFinal(r.fin());
    }
}
