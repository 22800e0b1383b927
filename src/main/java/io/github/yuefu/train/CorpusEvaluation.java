package io.github.yuefu.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.yuefu.checkpoint.ModelFile;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.data.Batches;
import io.github.yuefu.data.EncodedCorpus;
import io.github.yuefu.data.PoemBatches;
import io.github.yuefu.data.Split;
import io.github.yuefu.data.StreamBatches;
import io.github.yuefu.data.Subset;
import io.github.yuefu.text.Corpus;
import io.github.yuefu.text.LoadedCorpus;
import io.github.yuefu.text.Tokenizer;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code yuefu eval}: a model's held-out loss, perplexity and bits per character on a corpus file. When the file is
 * the model's own training corpus (its split spec recreates, checked by a checksum of the validation documents),
 * only the validation documents are scored — training perplexity is never reported; any other file is scored whole.
 * Tokens outside the model's vocabulary count as {@code <unk>} and are reported.
 */
public final class CorpusEvaluation {
    private CorpusEvaluation() {}

    /** What was evaluated and the numbers. */
    public record Report(Path model, List<Path> corpus, String subset, int documents, long unknownTokens,
                         Evaluator.Result result) {}

    /**
     * @param corpus corpus settings; when {@code useSaved} and the model carries its training corpus settings, those
     *               cleaning/tokenizer settings are used with {@code corpus}'s paths
     */
    public static Report run(ModelFile.LoadedModel lm, CorpusConfig corpus, boolean useSaved, int batch) {
        if (batch < 1) throw new ConfigException("--batch must be at least 1, got " + batch);
        CorpusConfig cfg = corpus;
        JsonNode saved = lm.json("corpus");
        if (useSaved && saved != null) {
            CorpusConfig s = CorpusJson.fromJson(saved);
            cfg = new CorpusConfig(corpus.paths(), s.format(), s.collection(), s.unit(), s.encoding(), s.minLength(),
                    s.maxLength(), s.marks(), s.removeWhitespace(), s.forms(), s.simplify(), s.tokenizer(), s.maxVocab(), s.minCount());
        }
        LoadedCorpus loaded = Corpus.load(cfg);
        Tokenizer tok = loaded.tokenizer();
        String savedTok = lm.metadata().get("tokenizer");
        if (savedTok != null && !savedTok.equalsIgnoreCase(tok.kind().name())) {
            throw new ConfigException(lm.file() + ": the model uses the " + savedTok + " tokenizer, the corpus options say "
                    + tok.kind().name().toLowerCase() + "; pass --tokenizer " + savedTok);
        }
        EncodedCorpus enc = EncodedCorpus.encode(loaded.documents(), lm.vocabulary(), tok);
        Subset subset = enc.all();
        String what = "whole file";
        Split.Spec spec = CorpusJson.splitSpec(lm.json(ModelFile.META_SPLIT));
        if (spec != null && spec.fraction() > 0 && enc.documents() == spec.documents()) {
            try {
                subset = Split.recreate(enc, spec).validation();
                what = "validation split of the training corpus";
            } catch (ConfigException different) {
                // same number of documents but other text: a different corpus, scored whole
            }
        }
        JsonNode train = lm.json("train_config");
        boolean stream = train != null && "STREAM".equalsIgnoreCase(train.path("mode").asText());
        Batches b = stream ? new StreamBatches(subset, Math.max(1, (int) Math.min(batch, (subset.tokenCount() - 1) / 2)),
                train.path("seq").asInt(64)) : new PoemBatches(subset, batch, 0, false);
        Evaluator.Result r = Evaluator.evaluate(lm.model(), b);
        return new Report(lm.file(), cfg.paths(), what, subset.size(), enc.unknownCount(), r);
    }
}
