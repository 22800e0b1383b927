package io.github.yuefu.data;

/**
 * Some token ranges of an {@link EncodedCorpus} (the training or validation documents), by offset and length only:
 * no token is copied. Usually one range per document; a single-document corpus split by {@link Split} gives a head
 * and a tail range of the same document.
 */
public final class Subset {
    private final EncodedCorpus corpus;
    private final int[] starts;    // (n) range offsets into corpus.tokens()
    private final int[] lengths;   // (n) range lengths in tokens
    private final long tokens;

    Subset(EncodedCorpus corpus, int[] starts, int[] lengths) {
        this.corpus = corpus;
        this.starts = starts;
        this.lengths = lengths;
        long t = 0;
        for (int l : lengths) t += l;
        this.tokens = t;
    }

    public EncodedCorpus corpus() {
        return corpus;
    }

    /** Number of ranges (documents). */
    public int size() {
        return starts.length;
    }

    public int start(int i) {
        return starts[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    /** Total tokens over all ranges (G and E included). */
    public long tokenCount() {
        return tokens;
    }

    public int maxLength() {
        int m = 0;
        for (int l : lengths) m = Math.max(m, l);
        return m;
    }
}
