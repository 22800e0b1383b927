package io.github.yuefu.data;

import io.github.yuefu.text.LoadedCorpus;
import io.github.yuefu.text.Tokenizer;
import io.github.yuefu.text.Vocabulary;
import java.util.Arrays;
import java.util.List;

/**
 * The whole corpus as token ids in ONE flat array: every document framed as {@code G … E}
 * ({@link Vocabulary#BEGIN}, {@link Vocabulary#END}), documents back to back. Splits ({@link Subset}) and batch
 * iterators ({@link PoemBatches}, {@link StreamBatches}) only hold offsets into it, so the encoded corpus exists
 * once in memory (4.25 M ints = 17 MB for the Tang corpus).
 *
 * <pre>
 *   tokens  (N)    G d0… E G d1… E …
 *   starts  (D+1)  document d = tokens[starts[d], starts[d+1]), length includes G and E
 * </pre>
 */
public final class EncodedCorpus {
    private final Vocabulary vocab;
    private final int[] tokens;   // (N) ids of all documents, each framed G … E
    private final int[] starts;   // (D+1) document offsets into tokens
    private final long unknown;   // tokens mapped to UNK (rare tokens cut by maxVocab / minCount)

    private EncodedCorpus(Vocabulary vocab, int[] tokens, int[] starts, long unknown) {
        this.vocab = vocab;
        this.tokens = tokens;
        this.starts = starts;
        this.unknown = unknown;
    }

    /** Encodes a loaded corpus with its own tokenizer. */
    public static EncodedCorpus encode(LoadedCorpus corpus, Vocabulary vocab) {
        return encode(corpus.documents(), vocab, corpus.tokenizer());
    }

    /** Encodes documents, each as G … E. */
    public static EncodedCorpus encode(List<String> documents, Vocabulary vocab, Tokenizer tokenizer) {
        long bound = 0;
        for (String d : documents) bound += tokenizer.maxTokens(d) + 2L;
        if (bound > Integer.MAX_VALUE - 16) throw new io.github.yuefu.config.ConfigException("corpus too large: " + bound + " tokens (at most 2^31)");
        int[] tokens = new int[(int) bound];
        int[] starts = new int[documents.size() + 1];
        int pos = 0;
        for (int d = 0; d < documents.size(); d++) {
            starts[d] = pos;
            tokens[pos++] = Vocabulary.BEGIN;
            pos = tokenizer.encode(documents.get(d), vocab, tokens, pos);
            tokens[pos++] = Vocabulary.END;
        }
        starts[documents.size()] = pos;
        if (pos < tokens.length) tokens = Arrays.copyOf(tokens, pos);   // word tokens: fewer than code points
        long unk = 0;
        for (int t : tokens) if (t == Vocabulary.UNK) unk++;
        return new EncodedCorpus(vocab, tokens, starts, unk);
    }

    public Vocabulary vocabulary() {
        return vocab;
    }

    public int documents() {
        return starts.length - 1;
    }

    /** Offset of document {@code d}'s G in {@link #tokens()}. */
    public int start(int d) {
        return starts[d];
    }

    /** Tokens of document {@code d}, G and E included. */
    public int length(int d) {
        return starts[d + 1] - starts[d];
    }

    public int tokenCount() {
        return tokens.length;
    }

    /** The shared id array; read only (not copied, so do not modify). */
    public int[] tokens() {
        return tokens;
    }

    /** Tokens that became UNK. */
    public long unknownCount() {
        return unknown;
    }

    /** Every document. */
    public Subset all() {
        int d = documents();
        int[] s = Arrays.copyOf(starts, d);
        int[] l = new int[d];
        for (int i = 0; i < d; i++) l[i] = length(i);
        return new Subset(this, s, l);
    }
}
