package io.github.yuefu.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.yuefu.checkpoint.CheckpointStore;
import io.github.yuefu.checkpoint.ModelFile;
import io.github.yuefu.tensor.ParamSet;
import io.github.yuefu.text.Vocabulary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code yuefu inspect}: what a model file or run holds — config, parameter counts per tensor, vocabulary, split,
 * training history; for a run directory also its checkpoints and the metrics summary.
 */
public final class Inspection {
    private Inspection() {}

    public static void print(Path pathOrRun, PrintWriter out) throws IOException {
        ModelFile.LoadedModel lm = ModelFile.load(pathOrRun, msg -> out.println("warning: " + msg));
        out.printf("file        %s%n", lm.file());
        out.printf("format      %s %s (written by %s, %s)%n", lm.metadata().get(ModelFile.META_FORMAT),
                lm.metadata().get(ModelFile.META_VERSION), lm.metadata().get(ModelFile.META_TOOL), lm.metadata().get(ModelFile.META_KIND));
        var c = lm.config();
        out.printf("model       %s, %d layer%s, hidden %d, %s, dropout %s%n", c.cell().id(), c.layers(), c.layers() == 1 ? "" : "s",
                c.hidden(), c.input() == io.github.yuefu.config.InputKind.ONEHOT ? "one-hot input" : "embedding " + c.embed(), c.dropout());
        ParamSet ps = lm.model().params();
        out.printf(Locale.ROOT, "parameters  %,d (%.1f MB as float32)%n", ps.size(), ps.size() * 4 / 1e6);
        for (ParamSet.View v : ps.views()) out.printf(Locale.ROOT, "  %-20s %-14s %,d%n", v.name(), java.util.Arrays.toString(v.shape()), v.size());
        Vocabulary voc = lm.vocabulary();
        StringBuilder top = new StringBuilder();
        for (int i = Vocabulary.SPECIALS.size(); i < Math.min(voc.size(), 24); i++) top.append(voc.token(i));
        out.printf("vocabulary  %,d tokens (%s tokenizer); most frequent: %s%n", voc.size(),
                lm.metadata().getOrDefault("tokenizer", "char"), top.toString().replace("\n", "⏎"));
        if (lm.metadata().containsKey(ModelFile.META_SPLIT)) out.printf("split       %s%n", lm.metadata().get(ModelFile.META_SPLIT));
        JsonNode corpus = lm.json("corpus");
        if (corpus != null) out.printf("corpus      %s%n", corpus.path("paths"));
        JsonNode h = lm.json("history");
        if (h != null) {
            out.printf(Locale.ROOT, "history     step %d, epochs done %d, %,d tokens seen, best val_ppl %.2f at step %d, %.0f s of training, %d rollbacks%n",
                    h.path("step").asLong(), h.path("epoch").asLong(), h.path("tokens_seen").asLong(), h.path("best_val_ppl").asDouble(),
                    h.path("best_step").asLong(), h.path("train_seconds").asDouble(), h.path("rollbacks").asInt());
        }
        if (Files.isDirectory(pathOrRun)) printRun(pathOrRun, out);
        out.flush();
    }

    private static void printRun(Path run, PrintWriter out) throws IOException {
        CheckpointStore store = CheckpointStore.open(run);
        out.println("checkpoints (best first):");
        for (CheckpointStore.Entry e : store.byQuality()) {
            out.printf(Locale.ROOT, "  step %-8d val_ppl %-10.2f %s%n", e.step(), e.valPpl(), e.file());
        }
        List<JsonNode> m = MetricsLog.read(run);
        long steps = m.stream().filter(n -> n.has("loss")).count();
        JsonNode last = null;
        for (JsonNode n : m) if (n.has("loss")) last = n;
        long evals = m.stream().filter(n -> n.has("val_ppl")).count();
        long rollbacks = m.stream().filter(n -> n.has("event")).count();
        if (last != null) {
            out.printf(Locale.ROOT, "metrics     %d steps logged (last: step %d, loss %.4f, %.0f tok/s), %d evaluations, %d rollbacks%n",
                    steps, last.path("step").asLong(), last.path("loss").asDouble(), last.path("tokens_per_s").asDouble(), evals, rollbacks);
        }
    }
}
