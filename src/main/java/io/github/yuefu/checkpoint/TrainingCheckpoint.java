package io.github.yuefu.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.model.LanguageModel;
import io.github.yuefu.optim.LrSchedule;
import io.github.yuefu.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint = a model file + {@link TrainingState}: optimizer moments as tensors {@code optim.<name>}
 * (e.g. {@code optim.exp_avg}), the carried state as {@code state.h} / {@code state.c}, and the scalars as JSON in the
 * {@code training} metadata entry. Doubles are stored as Java's shortest round-trip strings so they come back
 * bit-identical (NaN and infinities included).
 */
public final class TrainingCheckpoint {
    public static final String META_TRAINING = "training";
    private static final String OPTIM = "optim.";

    private TrainingCheckpoint() {}

    /** Writes atomically; {@code meta} adds entries such as the split and the run config. */
    public static void save(Path file, LanguageModel model, Vocabulary vocab, Map<String, String> meta, TrainingState s)
            throws IOException {
        Map<String, SafeTensors.Tensor> extra = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : s.moments().entrySet()) {
            extra.put(OPTIM + e.getKey(), new SafeTensors.Tensor(new int[] {e.getValue().length}, e.getValue()));
        }
        int L = model.config().layers(), H = model.config().hidden();
        if (s.carriedH() != null) extra.put("state.h", new SafeTensors.Tensor(new int[] {L, s.carriedH().length / (L * H), H}, s.carriedH()));
        if (s.carriedC() != null) extra.put("state.c", new SafeTensors.Tensor(new int[] {L, s.carriedC().length / (L * H), H}, s.carriedC()));
        ObjectNode o = SafeTensors.JSON.createObjectNode();
        o.put("step", s.step());
        o.put("epoch", s.epoch());
        var cur = o.putArray("cursor");
        for (long c : s.cursor()) cur.add(c);
        o.put("model_rng", s.modelRng());
        o.put("optimizer", s.optimizer());
        o.put("optimizer_steps", s.optimizerSteps());
        o.put("schedule_scale", d(s.schedule().scale()));
        o.put("schedule_best", d(s.schedule().best()));
        o.put("schedule_bad", s.schedule().bad());
        o.put("lr_scale", d(s.lrScale()));
        o.put("rollbacks", s.rollbacks());
        o.put("best_val_ppl", d(s.bestValPpl()));
        o.put("best_step", s.bestStep());
        o.put("bad_evals", s.badEvals());
        o.put("start_loss", d(s.startLoss()));
        o.put("tokens_seen", s.tokensSeen());
        o.put("last_val_ppl", d(s.lastValPpl()));
        o.put("train_seconds", d(s.trainSeconds()));
        Map<String, String> m = new LinkedHashMap<>(meta);
        m.put(ModelFile.META_KIND, "checkpoint");
        m.put(META_TRAINING, o.toString());
        ModelFile.save(file, model, vocab, m, extra);
    }

    /** The training state stored in a loaded checkpoint; a plain model file is a ConfigException. */
    public static TrainingState state(ModelFile.LoadedModel m) {
        JsonNode o = m.json(META_TRAINING);
        if (o == null) {
            throw new ConfigException(m.file() + ": a model file, not a training checkpoint (no optimizer state): cannot resume from it");
        }
        Map<String, float[]> moments = new LinkedHashMap<>();
        for (Map.Entry<String, SafeTensors.Tensor> e : m.extraTensors().entrySet()) {
            if (e.getKey().startsWith(OPTIM)) moments.put(e.getKey().substring(OPTIM.length()), e.getValue().data());
        }
        JsonNode cur = o.path("cursor");
        long[] cursor = new long[cur.size()];
        for (int i = 0; i < cursor.length; i++) cursor[i] = cur.get(i).asLong();
        SafeTensors.Tensor h = m.extraTensors().get("state.h"), c = m.extraTensors().get("state.c");
        return new TrainingState(o.path("step").asLong(), o.path("epoch").asLong(), cursor, o.path("model_rng").asLong(),
                o.path("optimizer").asText(), o.path("optimizer_steps").asLong(), moments,
                new LrSchedule.State(d(o, "schedule_scale"), d(o, "schedule_best"), o.path("schedule_bad").asInt()),
                d(o, "lr_scale"), o.path("rollbacks").asInt(), d(o, "best_val_ppl"), o.path("best_step").asLong(),
                o.path("bad_evals").asInt(), d(o, "start_loss"), o.path("tokens_seen").asLong(), d(o, "last_val_ppl"),
                d(o, "train_seconds"), h == null ? null : h.data(), c == null ? null : c.data());
    }

    private static String d(double v) {
        return Double.toString(v);
    }

    private static double d(JsonNode o, String key) {
        String s = o.path(key).asText("NaN");
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new ConfigException("checkpoint field '" + key + "' is not a number: " + s);
        }
    }
}
