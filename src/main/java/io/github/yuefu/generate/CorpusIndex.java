package io.github.yuefu.generate;

import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.text.Corpus;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds text copied verbatim from the training corpus: "what is the longest run of this poem that occurs in the
 * corpus" and "does this clause occur anywhere in it".
 *
 * <p>Structure: the corpus as one array of dense character ids (documents separated by 0, which no query
 * contains), and every position sorted by the first {@link #K} characters starting there (LSD radix sort, K
 * counting-sort passes). That is a suffix array truncated to K characters: positions whose text starts with any
 * string of length ≤ K form one contiguous range, found by binary search; longer matches are verified by
 * extending each candidate of the K-character range. For the 4.1 M characters of poems.txt this takes two int
 * arrays (≈ 34 MB) and well under a second to build; a query costs O(log n + candidates × match length).
 */
public final class CorpusIndex {
    static final int K = 4;

    private final Map<Integer, Integer> ids = new HashMap<>(); // code point → dense id (1..)
    private final int[] text;   // (n) dense ids, 0 between documents and at the end
    private final int[] sorted; // (n) positions ordered by text[p .. p+K)
    private final int documents;

    private CorpusIndex(List<String> docs) {
        long n = 1;
        for (String d : docs) n += d.codePointCount(0, d.length()) + 1;
        if (n > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("corpus too large for the index: " + n);
        text = new int[(int) n];
        int at = 0;
        for (String d : docs) {
            for (int cp : d.codePoints().toArray()) text[at++] = ids.computeIfAbsent(cp, c -> ids.size() + 1);
            text[at++] = 0;
        }
        documents = docs.size();
        sorted = radixSort(text, ids.size() + 1);
    }

    public static CorpusIndex of(List<String> documents) {
        return new CorpusIndex(documents);
    }

    /** Reads and cleans a corpus file as training does by default, then indexes it. */
    public static CorpusIndex load(Path corpus) {
        return load(CorpusConfig.of(corpus));
    }

    /** Reads and cleans a corpus exactly as these settings say (those a model file records), then indexes it. */
    public static CorpusIndex load(CorpusConfig corpus) {
        return of(Corpus.load(corpus).documents());
    }

    public int documents() {
        return documents;
    }

    /** Positions sorted by their first K ids: K stable counting sorts, last character first. */
    private static int[] radixSort(int[] text, int alphabet) {
        int n = text.length;
        int[] a = new int[n], b = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        int[] count = new int[alphabet + 1];
        for (int k = K - 1; k >= 0; k--) {
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) count[at(text, a[i] + k) + 1]++;
            for (int c = 1; c <= alphabet; c++) count[c] += count[c - 1];
            for (int i = 0; i < n; i++) b[count[at(text, a[i] + k)]++] = a[i];
            int[] t = a; a = b; b = t;
        }
        return a;
    }

    private static int at(int[] text, int p) {
        return p < text.length ? text[p] : 0;
    }

    /** Dense ids of a query; -1 for characters the corpus never has (they match nothing). */
    private int[] encode(String s) {
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) cps[i] = ids.getOrDefault(cps[i], -1);
        return cps;
    }

    /** Compares the first m ≤ K ids at position p with q[from, from+m). */
    private int compare(int p, int[] q, int from, int m) {
        for (int j = 0; j < m; j++) {
            int c = Integer.compare(at(text, p + j), q[from + j]);
            if (c != 0) return c;
        }
        return 0;
    }

    /** [lo, hi) of sorted positions whose first m ≤ K ids equal q[from, from+m). */
    private long range(int[] q, int from, int m) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(sorted[mid], q, from, m) < 0) lo = mid + 1;
            else hi = mid;
        }
        int start = lo;
        hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(sorted[mid], q, from, m) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return ((long) start << 32) | lo;
    }

    /** Length of the longest prefix of q[from..] that occurs in the corpus. */
    private int longestAt(int[] q, int from) {
        int m = Math.min(K, q.length - from);
        while (m > 0) {
            long r = range(q, from, m);
            int lo = (int) (r >>> 32), hi = (int) r;
            if (lo < hi) {
                if (m < K) return m;
                int best = m;
                for (int i = lo; i < hi && best < q.length - from; i++) {
                    int p = sorted[i], len = K;
                    while (from + len < q.length && at(text, p + len) == q[from + len]) len++;
                    best = Math.max(best, len);
                }
                return best;
            }
            m--;
        }
        return 0;
    }

    /** The longest substring of {@code s} found verbatim in the corpus ("" if none). */
    public String longestCopied(String s) {
        int[] q = encode(s);
        int best = 0, bestFrom = 0;
        for (int i = 0; i + best < q.length; i++) {
            int len = longestAt(q, i);
            if (len > best) {
                best = len;
                bestFrom = i;
            }
        }
        int begin = s.offsetByCodePoints(0, bestFrom);
        return s.substring(begin, s.offsetByCodePoints(begin, best));
    }

    /** Whether {@code s} occurs verbatim somewhere in the corpus. */
    public boolean contains(String s) {
        int[] q = encode(s);
        return q.length == 0 || longestAt(q, 0) == q.length;
    }
}
