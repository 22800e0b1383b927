package io.github.yuefu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.yuefu.checkpoint.ModelFile;
import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.config.CorpusConfig.TokenizerKind;
import io.github.yuefu.generate.WriteModel;
import io.github.yuefu.text.Tokenizer;
import io.github.yuefu.train.CorpusJson;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A model file or run directory → {@link WriteModel}: the checkpoint loader (which rejects truncated, foreign and
 * damaged files with a ConfigException), plus the tokenizer and corpus settings the metadata records.
 */
final class ModelLoading {
    private ModelLoading() {}

    static WriteModel load(Path path) {
        ModelFile.LoadedModel lm = ModelFile.load(path);
        lm.model().setWeightsFrozen(true);   // write, serve: generation only, never trained here
        String tok = lm.metadata().get("tokenizer");
        TokenizerKind kind = tok == null ? TokenizerKind.CHAR : TokenizerKind.valueOf(tok.toUpperCase(Locale.ROOT));
        JsonNode corpusJson = lm.json("corpus");
        CorpusConfig corpus = corpusJson == null ? null : CorpusJson.fromJson(corpusJson);
        return new WriteModel(lm.model(), lm.vocabulary(), Tokenizer.of(kind), corpus);
    }
}
