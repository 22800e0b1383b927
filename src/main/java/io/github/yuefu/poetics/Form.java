package io.github.yuefu.poetics;

import io.github.yuefu.config.ConfigException;
import java.util.Locale;

/**
 * The four regulated forms of Tang verse: clauses of five or seven characters, four (绝句) or eight (律诗) of
 * them. Written as {@code 白日依山尽，黄河入海流。欲穷千里目，更上一层楼。}: a {@code ，} after every odd clause, a
 * {@code 。} after every even one, then the end token. So a poem in a form is exactly
 * {@code clauses × (chars + 1)} tokens of text followed by {@code E}.
 */
public enum Form {
    WUJUE(5, 4, "五言绝句"),
    QIJUE(7, 4, "七言绝句"),
    WULV(5, 8, "五言律诗"),
    QILV(7, 8, "七言律诗");

    public static final String COMMA = "，";
    public static final String PERIOD = "。";

    /** Characters per clause (5 or 7). */
    public final int chars;
    /** Number of clauses (4 or 8). */
    public final int clauses;
    public final String chineseName;

    Form(int chars, int clauses, String chineseName) {
        this.chars = chars;
        this.clauses = clauses;
        this.chineseName = chineseName;
    }

    /** Text length in code points, punctuation included, end token excluded. */
    public int textLength() {
        return clauses * (chars + 1);
    }

    /** The punctuation that closes clause {@code clause} (0-based): ，after clauses 0, 2, 4…; 。after 1, 3, 5…. */
    public String punctuationAfter(int clause) {
        return clause % 2 == 0 ? COMMA : PERIOD;
    }

    /**
     * Why {@code text} (no end token) is not exactly this form, or null when it is: every character slot a Han
     * character, ，and 。 in their places, nothing more.
     */
    public String violation(String text) {
        int[] cps = text.codePoints().toArray();
        if (cps.length != textLength()) return "has " + cps.length + " characters, " + id() + " needs " + textLength();
        for (int c = 0; c < clauses; c++) {
            int base = c * (chars + 1);
            for (int p = 0; p < chars; p++) {
                int cp = cps[base + p];
                if (Character.UnicodeScript.of(cp) != Character.UnicodeScript.HAN || !Character.isLetter(cp)) {
                    return "character " + (p + 1) + " of clause " + (c + 1) + " is '" + Character.toString(cp) + "'";
                }
            }
            if (!Character.toString(cps[base + chars]).equals(punctuationAfter(c))) {
                return "clause " + (c + 1) + " ends with '" + Character.toString(cps[base + chars]) + "', not " + punctuationAfter(c);
            }
        }
        return null;
    }

    /** The form {@code text} has exactly, or null. */
    public static Form detect(String text) {
        for (Form f : values()) {
            if (f.violation(text) == null) return f;
        }
        return null;
    }

    /** The form with {@code chars} characters per clause and {@code clauses} clauses, or null. */
    public static Form of(int chars, int clauses) {
        for (Form f : values()) {
            if (f.chars == chars && f.clauses == clauses) return f;
        }
        return null;
    }

    /** The form an acrostic of {@code heads} characters implies: up to 4 → 绝句, 5..8 → 律诗, keeping the clause width. */
    public static Form forAcrostic(int heads, int chars) {
        if (heads < 1 || heads > 8) {
            throw new ConfigException("--acrostic has " + heads + " characters; the longest form (律诗) has 8 clauses: use 1 to 8");
        }
        return of(chars, heads <= 4 ? 4 : 8);
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses wujue, qijue, wulv, qilv (any case) or the Chinese short names 五绝 七绝 五律 七律. */
    public static Form parse(String s) {
        String t = s.trim();
        for (Form f : values()) {
            if (f.name().equalsIgnoreCase(t) || f.chineseName.equals(t)
                    || ("" + f.chineseName.charAt(0) + f.chineseName.charAt(2)).equals(t)) {
                return f;
            }
        }
        throw new ConfigException("unknown form '" + s + "': use wujue (五绝), qijue (七绝), wulv (五律) or qilv (七律)");
    }
}
