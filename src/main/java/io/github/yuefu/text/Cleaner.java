package io.github.yuefu.text;

import io.github.yuefu.config.CorpusConfig.Form;
import io.github.yuefu.config.CorpusConfig.Marks;
import io.github.yuefu.text.CleaningReport.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link Cleaning} to raw documents, counting every drop in a {@link CleaningReport}.
 *
 * <p>The mark filters exist because the Tang corpus keeps the source's editorial apparatus inside poems: variant
 * readings {@code （一作「叉」）}, insertions {@code [爽]}, notes {@code 〖…〗}, descriptions of characters missing
 * from Unicode {@code {𥫗/戢}}, {@code □} for an illegible character. A model trained on them learns to write
 * footnotes. tensorflow_poems' classic filter catches only {@code _ ( （ 《 [} (and its own B/E tokens).
 */
public final class Cleaner {
    /** tensorflow_poems' filter: B and E were its begin/end tokens. */
    static final String CLASSIC_MARKS = "_(（《[BE";
    static final String STRICT_MARKS = "_(（《[「〖□○{/";
    /** Clause-ending punctuation for the form check. */
    private static final String CLAUSE_ENDS = "，。？！；、：,.?!;";

    private static final boolean[] CLASSIC_TABLE = table(CLASSIC_MARKS);   // (65536) BMP char → is a mark
    private static final boolean[] STRICT_TABLE = table(STRICT_MARKS);

    private final Cleaning cleaning;

    private static boolean[] table(String marks) {
        boolean[] t = new boolean[1 << 16];
        for (int i = 0; i < marks.length(); i++) t[marks.charAt(i)] = true;
        return t;
    }

    public Cleaner(Cleaning cleaning) {
        this.cleaning = cleaning;
    }

    /** The kept documents with cleaned text, in input order; counts go to {@code report} (which already holds the parse counts). */
    public List<RawDocument> clean(List<RawDocument> raw, CleaningReport report) {
        List<RawDocument> kept = new ArrayList<>(raw.size());
        for (RawDocument d : raw) {
            String text = d.text();
            boolean spaced = false;
            boolean converted = false;
            if (cleaning.removeWhitespace()) {
                String t = removeWhitespace(text);
                spaced = t.length() != text.length();
                text = t;
            }
            if (cleaning.simplify()) {
                String t = ChineseScript.toSimplified(text);
                converted = !t.equals(text);
                text = t;
            }
            Reason first = null;
            // Every filter is evaluated (not just up to the first failure) so stats can say what each would drop alone.
            if (hasMarks(text, cleaning.marks())) first = wouldDrop(report, Reason.MARKS, first);
            int len = text.codePointCount(0, text.length());
            if (len < cleaning.minLength()) first = wouldDrop(report, Reason.TOO_SHORT, first);
            if (len > cleaning.maxLength()) first = wouldDrop(report, Reason.TOO_LONG, first);
            if (!cleaning.forms().isEmpty()) {
                Form f = form(text);
                if (f == null || !cleaning.forms().contains(f)) first = wouldDrop(report, Reason.FORM, first);
            }
            if (first != null) {
                report.drop(first, d.source() + ":" + d.line());
            } else {
                report.countKept();
                if (spaced) report.countWhitespaceChanged();
                if (converted) report.countSimplifiedChanged();
                kept.add(text == d.text() ? d : new RawDocument(d.source(), d.line(), d.title(), text));
            }
        }
        return kept;
    }

    private static Reason wouldDrop(CleaningReport report, Reason r, Reason first) {
        report.wouldDrop(r);
        return first == null ? r : first;
    }

    /** Removes every whitespace code point (ASCII space, tab, newline, U+3000 ideographic space, …). */
    public static String removeWhitespace(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && !isSpace(s.charAt(i))) i++;
        if (i == n) return s;
        StringBuilder sb = new StringBuilder(n).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (!isSpace(c)) sb.append(c);
        }
        return sb.toString();
    }

    // Surrogates are never whitespace, so a char test is exact here.
    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** True if {@code text} contains a mark of the given filter (STRICT also rejects private-use code points). */
    public static boolean hasMarks(String text, Marks marks) {
        boolean[] table = switch (marks) {
            case NONE, AUTO -> null;
            case CLASSIC -> CLASSIC_TABLE;
            case STRICT -> STRICT_TABLE;
        };
        if (table == null) return false;
        boolean privateUse = marks == Marks.STRICT;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp < 0x10000 && table[cp]) return true;
            if (privateUse && isPrivateUse(cp)) return true;
            i += Character.charCount(cp);
        }
        return false;
    }

    /** U+E000..U+F8FF and the supplementary private-use planes 15 and 16. */
    static boolean isPrivateUse(int cp) {
        return (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000;
    }

    /**
     * The regular shape of a poem, or null: 4 or 8 clauses of 5 or 7 characters, each closed by punctuation
     * (五绝 4×5, 七绝 4×7, 五律 8×5, 七律 8×7). Tones and rhymes are not checked here (that is {@code poetics}).
     */
    public static Form form(String text) {
        int clauses = 0;
        int clauseLength = -1;
        int current = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x10000 && CLAUSE_ENDS.indexOf(cp) >= 0) {
                if (current == 0) return null;
                if (clauseLength < 0) clauseLength = current;
                else if (current != clauseLength) return null;
                clauses++;
                current = 0;
            } else {
                current++;
            }
        }
        if (current != 0) return null;
        for (Form f : Form.values()) {
            if (f.lines == clauses && f.charsPerLine == clauseLength) return f;
        }
        return null;
    }
}
