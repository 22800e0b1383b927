package io.github.yuefu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.yuefu.checkpoint.ModelFile;
import io.github.yuefu.generate.WriteModel;
import java.nio.file.Path;

/** Model files (or run directories: their best checkpoint) → {@link WriteModel}, through {@link ModelFile#load}. */
final class ModelLoading {
    private ModelLoading() {}

    static WriteModel load(Path path) {
        ModelFile.LoadedModel lm = ModelFile.load(path);
        JsonNode corpus = lm.json("corpus");
        Path file = null;
        if (corpus != null && corpus.path("paths").size() > 0) file = Path.of(corpus.path("paths").get(0).asText());
        return new WriteModel(lm.model(), lm.vocabulary(), file);
    }
}
