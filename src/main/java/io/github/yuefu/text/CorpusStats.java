package io.github.yuefu.text;

import io.github.yuefu.text.CleaningReport.Reason;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;

/**
 * Figures of a loaded corpus for {@code yuefu corpus stats}: documents, code points, distinct characters, how many
 * distinct characters cover 99 % of the text (what a {@code --max-vocab} must keep), and the length distribution.
 *
 * @param lengths (documents) code point length of each kept document, ascending
 * @param coverage99 fewest distinct characters whose occurrences make up 99 % of all characters
 */
public record CorpusStats(int documents, long characters, int distinct, int nonBmpDistinct, long nonBmpOccurrences,
                          int coverage99, int coverage999, int[] lengths) {

    public static CorpusStats of(List<String> documents) {
        int[] counts = new int[Character.MAX_CODE_POINT + 1];
        int[] lengths = new int[documents.size()];
        long chars = 0;
        long nonBmp = 0;
        for (int d = 0; d < documents.size(); d++) {
            String s = documents.get(d);
            int len = 0;
            for (int i = 0; i < s.length(); ) {
                int cp = s.codePointAt(i);
                counts[cp]++;
                if (cp > 0xFFFF) nonBmp++;
                i += Character.charCount(cp);
                len++;
            }
            lengths[d] = len;
            chars += len;
        }
        Arrays.sort(lengths);
        int distinct = 0;
        int nonBmpDistinct = 0;
        for (int cp = 0; cp < counts.length; cp++) {
            if (counts[cp] > 0) {
                distinct++;
                if (cp > 0xFFFF) nonBmpDistinct++;
            }
        }
        int[] nonzero = new int[distinct];
        int k = 0;
        for (int c : counts) if (c > 0) nonzero[k++] = c;
        Arrays.sort(nonzero);
        return new CorpusStats(documents.size(), chars, distinct, nonBmpDistinct, nonBmp,
                cover(nonzero, chars, 0.99), cover(nonzero, chars, 0.999), lengths);
    }

    private static int cover(int[] ascending, long total, double share) {
        long sum = 0;
        for (int i = ascending.length - 1; i >= 0; i--) {
            sum += ascending[i];
            if (sum >= share * total) return ascending.length - i;
        }
        return ascending.length;
    }

    public int percentile(double p) {
        if (lengths.length == 0) return 0;
        return lengths[(int) Math.min(lengths.length - 1, Math.floor(p * lengths.length))];
    }

    public double meanLength() {
        return documents == 0 ? 0 : (double) characters / documents;
    }

    /** The {@code n} commonest lengths as "length (count)" pairs. */
    public String commonestLengths(int n) {
        StringBuilder sb = new StringBuilder();
        int[] ls = lengths.clone();
        long[] pairs = new long[ls.length];
        int m = 0;
        for (int i = 0; i < ls.length; ) {
            int j = i;
            while (j < ls.length && ls[j] == ls[i]) j++;
            pairs[m++] = ((long) (j - i) << 32) | ls[i];
            i = j;
        }
        long[] top = Arrays.copyOf(pairs, m);
        Arrays.sort(top);
        for (int i = m - 1; i >= Math.max(0, m - n); i--) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append((int) top[i]).append(" (").append(top[i] >>> 32).append(')');
        }
        return sb.toString();
    }

    /** The human-readable report: corpus figures, then the cleaning report. */
    public void print(PrintWriter out, LoadedCorpus corpus) {
        CleaningReport r = corpus.report();
        Cleaning c = corpus.cleaning();
        out.printf("format          %s%s%n", corpus.format().name().toLowerCase(java.util.Locale.ROOT),
                corpus.format() == io.github.yuefu.config.CorpusConfig.Format.TEXT ? " (" + corpus.config().unit().name().toLowerCase(java.util.Locale.ROOT) + ")" : "");
        out.printf("cleaning        whitespace %s, marks %s, length %d..%s, forms %s, simplify %s%n",
                c.removeWhitespace() ? "removed" : "kept", c.marks().name().toLowerCase(java.util.Locale.ROOT), c.minLength(),
                c.maxLength() == Integer.MAX_VALUE ? "∞" : String.valueOf(c.maxLength()),
                c.forms().isEmpty() ? "any" : c.forms().toString().toLowerCase(java.util.Locale.ROOT), c.simplify() ? "yes" : "no");
        out.printf("read            %,d lines/entries%n", r.read());
        out.printf("kept            %,d documents%n", r.kept());
        for (Reason reason : Reason.values()) {
            int n = r.dropped(reason);
            if (n > 0) out.printf("  dropped %,7d  %s (first: %s)%n", n, reason.description, r.firstExample(reason));
        }
        out.println("each filter alone would drop:");
        for (Reason reason : Reason.values()) {
            if (!reason.isFilter()) continue;
            if (reason == Reason.FORM && c.forms().isEmpty()) continue;
            out.printf("  %-30s %,7d%n", reason.description, r.wouldDropAlone(reason));
        }
        if (r.whitespaceChanged() > 0) out.printf("whitespace      removed from %,d kept documents%n", r.whitespaceChanged());
        if (c.simplify()) out.printf("simplified      %,d kept documents changed by traditional→simplified%n", r.simplifiedChanged());
        out.printf("characters      %,d code points in kept documents (%,d outside the BMP)%n", characters, nonBmpOccurrences);
        out.printf("distinct        %,d characters (%,d outside the BMP)%n", distinct, nonBmpDistinct);
        out.printf("coverage        %,d characters cover 99%% of the text, %,d cover 99.9%%%n", coverage99, coverage999);
        out.printf("lengths         min %d, p10 %d, median %d, mean %.1f, p90 %d, max %d%n",
                percentile(0), percentile(0.1), percentile(0.5), meanLength(), percentile(0.9), lengths.length == 0 ? 0 : lengths[lengths.length - 1]);
        out.printf("commonest       %s%n", commonestLengths(6));
        printHistogram(out);
    }

    private void printHistogram(PrintWriter out) {
        if (lengths.length == 0) return;
        int[] edges = {0, 10, 20, 30, 40, 50, 60, 70, 80, 100, 200, 500, 1000, Integer.MAX_VALUE};
        int max = 0;
        int[] bins = new int[edges.length - 1];
        for (int l : lengths) {
            for (int b = 0; b < bins.length; b++) {
                if (l < edges[b + 1]) {
                    bins[b]++;
                    break;
                }
            }
        }
        for (int b : bins) max = Math.max(max, b);
        out.println("length histogram (code points):");
        for (int b = 0; b < bins.length; b++) {
            if (bins[b] == 0) continue;
            String label = edges[b + 1] == Integer.MAX_VALUE ? edges[b] + "+" : edges[b] + ".." + (edges[b + 1] - 1);
            out.printf("  %-9s %,8d  %s%n", label, bins[b], "#".repeat((int) Math.round(40.0 * bins[b] / max)));
        }
    }
}
