package io.github.yuefu.text;

import io.github.yuefu.text.CleaningReport.Reason;
import java.util.List;

/**
 * tensorflow_poems' {@code poems.txt}: one poem per line, {@code title:content}. The line is split on its FIRST
 * ASCII colon; a full-width {@code ：} is ordinary text (120 titles contain one). Lines without a colon and lines with
 * empty content are counted in the report and skipped.
 */
final class PoemsTxtReader {
    private PoemsTxtReader() {}

    static void read(String text, String source, List<RawDocument> out, CleaningReport report) {
        int lineNo = 0;
        int from = 0;
        int n = text.length();
        while (from < n) {
            int nl = text.indexOf('\n', from);
            int to = nl < 0 ? n : nl;
            lineNo++;
            report.countRead();
            String where = source + ":" + lineNo;
            if (isBlank(text, from, to)) {
                report.drop(Reason.BLANK_LINE, where);
            } else {
                int colon = text.indexOf(':', from, to);   // bounded to the line: an unbounded search is quadratic on colon-less files
                if (colon < 0 || colon >= to) {
                    report.drop(Reason.NO_SEPARATOR, where);
                } else if (colon + 1 == to) {
                    report.drop(Reason.EMPTY_CONTENT, where);
                } else {
                    out.add(new RawDocument(source, lineNo, text.substring(from, colon).strip(), text.substring(colon + 1, to)));
                }
            }
            from = to + 1;
        }
    }

    static boolean isBlank(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(s.charAt(i))) return false;
        }
        return true;
    }

    /**
     * True when the text looks like poems.txt: at least 60 % of its first 1,000 non-blank lines have an ASCII colon
     * with text after it, and the part before the first colon is short (a title). Tiny Shakespeare and the lyrics have almost none (a speaker line "First Citizen:" has nothing after its colon).
     */
    static boolean looksLikePoems(String text) {
        int lines = 0;
        int good = 0;
        int from = 0;
        while (from < text.length() && lines < 1000) {
            int nl = text.indexOf('\n', from);
            int to = nl < 0 ? text.length() : nl;
            if (!isBlank(text, from, to)) {
                lines++;
                int colon = text.indexOf(':', from, to);   // bounded to the line: an unbounded search is quadratic on colon-less files
                if (colon >= 0 && colon + 1 < to && colon - from <= 200) good++;
            }
            from = to + 1;
        }
        return lines > 0 && good >= 0.6 * lines;
    }
}
