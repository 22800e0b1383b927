package io.github.yuefu.text;

import io.github.yuefu.config.CorpusConfig.Unit;
import io.github.yuefu.text.CleaningReport.Reason;
import java.util.List;

/**
 * Plain text (lyrics, a novel, Shakespeare) cut into documents: the whole text ({@link Unit#STREAM}, line breaks kept
 * as tokens, a final newline kept too), one per non-blank line ({@link Unit#LINE}), or one per blank-line-separated
 * block ({@link Unit#BLOCK}, inner line breaks kept). Blank lines are counted, never documents.
 */
final class PlainTextReader {
    private PlainTextReader() {}

    static void read(String text, String source, Unit unit, List<RawDocument> out, CleaningReport report) {
        switch (unit) {
            case STREAM -> {
                report.countRead();
                if (text.isBlank()) report.drop(Reason.BLANK_LINE, source + ":1");
                else out.add(new RawDocument(source, 1, "", text));
            }
            case LINE -> lines(text, source, out, report);
            case BLOCK -> blocks(text, source, out, report);
        }
    }

    private static void lines(String text, String source, List<RawDocument> out, CleaningReport report) {
        int lineNo = 0;
        for (int from = 0; from < text.length(); ) {
            int nl = text.indexOf('\n', from);
            int to = nl < 0 ? text.length() : nl;
            lineNo++;
            report.countRead();
            if (PoemsTxtReader.isBlank(text, from, to)) report.drop(Reason.BLANK_LINE, source + ":" + lineNo);
            else out.add(new RawDocument(source, lineNo, "", text.substring(from, to)));
            from = to + 1;
        }
    }

    private static void blocks(String text, String source, List<RawDocument> out, CleaningReport report) {
        int lineNo = 0;
        int blockStart = -1;
        int blockLine = 0;
        int blockEnd = -1;
        for (int from = 0; from <= text.length(); ) {
            int nl = text.indexOf('\n', from);
            int to = nl < 0 ? text.length() : nl;
            boolean last = nl < 0;
            lineNo++;
            boolean blank = PoemsTxtReader.isBlank(text, from, to);
            if (!blank) {
                if (blockStart < 0) {
                    blockStart = from;
                    blockLine = lineNo;
                }
                blockEnd = to;
            }
            if ((blank || last) && blockStart >= 0) {
                report.countRead();
                out.add(new RawDocument(source, blockLine, "", text.substring(blockStart, blockEnd)));
                blockStart = -1;
            }
            if (last) break;
            from = to + 1;
        }
    }
}
