package io.github.yuefu.poetics;

import java.util.ArrayList;
import java.util.List;

/**
 * The level/oblique (平仄) patterns of regulated verse. Every clause is one of four five-character types
 * <pre>
 *   A 仄仄平平仄   B 平平仄仄平   C 平平平仄仄   D 仄仄仄平平
 * </pre>
 * and a seven-character clause is a five-character one with two characters of the opposite tone in front
 * (A → 平平仄仄平平仄). The four standard quatrains (绝句) are
 * <pre>
 *   仄起, first clause not rhyming  A B C D     仄仄平平仄，平平仄仄平。平平平仄仄，仄仄仄平平。
 *   仄起, first clause rhyming      D B C D
 *   平起, first clause not rhyming  C D A B
 *   平起, first clause rhyming      B D A B
 * </pre>
 * named by the tone of the second character of the five-character skeleton; a seven-character poem is named
 * by its own second character, which is the opposite. An eight-clause 律诗 continues with the non-rhyming
 * quatrain of the same start (仄起: … A B C D), which keeps the 粘对 (adhesion/opposition) rules.
 *
 * <p>Only the "strict" positions are checked or enforced: the 2nd, 4th (and 6th) characters and the clause end
 * (一三五不论，二四六分明). Tones are the modern approximation, see {@link Tone}.
 */
public final class TonePattern {
    private static final String A = "仄仄平平仄", B = "平平仄仄平", C = "平平平仄仄", D = "仄仄仄平平";

    private final Form form;
    private final boolean levelStart;
    private final boolean firstRhymes;
    private final String[] clauses;

    private TonePattern(Form form, boolean levelStart, boolean firstRhymes) {
        this.form = form;
        this.levelStart = levelStart;
        this.firstRhymes = firstRhymes;
        // The 5-character skeleton's start is the poem's own for 五言 and the opposite for 七言.
        boolean skeletonLevel = form.chars == 5 ? levelStart : !levelStart;
        String[] quatrain = skeletonLevel
                ? (firstRhymes ? new String[] {B, D, A, B} : new String[] {C, D, A, B})
                : (firstRhymes ? new String[] {D, B, C, D} : new String[] {A, B, C, D});
        String[] plain = skeletonLevel ? new String[] {C, D, A, B} : new String[] {A, B, C, D};
        clauses = new String[form.clauses];
        for (int i = 0; i < form.clauses; i++) {
            String five = i < 4 ? quatrain[i] : plain[i - 4];
            clauses[i] = form.chars == 5 ? five : opposite(five.charAt(0)) + "" + opposite(five.charAt(0)) + five;
        }
    }

    private static char opposite(char t) {
        return t == '平' ? '仄' : '平';
    }

    /** The pattern of {@code form} whose second character is level ({@code levelStart}) or oblique. */
    public static TonePattern of(Form form, boolean levelStart, boolean firstRhymes) {
        return new TonePattern(form, levelStart, firstRhymes);
    }

    /** The four standard patterns of a form. */
    public static List<TonePattern> all(Form form) {
        List<TonePattern> list = new ArrayList<>(4);
        for (boolean level : new boolean[] {false, true}) {
            for (boolean rhymes : new boolean[] {false, true}) list.add(of(form, level, rhymes));
        }
        return list;
    }

    /** Whether position {@code pos} (0-based) of a clause of {@code chars} characters is checked: 2nd, 4th, 6th, last. */
    public static boolean strict(int chars, int pos) {
        return pos % 2 == 1 || pos == chars - 1;
    }

    /** The required tone at a strict position, or {@link Tone#UNKNOWN} at a free one. */
    public Tone required(int clause, int pos) {
        if (!strict(form.chars, pos)) return Tone.UNKNOWN;
        return Tone.ofSymbol(clauses[clause].charAt(pos));
    }

    /** The full pattern of one clause, e.g. 仄仄平平仄. */
    public String clause(int i) {
        return clauses[i];
    }

    public Form form() {
        return form;
    }

    public boolean levelStart() {
        return levelStart;
    }

    public boolean firstRhymes() {
        return firstRhymes;
    }

    /**
     * Share of the strict positions of {@code clauseText} (the poem's clauses, characters only) whose tone matches
     * this pattern; characters of unknown tone count as mismatches.
     */
    public double match(List<String> clauseText) {
        int checked = 0, matched = 0;
        for (int c = 0; c < Math.min(clauseText.size(), form.clauses); c++) {
            int[] cps = clauseText.get(c).codePoints().toArray();
            for (int p = 0; p < Math.min(cps.length, form.chars); p++) {
                Tone want = required(c, p);
                if (want == Tone.UNKNOWN) continue;
                checked++;
                if (Tone.of(cps[p]) == want) matched++;
            }
        }
        return checked == 0 ? 0 : (double) matched / checked;
    }

    @Override
    public String toString() {
        return (levelStart ? "平起" : "仄起") + (firstRhymes ? "首句入韵" : "首句不入韵") + " " + String.join("，", clauses);
    }
}
