package io.github.yuefu.generate;

import java.util.ArrayList;
import java.util.List;

/** Splitting poem text for printing and checking. */
public final class PoemText {
    private PoemText() {}

    private static final String LINE_ENDS = "。！？；!?;";
    private static final String CLAUSE_ENDS = "，。！？；、：,.!?;:";

    /** One clause pair per line: breaks after 。！？；, keeps the punctuation; no empty lines. */
    public static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        text.codePoints().forEach(cp -> {
            line.appendCodePoint(cp);
            if (LINE_ENDS.indexOf(cp) >= 0) {
                out.add(line.toString());
                line.setLength(0);
            }
        });
        if (!line.isEmpty()) out.add(line.toString());
        return out;
    }

    /** The clauses (text between punctuation marks), punctuation dropped; a trailing unfinished clause is kept. */
    public static List<String> clauses(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder clause = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (CLAUSE_ENDS.indexOf(cp) >= 0) {
                if (!clause.isEmpty()) out.add(clause.toString());
                clause.setLength(0);
            } else {
                clause.appendCodePoint(cp);
            }
        });
        if (!clause.isEmpty()) out.add(clause.toString());
        return out;
    }

    public static boolean isClauseEnd(int cp) {
        return CLAUSE_ENDS.indexOf(cp) >= 0;
    }
}
