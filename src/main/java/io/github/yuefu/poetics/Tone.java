package io.github.yuefu.poetics;

/**
 * Level (平) and oblique (仄) tones, the modern approximation: Mandarin tones 1 and 2 are level, 3 and 4 oblique.
 *
 * <p>This is not the Middle Chinese the Tang poets heard. Middle Chinese had a fourth, entering tone (入声,
 * syllables ending in -p, -t, -k) that was always oblique; Mandarin lost it and spread those characters over all
 * four tones, so entering-tone characters now read as tone 1 or 2 (一 yī, 国 guó, 白 bái, 独 dú, 十 shí, 月 is 4
 * and safe) are classed level here although they are oblique in the classical rules. Without a Middle Chinese
 * dictionary we cannot do better; tone checks on real Tang poems therefore score below 100% even when the poet
 * kept the rules perfectly. Neutral tone and unknown characters are {@link #UNKNOWN}.
 */
public enum Tone {
    LEVEL('平'),
    OBLIQUE('仄'),
    UNKNOWN('?');

    public final char symbol;

    Tone(char symbol) {
        this.symbol = symbol;
    }

    public static Tone of(int codePoint) {
        Reading r = Pinyin.of(codePoint);
        if (r == null) return UNKNOWN;
        return switch (r.tone()) {
            case 1, 2 -> LEVEL;
            case 3, 4 -> OBLIQUE;
            default -> UNKNOWN;
        };
    }

    public static Tone ofSymbol(char c) {
        return switch (c) {
            case '平' -> LEVEL;
            case '仄' -> OBLIQUE;
            default -> UNKNOWN;
        };
    }
}
