package io.github.yuefu.train;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.config.TrainConfig;
import io.github.yuefu.data.Batches;
import io.github.yuefu.data.EncodedCorpus;
import io.github.yuefu.data.PoemBatches;
import io.github.yuefu.data.Split;
import io.github.yuefu.data.StreamBatches;
import io.github.yuefu.data.Subset;
import io.github.yuefu.text.Corpus;
import io.github.yuefu.text.LoadedCorpus;
import io.github.yuefu.text.Tokenizer;
import io.github.yuefu.text.Vocabulary;
import java.util.List;

/**
 * From a corpus to {@link TrainData}: read and clean (text package) → vocabulary → encode once → split by
 * document with --seed → poem or stream batches (data package). Validation batches are never shuffled.
 */
public final class CorpusData {
    private CorpusData() {}

    /** Reads the corpus the config names and builds the data for a new run. */
    public static TrainData load(CorpusConfig corpus, TrainConfig cfg) {
        LoadedCorpus loaded = Corpus.load(corpus);
        return build(loaded.documents(), loaded.tokenizer(), loaded.buildVocabulary(), cfg, null);
    }

    /** The same for a resumed run: the split is recreated from its spec (same documents or a clear error). */
    public static TrainData reload(CorpusConfig corpus, TrainConfig cfg, Split.Spec spec) {
        LoadedCorpus loaded = Corpus.load(corpus);
        return build(loaded.documents(), loaded.tokenizer(), loaded.buildVocabulary(), cfg, spec);
    }

    /** From documents already in memory (tests, other front ends). */
    public static TrainData build(List<String> documents, Tokenizer tokenizer, Vocabulary vocab, TrainConfig cfg, Split.Spec spec) {
        EncodedCorpus enc = EncodedCorpus.encode(documents, vocab, tokenizer);
        Split split = spec == null ? Split.byDocument(enc, cfg.valFraction(), cfg.seed()) : Split.recreate(enc, spec);
        if (split.validation().size() == 0) throw new ConfigException("the validation split is empty: raise --val-fraction");
        return new TrainData(vocab, tokenizer, batches(split.train(), cfg, true), batches(split.validation(), cfg, false), split.spec());
    }

    static Batches batches(Subset s, TrainConfig cfg, boolean train) {
        if (cfg.mode() == TrainConfig.Mode.POEM) return new PoemBatches(s, cfg.batch(), cfg.seed(), train);
        // A validation split can be much smaller than the training one: fewer parallel streams then.
        int b = cfg.batch();
        while (b > 1 && (s.tokenCount() - 1) / b < 1) b /= 2;
        return new StreamBatches(s, b, cfg.seq());
    }
}
