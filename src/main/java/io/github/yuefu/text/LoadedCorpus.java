package io.github.yuefu.text;

import io.github.yuefu.config.CorpusConfig;
import java.util.List;

/**
 * A corpus read and cleaned: its documents as strings (one per poem / line / block, or one for a stream), the
 * cleaning applied and its report. Encode it with {@code data.EncodedCorpus.encode(corpus, vocab)}; after that
 * the strings are no longer needed and the {@code LoadedCorpus} can be dropped.
 *
 * @param format   the format the first path was read as (AUTO resolved)
 * @param cleaning the cleaning actually applied (defaults resolved for the format)
 * @param documents cleaned document texts, in corpus order
 * @param titles    titles parallel to {@code documents} ("" for text and untitled poems)
 */
public record LoadedCorpus(CorpusConfig config, CorpusConfig.Format format, Cleaning cleaning, List<String> documents,
                           List<String> titles, CleaningReport report) {

    public LoadedCorpus {
        documents = List.copyOf(documents);
        titles = List.copyOf(titles);
        if (titles.size() != documents.size()) throw new IllegalArgumentException("titles and documents differ in length");
    }

    public Tokenizer tokenizer() {
        return Tokenizer.of(config.tokenizer());
    }

    /** The vocabulary of the documents with the config's tokenizer, {@code maxVocab} and {@code minCount}. */
    public Vocabulary buildVocabulary() {
        return Vocabulary.build(documents, tokenizer(), config.maxVocab(), config.minCount());
    }

    /** Total code points over all documents. */
    public long codePoints() {
        long n = 0;
        for (String d : documents) n += d.codePointCount(0, d.length());
        return n;
    }

    /** Documents, characters, distinct characters, coverage and lengths of the kept documents. */
    public CorpusStats stats() {
        return CorpusStats.of(documents);
    }
}
